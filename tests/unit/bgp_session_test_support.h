// SPDX-License-Identifier: Apache-2.0
// Shared by the BGP session tests: speakers of ours on 127.0.N.x loopback
// addresses (each test its own N, so tests never meet) with short timers,
// a loop runner with a time bound, and a scripted raw peer on blocking
// sockets for the peers that must misbehave. The raw peer runs in its own
// thread (std::async) while the test thread runs the io_context.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bgp/framer.h"
#include "bgp/message.h"
#include "bgp/session_manager.h"

namespace nwbpf::bgp::session_test {

using namespace std::chrono_literals;
namespace asio = boost::asio;

// Every speaker and raw peer listens here, each on its own address.
inline constexpr uint16_t kPort = 17900;
inline constexpr uint32_t kAs = 65000;

inline Ipv4 ip(const char* text) {
  auto a = Ipv4::parse(text);
  EXPECT_TRUE(a) << text;
  return a.value_or(Ipv4{});
}

// Runs `io` until `done()` holds or `timeout` passes; returns done().
inline bool run_until(asio::io_context& io, const std::function<bool()>& done,
                      Clock::duration timeout) {
  const auto end = Clock::now() + timeout;
  while (!done() && Clock::now() < end) {
    io.restart();
    io.run_for(20ms);
  }
  return done();
}

inline void run_for(asio::io_context& io, Clock::duration d) {
  run_until(
      io, [] { return false; }, d);
}

template <class T>
std::function<bool()> ready(const std::future<T>& f) {
  return [&f] { return f.wait_for(0s) == std::future_status::ready; };
}

// An iBGP EVPN speaker at `address` (also its router-id) with hold time
// 3 s, a 2 s ConnectRetryTimer and no jitter.
inline SessionManagerConfig speaker_config(const char* address, std::vector<PeerConfig> peers) {
  SessionManagerConfig c;
  c.local_as = kAs;
  c.router_id = ip(address);
  c.local_address = ip(address);
  c.listen_port = kPort;
  c.hold_time = 3;
  c.connect_retry_time = 2s;
  c.jitter = false;
  c.peers = std::move(peers);
  return c;
}

inline PeerConfig peer(const char* address, bool passive = false, std::string password = {}) {
  return PeerConfig{ip(address), kPort, kAs, passive, std::move(password)};
}

// Our speaker and everything its handlers heard.
struct Speaker {
  struct Down {
    PeerId peer;
    DownReason reason;
    std::optional<GracefulRestart> retain;
  };

  Speaker(asio::io_context& io, SessionManagerConfig config)
      : manager(io, std::move(config), handlers()) {}

  SessionHandlers handlers() {
    return {
        [this](PeerId p, const Session& s) { established.emplace_back(p, s); },
        [this](PeerId p, const Update& u) { updates.emplace_back(p, u); },
        [this](PeerId p, const DownReason& r, const std::optional<GracefulRestart>& g) {
          downs.push_back({p, r, g});
        },
        [this](PeerId p, Family f) { refreshes.emplace_back(p, f); },
    };
  }

  std::optional<PeerStatus> status(const char* address) const {
    for (auto& s : manager.peers())
      if (s.address == ip(address)) return s;
    return std::nullopt;
  }
  bool up(const char* address) const {
    auto s = status(address);
    return s && s->state == State::established;
  }

