// SPDX-License-Identifier: Apache-2.0
// When EvpnService tells the daemon that its imports changed. Each telling
// costs a reconcile, which reads and diffs the whole FDB: O(table). Told
// after every UPDATE of a burst (a route reflector's table after
// Established: ~900 UPDATEs for 100,000 MACs), a burst costs O(table x
// UPDATEs) and the table lands in the FDB many seconds late. So changes are
// held:
// - while a peer is still sending its table (Established with the
//   Graceful Restart capability, no End-of-RIB yet: RFC 4724 §2), for
//   `max_hold`; its End-of-RIB tells at once (the caller's part). Pauses mean nothing then: the table comes as fast as
//   TCP and the other end allow, which on a WAN or a busy reflector
//   leaves gaps between UPDATEs;
// - otherwise until the UPDATEs pause for `quiet`, and never longer than
//   `max_hold` after the first change held, so a long burst still reaches
//   the FDB in steps.
// Pure, with the time passed in.
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

  // A change at `now`, while a peer's table is still coming (`syncing`)
  // or not: returns when to tell the daemon (now or later; a later change
  // moves it, never past max_hold after the first held one).
  TimePoint changed(TimePoint now, bool syncing) {
    if (!first_) first_ = now;
    const TimePoint last = *first_ + max_hold_;
    return syncing ? last : std::min(now + quiet_, last);
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
