// SPDX-License-Identifier: Apache-2.0
// Shared by the config-server role's tests: a temporary directory, an
// io_context run on a thread of the test, a blocking HTTP client, a CE's
// kick listener, and waiting on a condition with a generous bound (the
// machine is shared and loaded: a test waits for what it expects, never a
// fixed time).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace nwbpf::central::test {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "nwbpf-central-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// open, write, close: one IN_CLOSE_WRITE.
inline void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// The io_context of the code under test, run on its own thread so the test
// can block; work on its objects is posted there with on_io().
class IoThread {
 public:
  IoThread() : guard_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~IoThread() {
    guard_.reset();
    io_.stop();
    thread_.join();
  }
  boost::asio::io_context& io() { return io_; }
  // Runs `fn` on the io thread and waits for it.
  template <class Fn>
  auto on_io(Fn fn) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
};

// Polls `condition` until it holds or `bound` passes; false on timeout.
inline bool wait_for(const std::function<bool()>& condition,
                     std::chrono::milliseconds bound = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

struct HttpReply {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

// One blocking request to 127.0.0.1:port.
inline HttpReply http_request(uint16_t port, boost::beast::http::verb method,
                              const std::string& target) {
  namespace http = boost::beast::http;
  boost::asio::io_context io;
  boost::beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(20));
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::empty_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  http::write(stream, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  return {response.result_int(), std::string(response[http::field::content_type]), response.body()};
}

inline HttpReply http_get(uint16_t port, const std::string& target) {
  return http_request(port, boost::beast::http::verb::get, target);
}

// A CE's kick listener, on its own thread: answers each request with
// `status`, after `release` is set when `hold` is.
class KickListener {
 public:
  explicit KickListener(unsigned status = 200, bool hold = false)
      : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        status_(status),
        hold_(hold),
        thread_([this] { serve(); }) {}
  ~KickListener() {
    stopping_ = true;
    release();
    boost::system::error_code ec;
    // Wakes the blocking accept.
    boost::asio::ip::tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  void release() {
    std::call_once(released_, [this] { release_.set_value(); });
  }

 private:
  void serve() {
    auto released = release_.get_future().share();
    while (!stopping_) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      boost::beast::flat_buffer buffer;
      boost::beast::http::request<boost::beast::http::string_body> request;
      boost::beast::http::read(socket, buffer, request, ec);
      if (ec) continue;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(std::string(request.method_string()) + " " +
                            std::string(request.target()) +
                            " Host: " + std::string(request[boost::beast::http::field::host]));
      }
      if (hold_) released.wait();
      boost::beast::http::response<boost::beast::http::string_body> response{
          static_cast<boost::beast::http::status>(status_), 11};
      response.prepare_payload();
      boost::beast::http::write(socket, response, ec);
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned status_;
  bool hold_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::promise<void> release_;
  std::once_flag released_;
  std::thread thread_;
};

}  // namespace nwbpf::central::test
