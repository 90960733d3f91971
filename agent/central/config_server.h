// SPDX-License-Identifier: Apache-2.0
// The config-server role's HTTP side (issue 6): serves
// <directory>/<folder>/<file>.json to the CEs, as Nante-WAN's nginx did,
// and nothing else. Folders are the configured ones (the last path
// component of each json_url_prefix, "portconfig" and "ebconfig").
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace nwbpf::central {

namespace detail {
struct ServerState;
}

// The answer to one request target, before any I/O on the socket: which
// file to send, or the status to send instead.
struct ServeDecision {
  unsigned status = 200;       // 200, 400, 404 or 405
  std::filesystem::path file;  // set when status is 200
  std::string reason;          // why not 200, for the body and the debug log
};

// Resolves `method target` against `directory` (canonical, absolute).
// GET /<folder>/<name>.json, <folder> one of `folders`, <name> made of
// letters, digits, '.', '-', '_' and not starting with '.': 200 with the
// file if it is a regular file whose canonical path (symlinks resolved)
// stays inside <directory>/<folder>, else 404. Any other method: 405; any
// other target (query, '%', "..", more or fewer components, not .json): 400.
ServeDecision decide(std::string_view method, std::string_view target,
                     const std::filesystem::path& directory,
                     const std::vector<std::string>& folders);

// An HTTP/1.1 server on the caller's io_context (async, no threads of its
// own). Each connection reads a request, answers, and keeps going while the
// client asks for keep-alive; an idle or slow connection is closed after
// kIdleTimeout.
class ConfigServer {
 public:
  // Throws std::filesystem::filesystem_error if `directory` does not exist.
  ConfigServer(boost::asio::io_context& io, std::filesystem::path directory,
               std::vector<std::string> folders);
  ~ConfigServer();

  // Binds and starts accepting; throws boost::system::system_error when it
  // cannot listen (address in use, not local). Port 0 picks a free port.
  void listen(const boost::asio::ip::tcp::endpoint& endpoint);
  // The bound endpoint (tests listen on port 0).
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Stops accepting; connections in progress finish their request.
  void close();

 private:
  std::shared_ptr<detail::ServerState> state_;
};

}  // namespace nwbpf::central
