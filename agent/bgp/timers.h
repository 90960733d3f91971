// SPDX-License-Identifier: Apache-2.0
// Time for the BGP FSM, from an injected clock: the FSM never reads a clock;
// every call passes `now`, timers hold absolute deadlines, and the adapter
// schedules one wake-up at the FSM's earliest deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

namespace nwbpf::bgp {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

// One FSM timer (RFC 4271 §8: ConnectRetryTimer, HoldTimer, KeepaliveTimer,
// IdleHoldTimer): stopped, or running towards a deadline. It is due at the
// deadline itself, when the whole period has passed, and never before.
class Timer {
 public:
  void start(TimePoint now, Duration period) { deadline_ = now + period; }
  void stop() { deadline_.reset(); }
  bool running() const { return deadline_.has_value(); }
  bool due(TimePoint now) const { return deadline_ && now >= *deadline_; }
  std::optional<TimePoint> deadline() const { return deadline_; }

 private:
  std::optional<TimePoint> deadline_;
};

// Jitter (RFC 4271 §10): maps a timer's period to the period actually used.
// An empty Jitter uses periods as configured (tests, and a single peer).
using Jitter = std::function<Duration(Duration)>;

// RFC 4271 §10's jitter: each period times a factor drawn uniformly from
// [0.75, 1.0], so that many sessions started together (every CE after a route
// server restart) do not reconnect and send KEEPALIVEs in lockstep.
Jitter random_jitter(uint64_t seed);

}  // namespace nwbpf::bgp
