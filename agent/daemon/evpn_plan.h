// SPDX-License-Identifier: Apache-2.0
// How the agent's config becomes the EVPN speaker's two configurations:
// the sessions (bgp/session_manager_config.h) and the RIB (evpn/speaker.h).
// Pure, so every rule is unit-tested:
// - a CE connects to every route reflector, by the NBMA address of the
//   [[peer]] whose overlay address it is; with [nhrp], an address inside
//   nhrp.overlay_range (nante-wan.conf's rr_addr*) by the NBMA address
//   NHRP found for it (an NHS's protocol address comes with its
//   registration reply), and not at all until then; else by the address
//   as written (an underlay address);
// - a route server listens for the listen range and reflects, with cluster
//   id = bgp.cluster_id (the overlay address by default);
// - a CE's VNIs are the VLANs of its edge ports (VNI = VLAN ID), with the
//   route targets of [[bgp.vni]] where given, else FRR's automatic AS:VNI.
#pragma once

#include <map>
#include <vector>

#include "bgp/session_manager_config.h"
#include "config/config.h"
#include "evpn/speaker.h"

namespace nwbpf::daemon {

struct EvpnPlan {
  bgp::SessionManagerConfig sessions;
  evpn::SpeakerConfig speaker;
  // Route reflectors named by an overlay address NHRP has not resolved
  // yet: no session until it has.
  std::vector<Ipv4> unresolved;
  bool operator==(const EvpnPlan&) const = default;
};

// Overlay address -> NBMA address, as NHRP knows them.
using NhrpResolved = std::map<Ipv4, Ipv4>;

// Requires config.bgp (the caller checks).
EvpnPlan plan_evpn(const Config& config, const NhrpResolved& nhrp = {});

}  // namespace nwbpf::daemon
