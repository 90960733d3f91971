// SPDX-License-Identifier: Apache-2.0
// The BGP FSM's vocabulary (RFC 4271 §8): its states, the events it takes
// and the actions it asks of the session adapter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bgp/capabilities.h"
#include "bgp/error.h"
#include "bgp/negotiate.h"
#include "bgp/notification.h"
#include "bgp/open.h"

namespace nwbpf::bgp {

// RFC 4271 §8.2.2.
enum class State : uint8_t { idle, connect, active, open_sent, open_confirm, established };
inline constexpr size_t kStateCount = 6;

// The events we use, with their RFC 4271 §8.1 numbers. Not used: the
// automatic starts 3-7 (IdleHoldTimer_Expires restarts, see backoff.h),
// DelayOpen (8, 12, 20, 24: we send OPEN as soon as TCP is up) and
// Tcp_CR_Invalid (15: the listener refuses unknown sources itself).
enum class EventKind : uint8_t {
  manual_start,              // 1
  manual_stop,               // 2
  manual_start_passive,      // 4 ManualStart_with_PassiveTcpEstablishment
  connect_retry_expires,     // 9 ConnectRetryTimer_Expires
  hold_timer_expires,        // 10
  keepalive_timer_expires,   // 11
  idle_hold_timer_expires,   // 13
  tcp_connection_valid,      // 14 TcpConnection_Valid
  tcp_cr_acked,              // 16 Tcp_CR_Acked: our connect succeeded
  tcp_connection_confirmed,  // 17 TcpConnectionConfirmed: we accepted one
  tcp_connection_fails,      // 18
  bgp_open,                  // 19 BGPOpen
  bgp_header_err,            // 21 BGPHeaderErr
  bgp_open_msg_err,          // 22 BGPOpenMsgErr
  open_collision_dump,       // 23
  notif_msg,                 // 25 NotifMsg (also 24, NotifMsgVerErr)
  keepalive_msg,             // 26 KeepAliveMsg
  update_msg,                // 27 UpdateMsg
  update_msg_err,            // 28 UpdateMsgErr (session reset class, RFC 7606)
};
inline constexpr size_t kEventCount = 19;

std::string_view to_string(State state);
std::string_view to_string(EventKind kind);

// Events the adapter feeds with Fsm::handle(). The four timer events are the
// FSM's own: Fsm::expire() raises them.
namespace event {
struct ManualStart {};
struct ManualStartPassive {};
struct ManualStop {
  std::string communication;  // RFC 8203 shutdown communication, may be empty
};
struct TcpConnectionValid {};
struct TcpCrAcked {};
struct TcpConnectionConfirmed {};
struct TcpConnectionFails {};
struct OpenReceived {
  Open open;
};
struct HeaderError {  // a decode error in the message header (RFC 4271 §6.1)
  Error error;
};
struct OpenMessageError {  // a decode error in an OPEN (RFC 4271 §6.2)
  Error error;
};
struct NotificationReceived {
  Notification notification;
};
struct KeepaliveReceived {};
struct UpdateReceived {};
struct UpdateMessageError {  // an UPDATE error that resets the session
  Error error;
};
struct OpenCollisionDump {};
}  // namespace event

using Event =
    std::variant<event::ManualStart, event::ManualStartPassive, event::ManualStop,
                 event::TcpConnectionValid, event::TcpCrAcked, event::TcpConnectionConfirmed,
                 event::TcpConnectionFails, event::OpenReceived, event::HeaderError,
                 event::OpenMessageError, event::NotificationReceived, event::KeepaliveReceived,
                 event::UpdateReceived, event::UpdateMessageError, event::OpenCollisionDump>;

EventKind kind_of(const Event& event);

// Why a session fell back to Idle.
enum class DownCause : uint8_t {
  stopped,                // ManualStop
  connection_lost,        // TCP failed or closed without NOTIFICATION
  hold_timer_expired,     // we sent Hold Timer Expired
  error_sent,             // we found an error and sent `notification`
  notification_received,  // the peer sent `notification`
  collision,              // this connection lost a collision (§6.8)
  unexpected_event,       // a message before the BGP connection existed
};

struct DownReason {
  DownCause cause = DownCause::stopped;
  std::optional<Notification> notification;  // sent or received
  std::string text;                          // one line for logs and `show`
  bool operator==(const DownReason&) const = default;
};

// What the adapter does, in the order given.
namespace action {
struct Connect {  // open a TCP connection to the peer
  bool operator==(const Connect&) const = default;
};
struct Close {  // close the connection (or refuse the one just offered)
  bool operator==(const Close&) const = default;
};
struct SendOpen {
  Open open;
  bool operator==(const SendOpen&) const = default;
};
struct SendKeepalive {
  bool operator==(const SendKeepalive&) const = default;
};
struct SendNotification {
  Notification notification;
  bool operator==(const SendNotification&) const = default;
};
struct SessionEstablished {
  Session session;
  bool operator==(const SessionEstablished&) const = default;
};
// Follows every SessionEstablished, once. `retain` is the peer's Graceful
// Restart capability when the RIB should keep its routes as stale for the
// restart time instead of withdrawing them (RFC 4724 §4.2, helper mode).
struct SessionDown {
  DownReason reason;
  std::optional<GracefulRestart> retain;
  bool operator==(const SessionDown&) const = default;
};
}  // namespace action

using Action =
    std::variant<action::Connect, action::Close, action::SendOpen, action::SendKeepalive,
                 action::SendNotification, action::SessionEstablished, action::SessionDown>;
using Actions = std::vector<Action>;

}  // namespace nwbpf::bgp