  std::vector<std::pair<PeerId, Session>> established;
  std::vector<std::pair<PeerId, Update>> updates;
  std::vector<Down> downs;
  std::vector<std::pair<PeerId, Family>> refreshes;
  SessionManager manager;
};

// Starts both speakers, each peering with the other's address, and runs
// until both sessions are Established; false if they are not in `timeout`.
inline bool establish(asio::io_context& io, Speaker& a, const char* a_address, Speaker& b,
                      const char* b_address, Clock::duration timeout = 5s) {
  a.manager.start();
  b.manager.start();
  return run_until(
      io, [&] { return a.up(b_address) && b.up(a_address); }, timeout);
}

// The OPEN of a raw peer: AS 65000, EVPN, route refresh, graceful restart.
inline Open raw_open(const char* bgp_id, uint16_t hold_time = 3) {
  Capabilities caps;
  caps.multiprotocol = {kL2vpnEvpn};
  caps.route_refresh = true;
  caps.graceful_restart.emplace();
  caps.graceful_restart->restart_time = 90;
  return make_open(kAs, hold_time, ip(bgp_id), caps);
}

// One blocking TCP socket of a scripted peer; every wait has a timeout, so
// a speaker that misbehaves fails the test instead of hanging it.
class RawSocket {
 public:
  RawSocket() = default;
  explicit RawSocket(int fd) : fd_(fd) {}
  RawSocket(RawSocket&& o) noexcept { *this = std::move(o); }
  RawSocket& operator=(RawSocket&& o) noexcept {
    std::swap(fd_, o.fd_);
    std::swap(framer_, o.framer_);
    std::swap(eof_, o.eof_);
    return *this;
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool valid() const { return fd_ >= 0; }

  static RawSocket listen(const char* address) {
    RawSocket s(::socket(AF_INET, SOCK_STREAM, 0));
    int one = 1;
    ::setsockopt(s.fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    auto sa = sockaddr_of(address, kPort);
    EXPECT_EQ(::bind(s.fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0) << address;
    EXPECT_EQ(::listen(s.fd_, 8), 0);
    return s;
  }
  RawSocket accept(Clock::duration timeout) {
    if (!wait(timeout)) return RawSocket();
    return RawSocket(::accept(fd_, nullptr, nullptr));
  }
  // A blocking connect from `local` to `remote`:kPort.
  static RawSocket connect(const char* local, const char* remote) {
    RawSocket s(::socket(AF_INET, SOCK_STREAM, 0));
    auto from = sockaddr_of(local, 0);
    auto to = sockaddr_of(remote, kPort);
    EXPECT_EQ(::bind(s.fd_, reinterpret_cast<sockaddr*>(&from), sizeof from), 0);
    EXPECT_EQ(::connect(s.fd_, reinterpret_cast<sockaddr*>(&to), sizeof to), 0) << remote;
    return s;
  }

  void send_bytes(const wire::Bytes& bytes) {
    EXPECT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL), ssize_t(bytes.size()));
  }
  void send(const Message& m) { send_bytes(encode_message(m, SessionOptions{})); }

  // The next message, or nullopt on timeout, EOF or a framing error.
  std::optional<Message> read(Clock::duration timeout) {
    const auto end = Clock::now() + timeout;
    for (;;) {
      if (auto next = framer_.next()) {
        auto* bytes = std::get_if<wire::Bytes>(&*next);
        if (!bytes) return std::nullopt;
        auto m = decode_message(*bytes, SessionOptions{});
        if (auto* message = std::get_if<Message>(&m)) return *message;
        return std::nullopt;
      }
      if (!fill(end)) return std::nullopt;
    }
  }
  // Reads messages until one of type T; nullopt if none comes in time.
  template <class T>
  std::optional<T> read_until(Clock::duration timeout) {
    const auto end = Clock::now() + timeout;
    while (auto m = read(end - Clock::now()))
      if (auto* t = std::get_if<T>(&*m)) return *t;
    return std::nullopt;
  }
  // Waits for the other side to close, discarding what arrives.
  bool eof(Clock::duration timeout) {
    const auto end = Clock::now() + timeout;
    while (fill(end)) {
    }
    return eof_;
  }
  uint16_t local_port() const { return port(::getsockname); }
  uint16_t remote_port() const { return port(::getpeername); }

 private:
  static sockaddr_in sockaddr_of(const char* address, uint16_t port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = ip(address).be;
    return sa;
  }
  bool wait(Clock::duration timeout) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
    pollfd p{fd_, POLLIN, 0};
    return ms > 0 && ::poll(&p, 1, int(ms)) == 1;
  }
  // Reads what is there into the framer; false on timeout or EOF.
  bool fill(Clock::time_point end) {
    if (eof_ || !wait(end - Clock::now())) return false;
    uint8_t buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    framer_.feed(std::span<const uint8_t>(buffer, size_t(n)));
    return true;
  }
  template <class Call>
  uint16_t port(Call call) const {
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    return call(fd_, reinterpret_cast<sockaddr*>(&sa), &len) == 0 ? ntohs(sa.sin_port) : 0;
  }

  int fd_ = -1;
  Framer framer_;
  bool eof_ = false;
};

// The raw peer's side of the OPEN exchange on `c`: reads our OPEN, sends
// its own (identifier `bgp_id`) and a KEEPALIVE, which brings our side to
// Established. False if our OPEN does not come.
inline bool open_session(RawSocket& c, const char* bgp_id) {
  if (!c.read_until<Open>(3s)) return false;
  c.send(raw_open(bgp_id));
  c.send(Keepalive{});
  return true;
}

}  // namespace nwbpf::bgp::session_test
