// SPDX-License-Identifier: Apache-2.0
// When EvpnService tells the daemon that its imports changed. Each telling
// costs a reconcile, which reads and diffs the whole FDB: O(table). Told
// after every UPDATE of a burst (a route reflector's table after
// Established: ~900 UPDATEs for 100,000 MACs), a burst costs O(table x
// UPDATEs) and the table lands in the FDB many seconds late. So a change is
// held while more keep coming: told once the UPDATEs pause for `quiet`, at
// End-of-RIB (RFC 4724 §2: the peer's table is complete) at once, and at
// most `max_hold` after the first change held, so a long burst still
// reaches the FDB in steps. Pure, with the time passed in.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>

namespace nwbpf::daemon {

template <typename Clock>
class ImportHold {
 public:
  using TimePoint = typename Clock::time_point;
  using Duration = typename Clock::duration;

  ImportHold(Duration quiet, Duration max_hold) : quiet_(quiet), max_hold_(max_hold) {}

  // A change at `now`: returns when to tell the daemon (now or later; a
  // later change moves it, never past max_hold after the first held one).
  TimePoint changed(TimePoint now) {
    if (!first_) first_ = now;
    return std::min(now + quiet_, *first_ + max_hold_);
  }
  bool held() const { return first_.has_value(); }
  // The daemon was told: nothing is held.
  void told() { first_.reset(); }

 private:
  Duration quiet_;
  Duration max_hold_;
  std::optional<TimePoint> first_;  // the first change not told yet
};

}  // namespace nwbpf::daemon
