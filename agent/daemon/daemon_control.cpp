// SPDX-License-Identifier: Apache-2.0
// Daemon: what the control socket's commands read and do.
#include "daemon/bgp_views.h"
#include "daemon/control_views.h"
#include "daemon/daemon.h"
#include "views/fdb_view.h"
#include "views/map_snapshot.h"
#include "views/stats_view.h"

namespace nwbpf::daemon {

ControlBackend Daemon::backend() {
  return ControlBackend{
      .show_ports = [this] { return ports_json(desired_.port_views); },
      .show_peers = [this] { return peers_json(config_); },
      .show_fdb = [this] { return show_fdb(); },
      .show_stats = [this] { return show_stats(); },
      .show_bgp_summary =
          [this] {
            return bgp_summary_json(bgp_identity(), evpn().sessions(), evpn().speaker(),
                                    bgp::Clock::now());
          },
      .show_bgp_evpn =
          [this](const evpn::RouteFilter& filter) {
            return bgp_evpn_json(bgp_identity(), evpn().speaker(), filter);
          },
      .show_portconfig = [this] { return show_portconfig(); },
      .show_nhrp = [this](const std::optional<std::string>& table) { return show_nhrp(table); },
      .show_config_server = [this] { return show_config_server(); },
      .show_acl = [this](std::optional<uint16_t> vlan) { return show_acl(vlan); },
      .show_ipsec = [this] { return show_ipsec(); },
      .reload = [this] { return reload(); },
  };
}

const EvpnService& Daemon::evpn() const {
  if (!config_.bgp) throw std::runtime_error("BGP is not configured (no [bgp] in " + config_.path + ")");
  if (!evpn_) throw std::runtime_error("the EVPN speaker is not running (see nwbpfd's log)");
  return *evpn_;
}

BgpIdentity Daemon::bgp_identity() const {
  auto plan = plan_evpn(config_);
  return BgpIdentity{plan.speaker.local_as, plan.speaker.router_id, plan.speaker.cluster_id};
}

// The same views and shapes as `nwbpf show fdb|stats -j` (views/).
nlohmann::json Daemon::show_fdb() {
  if (!datapath_) throw std::runtime_error("the data plane is not loaded yet");
  auto rows = views::fdb_rows(views::read_fdb_snapshot(datapath_->maps()), views::interface_name,
                              std::nullopt);
  return nlohmann::json(views::fdb_json(rows));
}

nlohmann::json Daemon::show_stats() {
  if (!datapath_) throw std::runtime_error("the data plane is not loaded yet");
  nlohmann::json out(views::stats_json(views::read_stats(datapath_->maps())));
  out["agent"] = std::map<std::string, uint64_t>{
      {"fdb_aged_out", aged_out_},
      {"fdb_orphans_removed", orphans_removed_},
      {"events_received", events_ ? events_->received() : 0},
      {"events_malformed", events_ ? events_->malformed() : 0},
      {"neigh_resolve_requests", neigh_requests_},
  };
  return out;
}

}  // namespace nwbpf::daemon
