// SPDX-License-Identifier: Apache-2.0
// Helpers for the VICI client tests: a scripted stand-in for charon's VICI
// socket (a Unix socket in a temporary directory, one connection, a script of
// blocking reads and writes in its own thread while the test runs the
// client's io_context; every wait bounded, so a client that sends too little
// fails the test instead of hanging it), and run_until() for the io_context.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "common/wire.h"

namespace nwbpf::ipsec::vici::test {

using stream = boost::asio::local::stream_protocol;

// The accepted connection, as the script sees it.
class FakePeer {
 public:
  explicit FakePeer(stream::socket& socket) : socket_(socket) {}

  // Reads exactly `expected.size()` bytes (fewer at EOF or after 5 s) and
  // compares them.
  void expect(const wire::Bytes& expected) {
    wire::Bytes got(expected.size());
    boost::system::error_code ec;
    got.resize(boost::asio::read(socket_, boost::asio::buffer(got), ec));
    EXPECT_EQ(got, expected) << ec.message();
  }
  // Nothing more arrives within `wait` (the client keeps one request on the
  // wire at a time).
  void expect_silence(std::chrono::milliseconds wait = std::chrono::milliseconds(100)) {
    pollfd p{socket_.native_handle(), POLLIN, 0};
    EXPECT_EQ(::poll(&p, 1, int(wait.count())), 0) << "the client sent more";
  }
  // The client closed its side: the next read sees EOF.
  void expect_eof() {
    uint8_t byte = 0;
    boost::system::error_code ec;
    socket_.read_some(boost::asio::buffer(&byte, 1), ec);
    EXPECT_EQ(ec, boost::asio::error::eof);
  }
  void send(const wire::Bytes& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }
  void close() { socket_.close(); }

 private:
  stream::socket& socket_;
};

class FakeCharon {
 public:
  explicit FakeCharon(const std::filesystem::path& path)
      : path_(path.string()), acceptor_(io_, stream::endpoint(path_)) {}
  ~FakeCharon() {
    // Wakes an accept() or read that still waits (a test that failed early).
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    if (socket_.is_open()) ::shutdown(socket_.native_handle(), SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
  }

  const std::string& path() const { return path_; }

  // Accepts one connection and runs `script` on it in a thread.
  void run(std::function<void(FakePeer&)> script) {
    thread_ = std::thread([this, script = std::move(script)] {
      boost::system::error_code ec;
      acceptor_.accept(socket_, ec);
      if (ec) return ADD_FAILURE() << "accept: " << ec.message();
      timeval timeout{5, 0};
      ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      FakePeer peer(socket_);
      script(peer);
    });
  }
  // Waits for the script to end.
  void join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::string path_;
  boost::asio::io_context io_;
  stream::acceptor acceptor_;
  stream::socket socket_{io_};
  std::thread thread_;
};

// Runs the client's io_context until `done` or 5 s; returns done().
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_for(std::chrono::milliseconds(10));
  }
  return done();
}

}  // namespace nwbpf::ipsec::vici::test
