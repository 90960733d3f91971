// SPDX-License-Identifier: Apache-2.0
// Which learned FDB entries the agent removes. BPF learns into the LRU map
// fdb_learned and refreshes last_seen_ns (CLOCK_MONOTONIC) at most once per
// NWBPF_LEARN_REFRESH_NS, so it lags by up to two seconds (bpf/lib/fdb.h;
// mac_ageing is at least 10 s); the LRU only
// evicts under pressure, so without ageing a MAC that moved behind another
// VTEP silently would be used forever.
#pragma once

#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include "daemon/desired_state.h"
#include "maps/fdb.h"

namespace nwbpf::daemon {

using FdbEntries = std::vector<std::pair<nwbpf_fdb_key, nwbpf_fdb_entry>>;

// Whether a learned entry was last seen more than `ageing` before `now_ns`.
// An entry stamped after now_ns (refreshed while we read the clock) is fresh.
bool is_expired(const nwbpf_fdb_entry& entry, uint64_t now_ns, std::chrono::seconds ageing);

// The keys of the learned entries that is_expired().
std::vector<nwbpf_fdb_key> select_expired(const FdbEntries& learned, uint64_t now_ns,
                                          std::chrono::seconds ageing);

// Learned entries that point at something the desired state no longer has:
// an edge port that disappeared or was removed, or a VTEP that is no longer
// a peer. Forwarding to them would only drop.
std::vector<nwbpf_fdb_key> select_orphaned(const FdbEntries& learned, const DesiredState& want);

// How often to scan: a quarter of the ageing time (so an entry outlives it
// by at most 25%), at least every 30 s, at most every second.
std::chrono::seconds ageing_scan_interval(std::chrono::seconds ageing);

// CLOCK_MONOTONIC in ns, the clock of bpf_ktime_get_ns().
uint64_t monotonic_ns();

}  // namespace nwbpf::daemon
