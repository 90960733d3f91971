// SPDX-License-Identifier: Apache-2.0
// Shared by the tests of agent/central's I/O (config server, directory
// watch, kicker, fetcher, kick listener): a real HTTP server stand-in and
// client over loopback, both on the test's io_context (one thread, as in
// nwbpfd), and runs of that io_context until a condition holds, with a
// generous bound so that a loaded machine is slow, not flaky.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nwbpf::central::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Runs `io` until `done()` holds or `limit` passes; returns done().
inline bool run_until(asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::seconds limit = std::chrono::seconds(30)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(50));
  }
  return done();
}

// Runs `io` for `span` whatever happens: to see that nothing more does.
inline void run_for(asio::io_context& io, std::chrono::milliseconds span) {
  auto deadline = std::chrono::steady_clock::now() + span;
  while (std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_one_until(deadline);
  }
}

// A config server's or a CE's kick endpoint's stand-in on 127.0.0.1:
// answers every request with `status` and `body`, or, by `mode`, never
// (hang) or when release()d (hold).
class TestHttpServer {
 public:
  enum class Mode { answer, hang, hold };
  struct Request {
    std::string method, target, host;
    bool operator==(const Request&) const = default;
  };

  explicit TestHttpServer(asio::io_context& io) : io_(io), acceptor_(io) { open(0); }

  uint16_t port() const { return port_; }
  void close() {
    acceptor_.close();
    connections_.clear();
  }
  void reopen() { open(port_); }  // on the same port, after close()

  void release() {  // answers the held requests
    auto held = std::move(held_);
    for (auto& connection : held) connection->answer(status, body);
  }
  std::size_t held() const { return held_.size(); }

  Mode mode = Mode::answer;
  http::status status = http::status::ok;
  std::string body;
  std::vector<Request> requests;

 private:
  struct Connection : std::enable_shared_from_this<Connection> {
    Connection(tcp::socket socket) : stream(std::move(socket)) {}
    void answer(http::status status, const std::string& text) {
      response = {status, 11};
      response.body() = text;
      response.keep_alive(false);
      response.prepare_payload();
      http::async_write(stream, response,
                        [self = shared_from_this()](beast::error_code, std::size_t) {
                          beast::error_code ignored;
                          self->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                        });
    }
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
  };

  void open(uint16_t port) {
    tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept();
  }

  void accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto connection = std::make_shared<Connection>(std::move(socket));
      connections_.push_back(connection);
      http::async_read(connection->stream, connection->buffer, connection->request,
                       [this, connection](beast::error_code ec, std::size_t) {
                         if (!ec) on_request(connection);
                       });
      accept();
    });
  }

  void on_request(const std::shared_ptr<Connection>& connection) {
    const auto& request = connection->request;
    requests.push_back({std::string(request.method_string()), std::string(request.target()),
                        std::string(request[http::field::host])});
    if (mode == Mode::answer) connection->answer(status, body);
    if (mode == Mode::hold) held_.push_back(connection);
    // hang: kept open in connections_, never answered.
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::vector<std::shared_ptr<Connection>> held_;
};

// What a client got: the status and body, or `error` if none came.
struct Reply {
  unsigned status = 0;
  std::string content_type;
  std::string body;
  std::string allow;
  std::string error;
};

// Sends `method target` to 127.0.0.1:port and runs `io` until the reply.
inline Reply http_call(asio::io_context& io, uint16_t port, http::verb method,
                       const std::string& target) {
  struct Call {
    explicit Call(asio::io_context& io) : stream(io) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
    bool done = false;
    Reply reply;
  };
  auto call = std::make_shared<Call>(io);
  call->request = {method, target, 11};
  call->request.set(http::field::host, "127.0.0.1");
  if (method == http::verb::post) call->request.body() = "kick";
  call->request.prepare_payload();
  auto fail = [call](const char* stage, beast::error_code ec) {
    call->reply.error = std::string(stage) + ": " + ec.message();
    call->done = true;
  };
  call->stream.expires_after(std::chrono::seconds(20));
  call->stream.async_connect(
      tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port),
      [call, fail](beast::error_code ec) {
        if (ec) return fail("connect", ec);
        http::async_write(call->stream, call->request,
                          [call, fail](beast::error_code ec, std::size_t) {
                            if (ec) return fail("write", ec);
                            http::async_read(
                                call->stream, call->buffer, call->response,
                                [call, fail](beast::error_code ec, std::size_t) {
                                  if (ec) return fail("read", ec);
                                  call->reply.status = call->response.result_int();
                                  call->reply.content_type = std::string(
                                      call->response[http::field::content_type]);
                                  call->reply.body = call->response.body();
                                  call->reply.allow =
                                      std::string(call->response[http::field::allow]);
                                  call->done = true;
                                });
                          });
      });
  EXPECT_TRUE(run_until(io, [call] { return call->done; })) << method << " " << target;
  return call->reply;
}

}  // namespace nwbpf::central::test
