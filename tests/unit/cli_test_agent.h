// SPDX-License-Identifier: Apache-2.0
// A scripted stand-in for nwbpfd's control socket in the CLI tests: a real
// Unix listening socket in a temporary directory; one thread accepts one
// connection, records the request line and answers with fixed bytes.
#pragma once

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

namespace nwbpf::cli::testing {

class ScriptedAgent {
 public:
  // answer is written after the request line is read; the connection is
  // closed after `hold` (to test timeouts and half answers).
  explicit ScriptedAgent(std::string answer, std::chrono::milliseconds hold = {})
      : answer_(std::move(answer)), hold_(hold) {
    char dir[] = "/tmp/nwbpf-cli-test.XXXXXX";
    if (!mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    path_ = dir_ + "/agent.sock";
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 1) != 0)
      throw std::runtime_error("cannot listen on " + path_);
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedAgent() {
    if (thread_.joinable()) thread_.join();
    ::close(listen_fd_);
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  const std::string& path() const { return path_; }
  // The bytes the client sent, up to and including the first '\n'.
  // Waits for the exchange to end.
  std::string request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  void serve() {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    char c;
    while (::read(fd, &c, 1) == 1) {
      request_ += c;
      if (c == '\n') break;
    }
    for (size_t done = 0; done < answer_.size();) {
      ssize_t n = ::send(fd, answer_.data() + done, answer_.size() - done, MSG_NOSIGNAL);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    std::this_thread::sleep_for(hold_);
    ::close(fd);
  }

  std::string answer_;
  std::chrono::milliseconds hold_;
  std::string dir_, path_;
  int listen_fd_ = -1;
  std::string request_;
  std::thread thread_;
};

}  // namespace nwbpf::cli::testing
