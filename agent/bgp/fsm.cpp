// SPDX-License-Identifier: Apache-2.0
// The RFC 4271 §8.2.2 actions the FSM table (fsm_table.cpp) names.
#include "bgp/fsm.h"

#include <string>
#include <utility>

namespace nwbpf::bgp {

namespace {

std::string describe(const Notification& n) {
  std::string text = "code " + std::to_string(unsigned(n.code)) + " subcode " +
                     std::to_string(unsigned(n.subcode));
  if (auto communication = n.shutdown_communication(); communication && !communication->empty())
    text += ": \"" + *communication + "\"";
  return text;
}

// RFC 6608: which "unexpected message" subcode a state reports.
FsmError unexpected_in(State state) {
  switch (state) {
    case State::open_sent:
      return FsmError::unexpected_in_open_sent;
    case State::open_confirm:
      return FsmError::unexpected_in_open_confirm;
    default:
      return FsmError::unexpected_in_established;
  }
}

// The decode error an error event carries; throws std::bad_variant_access
// for any other event (the table routes only these three to decode_error).
const Error& error_of(const Event& event) {
  if (const auto* e = std::get_if<event::HeaderError>(&event)) return e->error;
  if (const auto* e = std::get_if<event::OpenMessageError>(&event)) return e->error;
  return std::get<event::UpdateMessageError>(event).error;
}

FsmConfig validated(FsmConfig config) {
  validate(config);
  return config;
}

std::string unexpected(EventKind kind, State state) {
  return std::string(to_string(kind)) + " in " + std::string(to_string(state));
}

}  // namespace

Fsm::Fsm(FsmConfig config)
    : config_(validated(std::move(config))),
      open_(local_open(config_)),
      backoff_(config_.damping) {}

Actions Fsm::handle(const Event& event, TimePoint now) {
  return dispatch(kind_of(event), &event, now);
}

// Tie-break order: a due HoldTimer ends the session before a KEEPALIVE due
// at the same instant would be sent.
const std::array<Fsm::TimerSlot, 4> Fsm::kTimers{{
    {&Fsm::hold_, EventKind::hold_timer_expires},
    {&Fsm::keepalive_, EventKind::keepalive_timer_expires},
    {&Fsm::connect_retry_, EventKind::connect_retry_expires},
    {&Fsm::idle_hold_, EventKind::idle_hold_timer_expires},
}};

const Fsm::TimerSlot* Fsm::earliest() const {
  const TimerSlot* best = nullptr;
  for (const auto& slot : kTimers) {
    const Timer& t = this->*slot.timer;
    if (t.running() && (!best || *t.deadline() < *(this->*best->timer).deadline())) best = &slot;
  }
  return best;
}

Actions Fsm::expire(TimePoint now) {
  Actions out;
  for (const TimerSlot* slot; (slot = earliest()) && (this->*slot->timer).due(now);) {
    (this->*slot->timer).stop();
    for (auto& action : dispatch(slot->expires, nullptr, now)) out.push_back(std::move(action));
  }
  return out;
}

std::optional<TimePoint> Fsm::next_deadline() const {
  const TimerSlot* slot = earliest();
  return slot ? (this->*slot->timer).deadline() : std::nullopt;
}

void Fsm::update_sent(TimePoint now) {
  if (keepalive_.running()) keepalive_.start(now, jittered(session_->keepalive_time));
}

Actions Fsm::dispatch(EventKind kind, const Event* event, TimePoint now) {
  const Transition& t = kTable[size_t(state_)][size_t(kind)];
  Step step{kind, now, event, {}};
  state_ = (this->*t.handler)(step).value_or(t.next);
  return std::move(step.out);
}

Duration Fsm::jittered(Duration period) const {
  return config_.jitter ? config_.jitter(period) : period;
}

std::optional<State> Fsm::ignore(Step&) { return std::nullopt; }

std::optional<State> Fsm::refuse(Step& s) {
  s.out.push_back(action::Close{});
  return std::nullopt;
}

std::optional<State> Fsm::start(Step& s) {
  passive_ = false;
  backoff_.reset();
  connect(s);
  return std::nullopt;
}

std::optional<State> Fsm::start_passive(Step&) {
  passive_ = true;
  backoff_.reset();
  idle_hold_.stop();
  return std::nullopt;
}

std::optional<State> Fsm::automatic_start(Step& s) {
  if (passive_) return State::active;
  connect(s);
  return std::nullopt;
}

std::optional<State> Fsm::cancel_restart(Step&) {
  idle_hold_.stop();
  backoff_.reset();
  return std::nullopt;
}

void Fsm::connect(Step& s) {
  idle_hold_.stop();
  connect_retry_.start(s.now, jittered(config_.connect_retry_time));
  s.out.push_back(action::Connect{});
}

std::optional<State> Fsm::retry_connect(Step& s) {
  s.out.push_back(action::Close{});
  connect(s);
  return std::nullopt;
}

std::optional<State> Fsm::send_open(Step& s) {
  connect_retry_.stop();
  s.out.push_back(action::SendOpen{open_});
  hold_.start(s.now, kOpenSentHoldTime);
  return std::nullopt;
}

std::optional<State> Fsm::receive_open(Step& s) {
  auto result = negotiate(config_, std::get<event::OpenReceived>(*s.event).open);
  if (auto* error = std::get_if<Error>(&result))
    return tear_down(s, {DownCause::error_sent, Notification::from(*error), error->text});
  session_ = std::get<Session>(std::move(result));
  s.out.push_back(action::SendKeepalive{});
  // RFC 4271 §8.2.2: a negotiated hold time of zero starts neither timer.
  hold_.stop();
  if (session_->hold_time.count() != 0) {
    hold_.start(s.now, session_->hold_time);
    keepalive_.start(s.now, jittered(session_->keepalive_time));
  }
  return std::nullopt;
}

std::optional<State> Fsm::confirm(Step& s) {
  rearm_hold(s);
  backoff_.established(s.now);
  s.out.push_back(action::SessionEstablished{*session_});
  return std::nullopt;
}

std::optional<State> Fsm::rearm_hold(Step& s) {
  if (hold_.running()) hold_.start(s.now, session_->hold_time);
  return std::nullopt;
}

std::optional<State> Fsm::send_keepalive(Step& s) {
  s.out.push_back(action::SendKeepalive{});
  keepalive_.start(s.now, jittered(session_->keepalive_time));
  return std::nullopt;
}

std::optional<State> Fsm::stop(Step& s) {
  backoff_.reset();
  DownReason reason{DownCause::stopped, std::nullopt, "stopped"};
  // A NOTIFICATION needs the BGP connection, which OpenSent starts.
  if (state_ >= State::open_sent) {
    const auto& communication = std::get<event::ManualStop>(*s.event).communication;
    reason.notification =
        communication.empty()
            ? Notification{ErrorCode::cease, uint8_t(CeaseError::administrative_shutdown), {}}
            : Notification::shutdown(CeaseError::administrative_shutdown, communication);
  }
  return tear_down(s, std::move(reason), Then::stay_idle);
}

std::optional<State> Fsm::connection_lost(Step& s) {
  return tear_down(s, {DownCause::connection_lost, std::nullopt, "connection lost"});
}

std::optional<State> Fsm::drop(Step& s) {
  return tear_down(s, {DownCause::unexpected_event, std::nullopt, unexpected(s.kind, state_)});
}

std::optional<State> Fsm::hold_expired(Step& s) {
  return tear_down(
      s, {DownCause::hold_timer_expired,
          Notification{ErrorCode::hold_timer_expired, kUnspecific, {}}, "hold timer expired"});
}

std::optional<State> Fsm::decode_error(Step& s) {
  const Error& error = error_of(*s.event);
  return tear_down(s, {DownCause::error_sent, Notification::from(error), error.text});
}

std::optional<State> Fsm::fsm_error(Step& s) {
  return tear_down(
      s, {DownCause::error_sent, Notification{ErrorCode::fsm, uint8_t(unexpected_in(state_)), {}},
          "unexpected " + unexpected(s.kind, state_)});
}

std::optional<State> Fsm::peer_notification(Step& s) {
  const auto& n = std::get<event::NotificationReceived>(*s.event).notification;
  return tear_down(s,
                   {DownCause::notification_received, n, "peer sent NOTIFICATION " + describe(n)});
}

std::optional<State> Fsm::collision(Step& s) {
  return tear_down(
      s,
      {DownCause::collision,
       Notification{ErrorCode::cease, uint8_t(CeaseError::connection_collision_resolution), {}},
       "connection collision resolution"},
      Then::stay_idle);
}

std::optional<State> Fsm::tear_down(Step& s, DownReason reason, Then then) {
  if (reason.notification && reason.cause != DownCause::notification_received)
    s.out.push_back(action::SendNotification{*reason.notification});
  s.out.push_back(action::Close{});
  connect_retry_.stop();
  hold_.stop();
  keepalive_.stop();
  if (state_ == State::established) {
    // RFC 4724 §4.2: the peer's routes outlive a session that vanished (TCP
    // lost, or the peer silent until our HoldTimer expired: it restarted
    // without closing TCP), not one that either side ended on purpose with
    // a NOTIFICATION (RFC 8538's N bit would cover those; we do not send it).
    const bool vanished =
        reason.cause == DownCause::connection_lost || reason.cause == DownCause::hold_timer_expired;
    s.out.push_back(
        action::SessionDown{reason, vanished ? session_->peer_graceful_restart : std::nullopt});
  }
  session_.reset();
  last_down_ = std::move(reason);
  if (then == Then::restart) idle_hold_.start(s.now, jittered(backoff_.drop(s.now)));
  return State::idle;
}

}  // namespace nwbpf::bgp
