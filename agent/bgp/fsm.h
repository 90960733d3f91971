// SPDX-License-Identifier: Apache-2.0
// The BGP-4 finite state machine of one connection (RFC 4271 §8), sans-io:
// events and the time go in, actions for the session adapter come out. The
// transitions are one state x event table (fsm_table.cpp); handlers here
// carry out the RFC's actions. Decoding, sockets and the RIB are not here.
//
// Adapter contract:
// - feed every event with handle(), and call expire() when next_deadline()
//   passes (and after every call, re-read next_deadline());
// - carry out the returned actions in order; after Connect, report
//   TcpCrAcked or TcpConnectionFails; a connection the peer opens is offered
//   as TcpConnectionConfirmed (the FSM answers Close when it cannot take it);
// - leaving Connect through TcpConnectionConfirmed, abort the connect in
//   progress; after sending an UPDATE, call update_sent().
#pragma once

#include <array>
#include <optional>

#include "bgp/backoff.h"
#include "bgp/fsm_config.h"
#include "bgp/fsm_events.h"
#include "bgp/negotiate.h"
#include "bgp/timers.h"

namespace nwbpf::bgp {

// RFC 4271 §8.2.2: "a large value" for the HoldTimer while we wait for the
// peer's OPEN; the suggested 4 minutes.
inline constexpr Duration kOpenSentHoldTime = std::chrono::minutes(4);

class Fsm {
 public:
  // Throws std::invalid_argument on a bad config (see validate()).
  explicit Fsm(FsmConfig config);

  // Takes one event at `now`; returns the adapter's actions, in order.
  Actions handle(const Event& event, TimePoint now);
  // Raises the event of every timer due at `now` (its deadline <= now),
  // earliest first, and returns the actions of them all.
  Actions expire(TimePoint now);
  // When expire() is next needed; nullopt while no timer runs.
  std::optional<TimePoint> next_deadline() const;
  // The adapter sent an UPDATE: like a KEEPALIVE, it restarts the
  // KeepaliveTimer (RFC 4271 §8.2.2, Established).
  void update_sent(TimePoint now);

  State state() const { return state_; }
  // What the OPENs agreed, from OpenConfirm until the connection ends.
  const std::optional<Session>& session() const { return session_; }
  // Why the FSM last fell back to Idle ("Last reset" in `show bgp summary`).
  const std::optional<DownReason>& last_down() const { return last_down_; }
  // Drops since the last manual start or stop, or since a session that lasted.
  unsigned connect_retry_counter() const { return backoff_.drops(); }
  const FsmConfig& config() const { return config_; }

 private:
  // One event being handled: its kind, time, payload (null for timer
  // events) and the actions produced so far.
  struct Step {
    EventKind kind;
    TimePoint now;
    const Event* event;
    Actions out;
  };
  // A handler does the RFC's actions and returns nullopt to go to the
  // table's next state, or the state it chose instead (a rejected OPEN
  // leads to Idle; an automatic start of a passive session to Active).
  using Handler = std::optional<State> (Fsm::*)(Step&);
  struct Transition {
    Handler handler;
    State next;
  };
  static const Transition kTable[kStateCount][kEventCount];

  // A timer and the event its expiry raises.
  struct TimerSlot {
    Timer Fsm::*timer;
    EventKind expires;
  };
  static const std::array<TimerSlot, 4> kTimers;
  // The running timer with the earliest deadline (ties: kTimers order).
  const TimerSlot* earliest() const;

  // What happens to the FSM after a teardown.
  enum class Then { restart, stay_idle };

  Actions dispatch(EventKind kind, const Event* event, TimePoint now);
  Duration jittered(Duration period) const;

  std::optional<State> ignore(Step&);
  std::optional<State> refuse(Step& s);
  std::optional<State> start(Step& s);
  std::optional<State> start_passive(Step& s);
  std::optional<State> automatic_start(Step& s);
  std::optional<State> cancel_restart(Step& s);
  std::optional<State> retry_connect(Step& s);
  std::optional<State> send_open(Step& s);
  std::optional<State> receive_open(Step& s);
  std::optional<State> confirm(Step& s);
  std::optional<State> rearm_hold(Step& s);
  std::optional<State> send_keepalive(Step& s);
  std::optional<State> stop(Step& s);
  std::optional<State> connection_lost(Step& s);
  std::optional<State> drop(Step& s);
  std::optional<State> hold_expired(Step& s);
  std::optional<State> decode_error(Step& s);
  std::optional<State> fsm_error(Step& s);
  std::optional<State> peer_notification(Step& s);
  std::optional<State> collision(Step& s);

  void connect(Step& s);
  // Sends `notification` if any, closes the connection, stops the session
  // timers, reports SessionDown when leaving Established, and arms the
  // IdleHoldTimer for an automatic restart unless told to stay idle.
  std::optional<State> tear_down(Step& s, DownReason reason, Then then = Then::restart);

  FsmConfig config_;
  Open open_;  // ours, built once from config_
  State state_ = State::idle;
  bool passive_ = false;  // the last start was ManualStart_with_Passive...
  Timer connect_retry_;
  Timer hold_;
  Timer keepalive_;
  Timer idle_hold_;
  IdleHoldBackoff backoff_;
  std::optional<Session> session_;
  std::optional<DownReason> last_down_;
};

}  // namespace nwbpf::bgp
