// SPDX-License-Identifier: Apache-2.0
#include "daemon/nexthop_plan.h"

#include <linux/neighbour.h>

#include <algorithm>
#include <cstring>
#include <set>

namespace nwbpf::daemon {

namespace {

nwbpf_nexthop no_route(Ipv4 nbma, int ifindex) {
  nwbpf_nexthop nh{};
  nh.nbma = nbma.be;
  nh.ifindex = static_cast<__u32>(ifindex);
  nh.flags = NWBPF_NH_NO_ROUTE;
  return nh;
}

}  // namespace

bool neighbour_usable(const netlink::Neighbour& n) {
  constexpr uint16_t kUsable =
      NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP;
  return (n.state & kUsable) && !n.mac.is_zero();
}

bool neighbour_needs_resolution(const std::optional<netlink::Neighbour>& n) {
  // REACHABLE, PERMANENT and NOARP are confirmed (the kernel's
  // NUD_CONNECTED); DELAY and PROBE are being confirmed already.
  constexpr uint16_t kSettled = NUD_REACHABLE | NUD_PERMANENT | NUD_NOARP | NUD_DELAY | NUD_PROBE;
  return !n || !(n->state & kSettled);
}

std::vector<Ipv4> peer_nbmas(const Config& config) {
  std::vector<Ipv4> out;
  for (const auto& peer : config.peers)
    if (std::find(out.begin(), out.end(), peer.nbma) == out.end()) out.push_back(peer.nbma);
  return out;
}

NextHopPlan plan_nexthops(const std::vector<Ipv4>& nbmas, const WanDevice& wan,
                          const NextHopSnapshot& facts) {
  NextHopPlan plan;
  std::set<NeighbourRequest> resolve;
  for (Ipv4 nbma : nbmas) {
    auto it = facts.find(nbma);
    if (it == facts.end()) continue;
    const NextHopFacts& f = it->second;
    if (!f.error.empty()) {
      plan.warnings.push_back("next hop of NBMA address " + nbma.str() + ": " + f.error);
      continue;
    }
    if (!f.route || f.route->local) {
      plan.warnings.push_back(
          "NBMA address " + nbma.str() +
          (f.route ? " is an address of this host" : " has no route via WAN device " + wan.name) +
          ": VXLAN to it is dropped (drop counter no_route)");
      plan.entries[nbma.be] = no_route(nbma, wan.ifindex);
      continue;
    }
    const netlink::Route& route = *f.route;
    if (neighbour_needs_resolution(f.neighbour))
      resolve.insert({route.ifindex, route.gateway.value_or(nbma)});
    if (!f.neighbour || !neighbour_usable(*f.neighbour)) continue;
    nwbpf_nexthop nh{};
    nh.nbma = nbma.be;  // the key (include/nwbpf/slots.h)
    std::memcpy(nh.dmac, f.neighbour->mac.bytes.data(), sizeof(nh.dmac));
    std::memcpy(nh.smac, wan.mac.bytes.data(), sizeof(nh.smac));
    nh.ifindex = static_cast<__u32>(route.ifindex);
    if (wan.xdp_tx && route.ifindex == wan.ifindex) nh.flags |= NWBPF_NH_XDP_TX;
    plan.entries[nbma.be] = nh;
  }
  plan.resolve.assign(resolve.begin(), resolve.end());
  return plan;
}

}  // namespace nwbpf::daemon
