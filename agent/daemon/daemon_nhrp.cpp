// SPDX-License-Identifier: Apache-2.0
// Daemon: the NHRP service's start, reload and its inputs from the data
// plane and from EVPN.
#include "common/log.h"
#include "daemon/daemon.h"
#include "daemon/nhrp_views.h"
#include "dataplane/peer_marks.h"

namespace nwbpf::daemon {

std::optional<NhrpPlan> Daemon::plan_nhrp_now() const {
  std::optional<Ipv4> wan_address;
  if (auto wan = links_.find(config_.node.wan_interface); wan != links_.end())
    wan_address = wan->second.ipv4;
  return plan_nhrp(config_, wan_address);
}

void Daemon::start_nhrp() {
  auto plan = plan_nhrp_now();
  if (!plan) return;
  NhrpService::Callbacks cb;
  cb.changed = [this] {
    schedule_reconcile();
    follow_route_reflectors();
    if (central_) central_->addresses_changed();  // a config server's NBMA address
  };
  cb.peer_used = [this](Ipv4 overlay) {
    try {
      return peer_used(datapath_->maps().peers, overlay);
    } catch (const std::exception& e) {
      log::get("nhrp")->warn("reading the used mark of {}: {}", overlay.str(), e.what());
      return false;
    }
  };
  cb.nat_port = [this](Ipv4 overlay) -> std::optional<uint16_t> {
    try {
      return peer_learned_port(datapath_->maps().peers, overlay);
    } catch (const std::exception& e) {
      log::get("nhrp")->warn("reading the NAT port of {}: {}", overlay.str(), e.what());
      return std::nullopt;
    }
  };
  nhrp_ = std::make_unique<NhrpService>(io_, *plan, std::move(cb));
  nhrp_->start();
  log::get("nhrp")->info("NHRP started: {}{}, protocol {} at NBMA {}, {} NHS(es)",
                         plan->client ? "NHC" : "", plan->client && plan->server ? " and NHS" :
                         plan->server ? "NHS" : "",
                         plan->protocol.str(), plan->nbma.str(), plan->servers.size());
  announce_vteps();
}

// A changed plan restarts the service: its registrations are made again
// and its shortcuts resolved again on the next miss (the peers entries go
// with the reconcile, so frames go through the route server meanwhile).
void Daemon::reload_nhrp(const std::optional<NhrpPlan>& before) {
  if (plan_nhrp_now() == before) return;
  if (nhrp_) {
    log::get("nhrp")->info("NHRP configuration changed: restarting");
    nhrp_->stop();
    nhrp_.reset();
  }
  start_nhrp();
  schedule_reconcile();
}

const NhrpInstall& Daemon::nhrp_install() const {
  static const NhrpInstall none;
  return nhrp_ ? nhrp_->install() : none;
}

// shortcut = "proactive": every VTEP EVPN names is resolved at once
// (the service ignores addresses outside the overlay and known ones).
void Daemon::announce_vteps() {
  if (!nhrp_ || !nhrp_->plan().proactive || !evpn_) return;
  const EvpnInstall& evpn = evpn_->install();
  for (const auto& [key, vtep] : evpn.macs) nhrp_->vtep_announced(vtep);
  for (const auto& [vni, vteps] : evpn.flood)
    for (Ipv4 vtep : vteps) nhrp_->vtep_announced(vtep);
}

nlohmann::json Daemon::show_nhrp(const std::optional<std::string>& table) const {
  if (!config_.nhrp) throw std::runtime_error("NHRP is not configured (no [nhrp] in " + config_.path + ")");
  if (!nhrp_) throw std::runtime_error("NHRP is not running (see nwbpfd's log)");
  return nhrp_json(*nhrp_, table, nhrp::Clock::now());
}

}  // namespace nwbpf::daemon
