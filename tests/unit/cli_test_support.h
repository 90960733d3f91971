// SPDX-License-Identifier: Apache-2.0
// Shared by the CLI tests: a scripted stand-in for nwbpfd's control socket,
// and running the whole `nwbpf` command line in-process (or in a child as an
// unprivileged user).
#pragma once

#include <grp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cli/app.h"

namespace nwbpf::cli::testing {

struct RunResult {
  int code;
  std::string out, err;
};

// `nwbpf ARGS...` through cli::run, as main() would.
inline RunResult run_nwbpf(std::vector<std::string> args) {
  args.insert(args.begin(), "nwbpf");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = run(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

// The same in a forked child running as nobody (uid/gid 65534); stdout is
// dropped. nullopt when this process cannot change user (not root). Call it
// with no other thread running: the child only has the forking thread.
inline std::optional<RunResult> run_nwbpf_as_nobody(const std::vector<std::string>& args) {
  if (geteuid() != 0) return std::nullopt;
  int pipefd[2];
  if (pipe(pipefd) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(pipefd[0]);
    if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(100);
    RunResult r = run_nwbpf(args);
    for (size_t done = 0; done < r.err.size();) {
      ssize_t n = write(pipefd[1], r.err.data() + done, r.err.size() - done);
      if (n <= 0) _exit(101);
      done += static_cast<size_t>(n);
    }
    _exit(r.code);
  }
  close(pipefd[1]);
  RunResult r{-1, "", ""};
  char buf[4096];
  for (ssize_t n; (n = read(pipefd[0], buf, sizeof buf)) > 0;) r.err.append(buf, n);
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

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
