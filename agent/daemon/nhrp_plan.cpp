// SPDX-License-Identifier: Apache-2.0
#include "daemon/nhrp_plan.h"

#include <algorithm>
#include <stdexcept>

#include "bgp/session_manager_config.h"

namespace nwbpf::daemon {

bool NhrpPlan::in_overlay(Ipv4 address) const { return bgp::contains(overlay_range, address); }

std::optional<NhrpPlan> plan_nhrp(const Config& config, std::optional<Ipv4> wan_address) {
  if (!config.nhrp) return std::nullopt;
  const auto& roles = config.agent.roles;
  auto has = [&](Role role) { return std::find(roles.begin(), roles.end(), role) != roles.end(); };
  const NhrpConfig& n = *config.nhrp;
  NhrpPlan plan;
  plan.client = has(Role::ce);
  plan.server = has(Role::route_server);
  plan.device = config.node.wan_interface;
  plan.protocol = config.node.overlay_address;
  if (config.node.nbma_address)
    plan.nbma = *config.node.nbma_address;
  else if (wan_address)
    plan.nbma = *wan_address;
  else
    throw std::runtime_error("NHRP needs this node's NBMA address: " + config.node.wan_interface +
                             " has no IPv4 address and node.nbma_address is not set");
  plan.servers = n.servers;
  plan.overlay_range = n.overlay_range;
  plan.gre_key = n.gre_key;
  plan.holding_time_s = n.holding_time_s;
  plan.proactive = n.shortcut == NhrpConfig::Shortcut::proactive;
  plan.password = n.password;
  if (config.dataplane.udp_src_port != 0) plan.nat_source_port = config.dataplane.udp_src_port;
  plan.nat_probes = config.dataplane.mode != DataplaneMode::kernel_tunnel;
  return plan;
}

}  // namespace nwbpf::daemon
