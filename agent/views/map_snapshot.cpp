// SPDX-License-Identifier: Apache-2.0
#include "views/map_snapshot.h"

#include <net/if.h>
#include <time.h>

namespace nwbpf::views {

namespace {

// A BpfMap or a PortTable as an ordered map.
template <typename Map>
auto as_map(const Map& map) {
  auto entries = map.entries();
  return std::map(entries.begin(), entries.end());
}

std::vector<std::vector<nwbpf_counter>> all_indices(const PerCpuArray<nwbpf_counter>& map,
                                                    uint32_t count) {
  std::vector<std::vector<nwbpf_counter>> out;
  for (uint32_t i = 0; i < count; ++i) out.push_back(map.lookup(i));
  return out;
}

}  // namespace

FdbSnapshot read_fdb_snapshot(const DatapathMaps& maps) {
  FdbSnapshot snap;
  snap.fdb = maps.fdb.entries();
  snap.learned = maps.fdb_learned.entries();
  snap.ports = as_map(maps.ports);
  snap.peers = as_map(maps.peers);
  snap.now_ns = monotonic_now_ns();
  return snap;
}

StatsView read_stats(const DatapathMaps& maps) {
  return sum_stats(all_indices(maps.stats, NWBPF_STAT_MAX),
                   all_indices(maps.drops, NWBPF_DROP_MAX));
}

std::optional<std::string> interface_name(uint32_t ifindex) {
  char name[IF_NAMESIZE];
  if (!if_indextoname(ifindex, name)) return std::nullopt;
  return std::string(name);
}

uint64_t monotonic_now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace nwbpf::views
