// SPDX-License-Identifier: Apache-2.0
#include "cli/control_client.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace nwbpf::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::string duration_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

// One exchange: the socket, its deadline and the words for its errors.
class Exchange {
 public:
  Exchange(const std::string& path, const ControlClientOptions& options)
      : path_(path), options_(options), deadline_(Clock::now() + options.timeout) {}
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;
  ~Exchange() {
    if (fd_ >= 0) ::close(fd_);
  }

  void connect() {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path_.size() >= sizeof addr.sun_path)
      throw AgentUnreachable(
          "socket path is longer than " + std::to_string(sizeof addr.sun_path - 1) + " bytes",
          ENAMETOOLONG);
    std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw AgentUnreachable(std::strerror(errno), errno);
    // A Unix connect only blocks while the agent's accept backlog is full;
    // SO_SNDTIMEO bounds that wait.
    timeval tv = to_timeval(remaining());
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    while (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN)
        throw AgentUnreachable("connection not accepted within " + duration_text(options_.timeout),
                               errno);
      throw AgentUnreachable(std::strerror(errno), errno);
    }
    // From here on poll() keeps the deadline.
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }

  void send_all(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      // MSG_NOSIGNAL: an agent that hangs up must be an error line, not SIGPIPE.
      ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n >= 0) {
        done += static_cast<size_t>(n);
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        wait(POLLOUT);
      } else if (errno != EINTR) {
        throw ControlError("nwbpfd at " + path_ + " dropped the request: " + std::strerror(errno));
      }
    }
  }

  // The first line of the answer, without its '\n'.
  std::string read_line() {
    std::string buf;
    char chunk[64 * 1024];
    for (;;) {
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        size_t scanned = buf.size();
        buf.append(chunk, static_cast<size_t>(n));
        size_t nl = buf.find('\n', scanned);
        size_t line_len = nl == std::string::npos ? buf.size() : nl;
        if (line_len > options_.max_line)
          throw ControlError("answer from nwbpfd at " + path_ + " is longer than " +
                             std::to_string(options_.max_line) + " bytes");
        if (nl != std::string::npos) return buf.substr(0, nl);
      } else if (n == 0) {
        throw ControlError("nwbpfd at " + path_ + " closed the connection " +
                           (buf.empty() ? "without answering" : "in the middle of its answer"));
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        wait(POLLIN);
      } else if (errno != EINTR) {
        throw ControlError("reading from nwbpfd at " + path_ + ": " + std::strerror(errno));
      }
    }
  }

 private:
  std::chrono::milliseconds remaining() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    return std::max(left, std::chrono::milliseconds(0));
  }

  static timeval to_timeval(std::chrono::milliseconds d) {
    // A zero SO_SNDTIMEO means "wait forever": keep at least 1 ms.
    long ms = std::max<long>(d.count(), 1);
    return timeval{ms / 1000, (ms % 1000) * 1000};
  }

  void wait(short events) {
    for (;;) {
      pollfd p{fd_, events, 0};
      int n = ::poll(&p, 1, static_cast<int>(remaining().count()));
      if (n > 0) return;
      if (n == 0)
        throw ControlError("nwbpfd at " + path_ + " did not answer within " +
                           duration_text(options_.timeout));
      if (errno != EINTR) throw ControlError(std::string("poll: ") + std::strerror(errno));
    }
  }

  const std::string& path_;
  const ControlClientOptions& options_;
  Clock::time_point deadline_;
  int fd_ = -1;
};

}  // namespace

nlohmann::json control_request(const std::string& socket_path, const nlohmann::json& request,
                               const ControlClientOptions& options) {
  Exchange exchange(socket_path, options);
  exchange.connect();
  exchange.send_all(request.dump() + "\n");
  auto answer = nlohmann::json::parse(exchange.read_line(), nullptr, /*allow_exceptions=*/false);
  const std::string from = "nwbpfd at " + socket_path;
  if (answer.is_discarded()) throw ControlError(from + " answered with something that is not JSON");
  if (!answer.is_object() || !answer.contains(control::kOk) || !answer[control::kOk].is_boolean())
    throw ControlError(from + " answered without a boolean \"ok\"");
  if (!answer[control::kOk].get<bool>()) {
    auto error = answer.value(control::kError, nlohmann::json());
    throw ControlError("nwbpfd: " + (error.is_string() ? error.get<std::string>()
                                                       : "request failed, no reason given"));
  }
  return answer.value(control::kResult, nlohmann::json());
}

}  // namespace nwbpf::cli
