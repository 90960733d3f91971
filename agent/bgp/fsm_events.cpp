// SPDX-License-Identifier: Apache-2.0
#include "bgp/fsm_events.h"

#include <array>

namespace nwbpf::bgp {

namespace {

// Names as RFC 4271 §8 spells them, so logs read like the RFC.
constexpr std::array<std::string_view, kStateCount> kStateNames{
    "Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established"};

constexpr std::array<std::string_view, kEventCount> kEventNames{
    "ManualStart",
    "ManualStop",
    "ManualStart_with_PassiveTcpEstablishment",
    "ConnectRetryTimer_Expires",
    "HoldTimer_Expires",
    "KeepaliveTimer_Expires",
    "IdleHoldTimer_Expires",
    "TcpConnection_Valid",
    "Tcp_CR_Acked",
    "TcpConnectionConfirmed",
    "TcpConnectionFails",
    "BGPOpen",
    "BGPHeaderErr",
    "BGPOpenMsgErr",
    "OpenCollisionDump",
    "NotifMsg",
    "KeepAliveMsg",
    "UpdateMsg",
    "UpdateMsgErr",
};

struct KindOf {
  EventKind operator()(const event::ManualStart&) const { return EventKind::manual_start; }
  EventKind operator()(const event::ManualStartPassive&) const {
    return EventKind::manual_start_passive;
  }
  EventKind operator()(const event::ManualStop&) const { return EventKind::manual_stop; }
  EventKind operator()(const event::TcpConnectionValid&) const {
    return EventKind::tcp_connection_valid;
  }
  EventKind operator()(const event::TcpCrAcked&) const { return EventKind::tcp_cr_acked; }
  EventKind operator()(const event::TcpConnectionConfirmed&) const {
    return EventKind::tcp_connection_confirmed;
  }
  EventKind operator()(const event::TcpConnectionFails&) const {
    return EventKind::tcp_connection_fails;
  }
  EventKind operator()(const event::OpenReceived&) const { return EventKind::bgp_open; }
  EventKind operator()(const event::HeaderError&) const { return EventKind::bgp_header_err; }
  EventKind operator()(const event::OpenMessageError&) const { return EventKind::bgp_open_msg_err; }
  EventKind operator()(const event::NotificationReceived&) const { return EventKind::notif_msg; }
  EventKind operator()(const event::KeepaliveReceived&) const { return EventKind::keepalive_msg; }
  EventKind operator()(const event::UpdateReceived&) const { return EventKind::update_msg; }
  EventKind operator()(const event::UpdateMessageError&) const { return EventKind::update_msg_err; }
  EventKind operator()(const event::OpenCollisionDump&) const {
    return EventKind::open_collision_dump;
  }
};

}  // namespace

std::string_view to_string(State state) { return kStateNames.at(size_t(state)); }
std::string_view to_string(EventKind kind) { return kEventNames.at(size_t(kind)); }
EventKind kind_of(const Event& event) { return std::visit(KindOf{}, event); }

}  // namespace nwbpf::bgp
