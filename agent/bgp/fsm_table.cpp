// SPDX-License-Identifier: Apache-2.0
// The BGP FSM as one state x event table (RFC 4271 §8.2.2): a row per
// state, an entry per event (in EventKind order) naming the handler that
// does the RFC's actions and the state that follows. A handler may choose
// another state: a rejected OPEN, and every teardown, lead to Idle; the
// automatic start of a passive session leads to Active.
//
// Words used below:
// - teardown: send the NOTIFICATION if one is named, close the connection,
//   stop the session timers, report SessionDown when leaving Established,
//   then wait the IdleHoldTimer (backoff.h) and start again, which is how we
//   do RFC 4271's automatic start with DampPeerOscillations (events 3-7, 13).
//   After ManualStop and a collision the FSM stays in Idle instead.
// - not armed: the event is a timer the FSM never runs in that state.
// - send OPEN: stop the ConnectRetryTimer, send our OPEN, run the HoldTimer
//   for 4 minutes until the peer's OPEN (kOpenSentHoldTime).
// Before OpenSent no NOTIFICATION is sent: there is no BGP connection yet
// (§8.1.1 SendNOTIFICATIONwithoutOPEN is off).
//
// Where we part from §8.2.2 on purpose:
// - Connect and OpenSent go to Idle on TcpConnectionFails (the RFC goes to
//   Active in OpenSent, and to Active in Connect only with DelayOpen), so
//   every failure passes through the same backoff; Active is therefore only
//   the passive session's state, and it never connects on its own (as
//   `passive` in FRR, BIRD and GoBGP), so it arms no ConnectRetryTimer.
// - A NOTIFICATION received in OpenSent is not answered with an FSM Error:
//   its sender closes the connection anyway (§6).
// - BGPHeaderErr in Established sends the Message Header Error itself, as
//   §6.1 requires, not the FSM Error §8.2.2 lists.
// - A second OPEN on a connection is an FSM Error (RFC 6608 subcodes); OPENs
//   on two connections to one peer are the session manager's collision
//   (collision.h), which dumps the loser with OpenCollisionDump.
#include "bgp/fsm.h"

