// SPDX-License-Identifier: Apache-2.0
// Daemon: what the control socket's commands read and do.
#include "daemon/control_views.h"
#include "daemon/daemon.h"
#include "daemon/fdb_ageing.h"

namespace nwbpf::daemon {

ControlBackend Daemon::backend() {
  return ControlBackend{
      .show_ports = [this] { return ports_json(desired_.port_views); },
      .show_peers = [this] { return peers_json(config_); },
      .show_fdb = [this] { return show_fdb(); },
      .show_stats = [this] { return show_stats(); },
      .reload = [this] { return reload(); },
  };
}

nlohmann::json Daemon::show_fdb() {
  if (!datapath_) throw std::runtime_error("the data plane is not loaded yet");
  auto& maps = datapath_->maps();
  FdbSources src{.control = maps.fdb.entries(),
                 .learned = maps.fdb_learned.entries(),
                 .now_ns = monotonic_ns(),
                 .port_name = [this](int ifindex) { return port_name(ifindex); },
                 .peers = &desired_.peers};
  return fdb_json(src);
}

nlohmann::json Daemon::show_stats() {
  if (!datapath_) throw std::runtime_error("the data plane is not loaded yet");
  auto& maps = datapath_->maps();
  std::vector<nwbpf_counter> stats, drops;
  for (uint32_t i = 0; i < NWBPF_STAT_MAX; ++i) stats.push_back(sum_counters(maps.stats.lookup(i)));
  for (uint32_t i = 0; i < NWBPF_DROP_MAX; ++i) drops.push_back(sum_counters(maps.drops.lookup(i)));
  std::map<std::string, uint64_t> agent{
      {"fdb_aged_out", aged_out_},
      {"fdb_orphans_removed", orphans_removed_},
      {"events_received", events_ ? events_->received() : 0},
      {"events_malformed", events_ ? events_->malformed() : 0},
      {"neigh_resolve_requests", neigh_requests_},
  };
  return stats_json(stats, drops, agent);
}

}  // namespace nwbpf::daemon
