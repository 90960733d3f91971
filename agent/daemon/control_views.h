// SPDX-License-Identifier: Apache-2.0
// The "result" JSON of each show command (shapes in control/protocol.h),
// built from plain data so the shapes are unit-tested without maps.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/desired_state.h"
#include "daemon/fdb_ageing.h"
#include "nwbpf/counters.h"

namespace nwbpf::daemon {

nlohmann::json ports_json(const std::vector<PortView>& ports);

// Static peers with the VNIs whose flood lists name them.
nlohmann::json peers_json(const Config& config);

struct FdbSources {
  FdbEntries control;                                // map fdb (static now, EVPN later)
  FdbEntries learned;                                // map fdb_learned
  uint64_t now_ns = 0;                               // CLOCK_MONOTONIC, for ages
  std::function<std::string(int)> port_name;         // ifindex -> name ("" if unknown)
  const Table<__be32, nwbpf_peer>* peers = nullptr;  // VTEP -> NBMA
};
// One object per entry, ordered by VNI then MAC, control-plane entries
// before learned ones: {"vni", "mac", "origin", "kind",
//   local: "port", "ifindex", "vlan"; remote: "vtep", "nbma" (null if the
//   VTEP is no peer); learned: "age_s"}.
nlohmann::json fdb_json(const FdbSources& sources);

// Sums of the per-CPU counters, indexed like the maps (counters.h):
// {"stats": [{"name", "description", "packets", "bytes"}..], "drops": [..],
//  "agent": {name: value}}.
nlohmann::json stats_json(const std::vector<nwbpf_counter>& stats,
                          const std::vector<nwbpf_counter>& drops,
                          const std::map<std::string, uint64_t>& agent);

// Adds up one counter's per-CPU values.
nwbpf_counter sum_counters(const std::vector<nwbpf_counter>& per_cpu);

}  // namespace nwbpf::daemon