namespace nwbpf::bgp {

using S = State;

// clang-format off
const Fsm::Transition Fsm::kTable[kStateCount][kEventCount] = {
  // Idle: no connection; connections are refused. Only a start leaves it.
  {
    {&Fsm::start,             S::connect},      // ManualStart: arm ConnectRetryTimer, Connect
    {&Fsm::cancel_restart,    S::idle},         // ManualStop: cancel a pending automatic start
    {&Fsm::start_passive,     S::active},       // ManualStart_with_Passive: wait for the peer
    {&Fsm::ignore,            S::idle},         // ConnectRetryTimer_Expires: not armed
    {&Fsm::ignore,            S::idle},         // HoldTimer_Expires: not armed
    {&Fsm::ignore,            S::idle},         // KeepaliveTimer_Expires: not armed
    {&Fsm::automatic_start,   S::connect},      // IdleHoldTimer_Expires: start as last time
    {&Fsm::refuse,            S::idle},         // TcpConnection_Valid: refused
    {&Fsm::refuse,            S::idle},         // Tcp_CR_Acked: refused
    {&Fsm::refuse,            S::idle},         // TcpConnectionConfirmed: refused
    {&Fsm::ignore,            S::idle},         // TcpConnectionFails
    {&Fsm::ignore,            S::idle},         // BGPOpen: §8.2.2 "any other event" is ignored
    {&Fsm::ignore,            S::idle},         // BGPHeaderErr
    {&Fsm::ignore,            S::idle},         // BGPOpenMsgErr
    {&Fsm::ignore,            S::idle},         // OpenCollisionDump
    {&Fsm::ignore,            S::idle},         // NotifMsg
    {&Fsm::ignore,            S::idle},         // KeepAliveMsg
    {&Fsm::ignore,            S::idle},         // UpdateMsg
    {&Fsm::ignore,            S::idle},         // UpdateMsgErr
  },
  // Connect: our TCP connect is in progress (or a peer's may arrive).
  {
    {&Fsm::ignore,            S::connect},      // ManualStart: already started
    {&Fsm::stop,              S::idle},         // ManualStop: close, no NOTIFICATION yet
    {&Fsm::ignore,            S::connect},      // ManualStart_with_Passive: already started
    {&Fsm::retry_connect,     S::connect},      // ConnectRetryTimer_Expires: close, connect again
    {&Fsm::ignore,            S::connect},      // HoldTimer_Expires: not armed
    {&Fsm::ignore,            S::connect},      // KeepaliveTimer_Expires: not armed
    {&Fsm::ignore,            S::connect},      // IdleHoldTimer_Expires: not armed
    {&Fsm::ignore,            S::connect},      // TcpConnection_Valid: processed, stay
    {&Fsm::send_open,         S::open_sent},    // Tcp_CR_Acked: send OPEN
    {&Fsm::send_open,         S::open_sent},    // TcpConnectionConfirmed: idem
    {&Fsm::connection_lost,   S::idle},         // TcpConnectionFails: teardown (backoff)
    {&Fsm::drop,              S::idle},         // BGPOpen: "any other event": teardown
    {&Fsm::drop,              S::idle},         // BGPHeaderErr: idem, no NOTIFICATION
    {&Fsm::drop,              S::idle},         // BGPOpenMsgErr: idem
    {&Fsm::drop,              S::idle},         // OpenCollisionDump: idem
    {&Fsm::drop,              S::idle},         // NotifMsg: idem
    {&Fsm::drop,              S::idle},         // KeepAliveMsg: idem
    {&Fsm::drop,              S::idle},         // UpdateMsg: idem
    {&Fsm::drop,              S::idle},         // UpdateMsgErr: idem
  },
  // Active: a passive session listening for the peer.
  {
    {&Fsm::ignore,            S::active},       // ManualStart: already started
    {&Fsm::stop,              S::idle},         // ManualStop: no NOTIFICATION yet
    {&Fsm::ignore,            S::active},       // ManualStart_with_Passive: already started
    {&Fsm::ignore,            S::active},       // ConnectRetryTimer_Expires: not armed (passive)
    {&Fsm::ignore,            S::active},       // HoldTimer_Expires: not armed
    {&Fsm::ignore,            S::active},       // KeepaliveTimer_Expires: not armed
    {&Fsm::ignore,            S::active},       // IdleHoldTimer_Expires: not armed
    {&Fsm::ignore,            S::active},       // TcpConnection_Valid: processed, stay
    {&Fsm::send_open,         S::open_sent},    // Tcp_CR_Acked: send OPEN
    {&Fsm::send_open,         S::open_sent},    // TcpConnectionConfirmed: idem
    {&Fsm::connection_lost,   S::idle},         // TcpConnectionFails: teardown (backoff)
    {&Fsm::drop,              S::idle},         // BGPOpen: "any other event": teardown
    {&Fsm::drop,              S::idle},         // BGPHeaderErr: idem
    {&Fsm::drop,              S::idle},         // BGPOpenMsgErr: idem
    {&Fsm::drop,              S::idle},         // OpenCollisionDump: idem
    {&Fsm::drop,              S::idle},         // NotifMsg: idem
    {&Fsm::drop,              S::idle},         // KeepAliveMsg: idem
    {&Fsm::drop,              S::idle},         // UpdateMsg: idem
    {&Fsm::drop,              S::idle},         // UpdateMsgErr: idem
  },
  // OpenSent: our OPEN is out; waiting for the peer's.
  {
    {&Fsm::ignore,            S::open_sent},    // ManualStart: already started
    {&Fsm::stop,              S::idle},         // ManualStop: Cease/Administrative Shutdown
    {&Fsm::ignore,            S::open_sent},    // ManualStart_with_Passive: already started
    {&Fsm::ignore,            S::open_sent},    // ConnectRetryTimer_Expires: not armed
    {&Fsm::hold_expired,      S::idle},         // HoldTimer_Expires: Hold Timer Expired, teardown
    {&Fsm::ignore,            S::open_sent},    // KeepaliveTimer_Expires: not armed
    {&Fsm::ignore,            S::open_sent},    // IdleHoldTimer_Expires: not armed
    {&Fsm::ignore,            S::open_sent},    // TcpConnection_Valid: a second connection (§6.8)
    {&Fsm::ignore,            S::open_sent},    // Tcp_CR_Acked: idem
    {&Fsm::ignore,            S::open_sent},    // TcpConnectionConfirmed: idem
    {&Fsm::connection_lost,   S::idle},         // TcpConnectionFails: teardown (RFC: Active)
    {&Fsm::receive_open,      S::open_confirm}, // BGPOpen: checked (negotiate.h); KEEPALIVE,
                                                //   negotiated timers; a bad one: Idle
    {&Fsm::decode_error,      S::idle},         // BGPHeaderErr: the codec's NOTIFICATION, teardown
    {&Fsm::decode_error,      S::idle},         // BGPOpenMsgErr: idem
    {&Fsm::collision,         S::idle},         // OpenCollisionDump: Cease/Collision, stay Idle
    {&Fsm::peer_notification, S::idle},         // NotifMsg: teardown
    {&Fsm::fsm_error,         S::idle},         // KeepAliveMsg: FSM Error/unexpected in OpenSent
    {&Fsm::fsm_error,         S::idle},         // UpdateMsg: idem
    {&Fsm::fsm_error,         S::idle},         // UpdateMsgErr: idem
  },
  // OpenConfirm: OPENs exchanged; waiting for the peer's KEEPALIVE.
  {
    {&Fsm::ignore,            S::open_confirm}, // ManualStart: already started
    {&Fsm::stop,              S::idle},         // ManualStop: Cease/Administrative Shutdown
    {&Fsm::ignore,            S::open_confirm}, // ManualStart_with_Passive: already started
    {&Fsm::ignore,            S::open_confirm}, // ConnectRetryTimer_Expires: not armed
    {&Fsm::hold_expired,      S::idle},         // HoldTimer_Expires: Hold Timer Expired, teardown
    {&Fsm::send_keepalive,    S::open_confirm}, // KeepaliveTimer_Expires: KEEPALIVE, re-arm
    {&Fsm::ignore,            S::open_confirm}, // IdleHoldTimer_Expires: not armed
    {&Fsm::ignore,            S::open_confirm}, // TcpConnection_Valid: a second connection (§6.8)
    {&Fsm::ignore,            S::open_confirm}, // Tcp_CR_Acked: idem
    {&Fsm::ignore,            S::open_confirm}, // TcpConnectionConfirmed: idem
    {&Fsm::connection_lost,   S::idle},         // TcpConnectionFails: teardown
    {&Fsm::fsm_error,         S::idle},         // BGPOpen: a second OPEN: FSM Error
    {&Fsm::decode_error,      S::idle},         // BGPHeaderErr: the codec's NOTIFICATION, teardown
    {&Fsm::decode_error,      S::idle},         // BGPOpenMsgErr: idem
    {&Fsm::collision,         S::idle},         // OpenCollisionDump: Cease/Collision, stay Idle
    {&Fsm::peer_notification, S::idle},         // NotifMsg: teardown
    {&Fsm::confirm,           S::established},  // KeepAliveMsg: SessionEstablished
    {&Fsm::fsm_error,         S::idle},         // UpdateMsg: FSM Error/unexpected in OpenConfirm
    {&Fsm::fsm_error,         S::idle},         // UpdateMsgErr: idem
  },
  // Established: UPDATEs flow.
  {
    {&Fsm::ignore,            S::established},  // ManualStart: already started
    {&Fsm::stop,              S::idle},         // ManualStop: Cease/Administrative Shutdown
    {&Fsm::ignore,            S::established},  // ManualStart_with_Passive: already started
    {&Fsm::ignore,            S::established},  // ConnectRetryTimer_Expires: not armed
    {&Fsm::hold_expired,      S::idle},         // HoldTimer_Expires: Hold Timer Expired, teardown
    {&Fsm::send_keepalive,    S::established},  // KeepaliveTimer_Expires: KEEPALIVE, re-arm
    {&Fsm::ignore,            S::established},  // IdleHoldTimer_Expires: not armed
    {&Fsm::ignore,            S::established},  // TcpConnection_Valid: a second connection (§6.8)
    {&Fsm::ignore,            S::established},  // Tcp_CR_Acked: idem
    {&Fsm::ignore,            S::established},  // TcpConnectionConfirmed: idem
    {&Fsm::connection_lost,   S::idle},         // TcpConnectionFails: teardown; GR keeps routes
    {&Fsm::fsm_error,         S::idle},         // BGPOpen: FSM Error/unexpected in Established
    {&Fsm::decode_error,      S::idle},         // BGPHeaderErr: Message Header Error (§6.1)
    {&Fsm::fsm_error,         S::idle},         // BGPOpenMsgErr: an OPEN at all: FSM Error
    {&Fsm::collision,         S::idle},         // OpenCollisionDump: Cease/Collision, stay Idle
    {&Fsm::peer_notification, S::idle},         // NotifMsg: teardown
    {&Fsm::rearm_hold,        S::established},  // KeepAliveMsg: re-arm HoldTimer
    {&Fsm::rearm_hold,        S::established},  // UpdateMsg: re-arm HoldTimer (RIB has it)
    {&Fsm::decode_error,      S::idle},         // UpdateMsgErr: UPDATE Message Error, teardown
  },
};
// clang-format on

}  // namespace nwbpf::bgp
