// SPDX-License-Identifier: Apache-2.0
#include "central/kick_listener.h"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/endian/conversion.hpp>
#include <stdexcept>

#include "common/log.h"

namespace nwbpf::central {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// A kick's body is ignored; anything longer than a form post is not a kick.
constexpr std::size_t kMaxRequestBody = 16 * 1024;

// One connection: read one request, answer it, close.
class KickSession : public std::enable_shared_from_this<KickSession> {
 public:
  KickSession(tcp::socket socket, KickListener::OnKick on_kick)
      : stream_(std::move(socket)), on_kick_(std::move(on_kick)) {}

  void start() {
    parser_.body_limit(kMaxRequestBody);
    stream_.expires_after(KickListener::kRequestTimeout);
    http::async_read(stream_, buffer_, parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec) {
      log::get("fetch")->debug("update-kick: bad request: {}", ec.message());
      return;
    }
    const auto& request = parser_.get();
    std::string_view target(request.target().data(), request.target().size());
    target = target.substr(0, target.find('?'));  // a query string changes nothing
    bool kick = false;
    if (target != "/update-kick") {
      answer(request, http::status::not_found, "not found\n");
    } else if (request.method() != http::verb::get && request.method() != http::verb::post) {
      answer(request, http::status::method_not_allowed, "use GET or POST\n");
      response_.set(http::field::allow, "GET, POST");
    } else {
      answer(request, http::status::ok, "ok\n");
      kick = true;
    }
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code, std::size_t) {
                        beast::error_code ignored;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
                      });
    // The answer is on its way: the fetch does not hold it up.
    if (kick) on_kick_();
  }

  void answer(const http::request<http::string_body>& request, http::status status,
              const char* text) {
    response_ = {status, request.version()};
    response_.set(http::field::content_type, "text/plain");
    response_.keep_alive(false);
    response_.body() = text;
    response_.prepare_payload();
  }

  beast::tcp_stream stream_;
  KickListener::OnKick on_kick_;
  beast::flat_buffer buffer_;
  http::request_parser<http::string_body> parser_;
  http::response<http::string_body> response_;
};

}  // namespace

KickListener::KickListener(asio::io_context& io, Ipv4 address, uint16_t port, OnKick on_kick)
    : io_(io), acceptor_(io), on_kick_(std::move(on_kick)) {
  tcp::endpoint endpoint(asio::ip::address_v4(boost::endian::big_to_native(address.be)), port);
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("update-kick on " + address.str() + ":" + std::to_string(port) +
                             ": " + ec.message());
}

void KickListener::start() { accept(); }

void KickListener::stop() {
  beast::error_code ignored;
  acceptor_.close(ignored);
}

void KickListener::accept() {
  acceptor_.async_accept(io_, [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (!ec) std::make_shared<KickSession>(std::move(socket), self->on_kick_)->start();
    self->accept();
  });
}

}  // namespace nwbpf::central
