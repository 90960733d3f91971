// SPDX-License-Identifier: Apache-2.0
// MAC mobility of the MACs learned locally (RFC 7432 §15): the sequence
// number we advertise a MAC with, and duplicate MAC detection.
//
// - A MAC learned here while a remote route advertises it has moved here:
//   we advertise it with the remote's highest sequence + 1 (§15.1); one
//   learned with no remote route starts at 0.
// - A remote route that beats ours (ImportTable) means the MAC moved away:
//   the caller withdraws our route and drops its local entry.
// - Each of these is a move. max_moves moves within `window` (FRR's
//   defaults: 5 in 180 s) make the MAC a duplicate (§15.1: "the PE MUST
//   alert the operator and stop sending and processing any BGP MAC/IP
//   Advertisement routes for that MAC address"): we stop advertising it
//   until the operator clears it. Moves are timed on an injected clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>

#include "bgp/timers.h"
#include "evpn/import.h"

namespace nwbpf::evpn {

struct DuplicateDetection {
  unsigned max_moves = 5;
  bgp::Duration window = std::chrono::seconds(180);
  bool operator==(const DuplicateDetection&) const = default;
};

// What a local event asks of the speaker.
struct MobilityDecision {
  std::optional<uint32_t> advertise;  // the sequence to advertise with; nullopt: nothing new
  bool withdraw = false;              // withdraw what we advertised
  bool became_duplicate = false;      // this event made it a duplicate: report it
};

class LocalMacs {
 public:
  // Throws std::invalid_argument for max_moves 0 or a window that is not
  // positive.
  explicit LocalMacs(DuplicateDetection detection);

  // The data plane learned the MAC on a local port. `remote`: the best
  // remote route for it, if any.
  MobilityDecision learned(const MacKey& key, const std::optional<RemoteMac>& remote,
                           bgp::TimePoint now);
  // The MAC aged out or was removed locally.
  MobilityDecision removed(const MacKey& key);
  // A remote route beat our advertisement: the MAC moved away.
  MobilityDecision lost(const MacKey& key, bgp::TimePoint now);
  // The operator cleared a duplicate: a MAC still present is advertised
  // again (above `remote`), its move history forgotten.
  MobilityDecision clear_duplicate(const MacKey& key, const std::optional<RemoteMac>& remote);

  bool is_duplicate(const MacKey& key) const;
  // Sequence we advertise the MAC with, if we do.
  std::optional<uint32_t> advertised(const MacKey& key) const;
  std::vector<MacKey> duplicates() const;

 private:
  struct State {
    bool present = false;  // learned locally and not aged out
    std::optional<uint32_t> advertised;
    bool duplicate = false;
    std::deque<bgp::TimePoint> moves;  // within the window
  };
  // Records a move; true when it makes the MAC a duplicate.
  bool move(State& state, bgp::TimePoint now);
  // Forgets a MAC that is neither here, nor a duplicate, nor moving.
  void forget_if_idle(std::map<MacKey, State>::iterator at);

  DuplicateDetection detection_;
  std::map<MacKey, State> macs_;
};

}  // namespace nwbpf::evpn
