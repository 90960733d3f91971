// SPDX-License-Identifier: Apache-2.0
// How the agent's config becomes the EVPN speaker's two configurations:
// the sessions (bgp/session_manager_config.h) and the RIB (evpn/speaker.h).
// Pure, so every rule is unit-tested:
// - a CE connects to every route reflector, by the NBMA address of the
//   [[peer]] whose overlay address it is, else by the address as written
//   (an NBMA address), except one named by an address of nhrp.overlay_range
//   (nante-wan.conf's rr_addr*): its session is `nhrp_reflectors`, opened
//   by the daemon at the NBMA address NHRP finds (daemon/route_reflectors.h);
// - a route server listens for the listen range and reflects, with cluster
//   id = bgp.cluster_id (the overlay address by default);
// - a CE's VNIs are the VLANs of its edge ports (VNI = VLAN ID), with the
//   route targets of [[bgp.vni]] where given, else FRR's automatic AS:VNI.
#pragma once

#include "bgp/session_manager_config.h"
#include "config/config.h"
#include "evpn/speaker.h"

namespace nwbpf::daemon {

struct EvpnPlan {
  bgp::SessionManagerConfig sessions;
  // Route reflectors reached through NHRP: `address` is the overlay
  // address, the rest what the session runs with.
  std::vector<bgp::PeerConfig> nhrp_reflectors;
  evpn::SpeakerConfig speaker;
  bool operator==(const EvpnPlan&) const = default;
};

// Requires config.bgp (the caller checks).
EvpnPlan plan_evpn(const Config& config);

}  // namespace nwbpf::daemon
