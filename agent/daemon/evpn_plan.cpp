// SPDX-License-Identifier: Apache-2.0
#include "daemon/evpn_plan.h"

#include <algorithm>
#include <set>

namespace nwbpf::daemon {

namespace {

bool has_role(const Config& c, Role role) {
  return std::find(c.agent.roles.begin(), c.agent.roles.end(), role) != c.agent.roles.end();
}

// Where a route reflector named by `address` is reached.
Ipv4 session_address(const Config& c, Ipv4 address) {
  for (const auto& peer : c.peers)
    if (peer.overlay == address) return peer.nbma;
  return address;
}

std::vector<evpn::VniConfig> vnis(const Config& c) {
  std::set<uint32_t> carried;
  for (const auto& port : c.ports) carried.insert(port.vlans.begin(), port.vlans.end());
  std::vector<evpn::VniConfig> out;
  for (uint32_t vni : carried) {
    evpn::VniConfig v;
    v.vni = vni;
    for (const auto& bv : c.bgp->vnis)
      if (bv.vni == vni) v.import_targets = v.export_targets = bv.route_targets;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

EvpnPlan plan_evpn(const Config& c) {
  const BgpConfig& b = *c.bgp;
  EvpnPlan plan;
  auto& s = plan.sessions;
  s.local_as = b.as;
  s.router_id = b.router_id;
  s.hold_time = b.hold_time_s;
  s.listen_port = b.port;
  s.connect_retry_time = std::chrono::seconds(b.connect_retry_s);
  s.graceful_restart_time =
      b.graceful_restart ? std::optional<uint16_t>(b.restart_time_s) : std::nullopt;
  // The data plane forwards on while nwbpfd restarts, unless it detaches on
  // exit: then peers must not keep our routes.
  s.forwarding_preserved = !c.agent.detach_on_exit;
  const std::string password = b.password.value_or("");
  for (Ipv4 rr : b.route_reflectors) {
    bgp::PeerConfig peer{.address = session_address(c, rr), .port = b.port, .remote_as = b.as,
                         .passive = false, .password = password};
    const bool through_nhrp =
        peer.address == rr && c.nhrp && bgp::contains(c.nhrp->overlay_range, rr);
    (through_nhrp ? plan.nhrp_reflectors : s.peers).push_back(std::move(peer));
  }
  if (has_role(c, Role::route_server) && b.listen_range)
    s.listen_ranges.push_back({.prefix = *b.listen_range, .remote_as = b.as, .password = password});

  auto& r = plan.speaker;
  r.local_as = b.as;
  r.router_id = b.router_id;
  r.vtep = c.node.overlay_address;
  if (has_role(c, Role::route_server)) r.cluster_id = b.cluster_id;
  if (has_role(c, Role::ce)) r.vnis = vnis(c);
  return plan;
}

}  // namespace nwbpf::daemon
