// SPDX-License-Identifier: Apache-2.0
#include "daemon/fdb_ageing.h"

#include <time.h>

#include <algorithm>

#include "nwbpf/consts.h"

namespace nwbpf::daemon {

bool is_expired(const nwbpf_fdb_entry& entry, uint64_t now_ns, std::chrono::seconds ageing) {
  const auto ageing_ns =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(ageing).count());
  return entry.last_seen_ns < now_ns && now_ns - entry.last_seen_ns > ageing_ns;
}

std::vector<nwbpf_fdb_key> select_expired(const FdbEntries& learned, uint64_t now_ns,
                                          std::chrono::seconds ageing) {
  std::vector<nwbpf_fdb_key> out;
  for (const auto& [key, entry] : learned)
    if (is_expired(entry, now_ns, ageing)) out.push_back(key);
  return out;
}

std::vector<nwbpf_fdb_key> select_orphaned(const FdbEntries& learned, const DesiredState& want) {
  std::vector<nwbpf_fdb_key> out;
  for (const auto& [key, entry] : learned) {
    bool orphan = false;
    if (entry.kind == NWBPF_FDB_LOCAL) {
      auto port = want.ports.find(entry.ifindex);
      orphan = port == want.ports.end() || port->second.role != NWBPF_PORT_EDGE;
    } else if (entry.kind == NWBPF_FDB_REMOTE) {
      orphan = !want.peers.contains(entry.vtep);
    }
    if (orphan) out.push_back(key);
  }
  return out;
}

std::chrono::seconds ageing_scan_interval(std::chrono::seconds ageing) {
  return std::clamp(ageing / 4, std::chrono::seconds(1), std::chrono::seconds(30));
}

uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace nwbpf::daemon
