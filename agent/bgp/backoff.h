// SPDX-License-Identifier: Apache-2.0
// Damping of a flapping peer (RFC 4271 §8.1.1 DampPeerOscillations): after a
// session falls back to Idle for any reason but a manual stop, the FSM waits
// the IdleHoldTime before it starts again (IdleHoldTimer, event 13). The wait
// doubles with every drop, so a peer that resets the session again and again
// (or refuses our connection) is retried ever more slowly, and it is
// forgotten once a session has stayed up long enough. This one mechanism is
// the connect-retry backoff too: a failed TCP connect is a drop.
//
// Figures (defaults): 1 s after the first drop, then 2, 4, ... 64 s, capped
// at 120 s (RFC 4271's suggested ConnectRetryTime, so a dead peer is tried no
// less often than a plain RFC 4271 speaker would); a session Established for
// 120 s (the longest wait) clears the history.
#pragma once

#include <chrono>
#include <optional>

#include "bgp/timers.h"

namespace nwbpf::bgp {

struct DampingConfig {
  Duration initial = std::chrono::seconds(1);   // wait after the first drop
  Duration max = std::chrono::seconds(120);     // cap on the doubling
  Duration stable = std::chrono::seconds(120);  // up this long: drops forgotten
  bool operator==(const DampingConfig&) const = default;
};

class IdleHoldBackoff {
 public:
  explicit IdleHoldBackoff(DampingConfig config) : config_(config) {}

  // The session reached Established at `now`.
  void established(TimePoint now) { established_at_ = now; }
  // The session fell to Idle at `now`: counts the drop and returns the
  // IdleHoldTime, initial * 2^(drops - 1) capped at max, where a drop after
  // a session that stayed Established for `stable` counts as the first.
  Duration drop(TimePoint now);
  // Forgets every drop (a manual stop: an operator restart starts afresh).
  void reset();
  // Drops since the last reset: RFC 4271's ConnectRetryCounter.
  unsigned drops() const { return drops_; }

 private:
  DampingConfig config_;
  unsigned drops_ = 0;
  std::optional<TimePoint> established_at_;
};

}  // namespace nwbpf::bgp
