// SPDX-License-Identifier: Apache-2.0
// Reads what show fdb / show stats print out of the data-plane maps, plus the
// two facts of the running system they need (device names, the BPF clock).
// The thin I/O half of fdb_view / stats_view.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "views/fdb_view.h"
#include "views/stats_view.h"
#include "dataplane/datapath_maps.h"

namespace nwbpf::views {

// fdb, fdb_learned, ports and peers, with now_ns taken after reading them
// (so no age comes out negative). Throws BpfError.
FdbSnapshot read_fdb_snapshot(const DatapathMaps& maps);
// Every index of stats and drops, summed over CPUs. Throws BpfError.
StatsView read_stats(const DatapathMaps& maps);

// if_indextoname in this process's network namespace.
std::optional<std::string> interface_name(uint32_t ifindex);
// CLOCK_MONOTONIC in ns: what bpf_ktime_get_ns() returns.
uint64_t monotonic_now_ns();

}  // namespace nwbpf::views
