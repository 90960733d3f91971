// SPDX-License-Identifier: Apache-2.0
// Shared by the BGP FSM tests: an iBGP route-reflector client session
// (AS 65000, us 10.0.0.1, the peer 10.0.0.2, EVPN, hold 90 s, GR helper),
// the peer's matching OPEN, one sample of every event, actions as short
// strings for readable assertions, and a driver that walks an FSM to any
// state on an injected clock.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "bgp/fsm.h"

namespace nwbpf::bgp::test {

using namespace std::chrono_literals;

// The injected clock's origin; tests speak in offsets from it.
inline const TimePoint t0{};

inline Ipv4 ip(const char* text) {
  auto a = Ipv4::parse(text);
  EXPECT_TRUE(a) << text;
  return a.value_or(Ipv4{});
}

inline FsmConfig config() {
  FsmConfig c;
  c.local_as = 65000;
  c.router_id = ip("10.0.0.1");
  c.peer_as = 65000;
  return c;
}

inline Open peer_open(uint16_t hold_time = 90) {
  Capabilities caps;
  caps.multiprotocol = {kL2vpnEvpn};
  caps.route_refresh = true;
  caps.graceful_restart.emplace();
  caps.graceful_restart->restart_time = 120;
  caps.graceful_restart->families = {{kL2vpnEvpn, true}};
  return make_open(65000, hold_time, ip("10.0.0.2"), caps);
}

inline Error codec_error(ErrorCode code, uint8_t subcode, std::string text) {
  return Error{code, subcode, {}, 19, std::move(text)};
}

// One event of each kind the adapter feeds (not the timers).
inline Event sample(EventKind kind) {
  switch (kind) {
    case EventKind::manual_start:
      return event::ManualStart{};
    case EventKind::manual_stop:
      return event::ManualStop{};
    case EventKind::manual_start_passive:
      return event::ManualStartPassive{};
    case EventKind::tcp_connection_valid:
      return event::TcpConnectionValid{};
    case EventKind::tcp_cr_acked:
      return event::TcpCrAcked{};
    case EventKind::tcp_connection_confirmed:
      return event::TcpConnectionConfirmed{};
    case EventKind::tcp_connection_fails:
      return event::TcpConnectionFails{};
    case EventKind::bgp_open:
      return event::OpenReceived{peer_open()};
    case EventKind::bgp_header_err:
      return event::HeaderError{codec_error(ErrorCode::message_header, 2, "bad length")};
    case EventKind::bgp_open_msg_err:
      return event::OpenMessageError{codec_error(ErrorCode::open_message, 4, "bad param")};
    case EventKind::notif_msg:
      return event::NotificationReceived{Notification{ErrorCode::cease, 4, {}}};
    case EventKind::keepalive_msg:
      return event::KeepaliveReceived{};
    case EventKind::update_msg:
      return event::UpdateReceived{};
    case EventKind::update_msg_err:
      return event::UpdateMessageError{codec_error(ErrorCode::update_message, 1, "bad attrs")};
    case EventKind::open_collision_dump:
      return event::OpenCollisionDump{};
    default:
      break;
  }
  ADD_FAILURE() << "no sample for timer event " << to_string(kind);
  return event::ManualStart{};
}

// "Connect", "SendNotification 4/0", "SessionDown retain", ...
inline std::string name(const Action& a) {
  struct {
    std::string operator()(const action::Connect&) { return "Connect"; }
    std::string operator()(const action::Close&) { return "Close"; }
    std::string operator()(const action::SendOpen&) { return "SendOpen"; }
    std::string operator()(const action::SendKeepalive&) { return "SendKeepalive"; }
    std::string operator()(const action::SendNotification& n) {
      return "SendNotification " + std::to_string(unsigned(n.notification.code)) + "/" +
             std::to_string(n.notification.subcode);
    }
    std::string operator()(const action::SessionEstablished&) { return "SessionEstablished"; }
    std::string operator()(const action::SessionDown& d) {
      return d.retain ? "SessionDown retain" : "SessionDown";
    }
  } visitor;
  return std::visit(visitor, a);
}

inline std::vector<std::string> names(const Actions& actions) {
  std::vector<std::string> out;
  for (const auto& a : actions) out.push_back(name(a));
  return out;
}

using Names = std::vector<std::string>;

// An FSM and the time, moved forward by the test.
struct Driver {
  explicit Driver(FsmConfig c = config()) : fsm(std::move(c)) {}

  Actions feed(const Event& e) { return fsm.handle(e, now); }
  // Moves the clock to the next deadline and fires what is due there.
  Actions fire() {
    auto next = fsm.next_deadline();
    EXPECT_TRUE(next) << "no timer runs in " << to_string(fsm.state());
    if (!next) return {};
    now = *next;
    return fsm.expire(now);
  }
  Actions advance(Duration d) {
    now += d;
    return fsm.expire(now);
  }

  // The path every state is reached by: ManualStart (or passive for
  // Active), our connect succeeds, the peer's OPEN, its KEEPALIVE.
  void reach(State target) {
    if (target == State::idle) return;
    if (target == State::active) {
      feed(event::ManualStartPassive{});
      return;
    }
    feed(event::ManualStart{});
    if (target == State::connect) return;
    feed(event::TcpCrAcked{});
    if (target == State::open_sent) return;
    feed(event::OpenReceived{peer_open()});
    if (target == State::open_confirm) return;
    feed(event::KeepaliveReceived{});
  }

  Fsm fsm;
  TimePoint now = t0;
};

}  // namespace nwbpf::bgp::test
