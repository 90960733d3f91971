// SPDX-License-Identifier: Apache-2.0
// The control socket (control/protocol.h): a Unix stream socket, one
// request line and one answer per connection, served in the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "daemon/control_handler.h"

namespace nwbpf::daemon {

// The socket cannot be claimed (another agent answers on it, or the path
// cannot be created). what() says which and where.
class ControlSocketError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ControlServer {
 public:
  // Claims `path`: creates its directory, refuses if an agent answers there,
  // removes a stale socket file left by one that died, binds it with mode
  // 0600 and starts accepting. Throws ControlSocketError.
  ControlServer(boost::asio::io_context& io, std::string path, ControlBackend backend);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Stops accepting and removes the socket file (sessions in flight finish).
  void stop();

 private:
  void accept();

  boost::asio::io_context& io_;
  std::string path_;
  // Shared with sessions, which may outlive a stopped server by one answer.
  std::shared_ptr<const ControlBackend> backend_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  boost::asio::steady_timer retry_;
};

}  // namespace nwbpf::daemon
