// SPDX-License-Identifier: Apache-2.0
// The "result" JSON of `show bgp summary` and `show bgp evpn` (shapes in
// control/protocol.h), built from what the session manager and the EVPN
// speaker report, so the shapes are unit-tested without sockets.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "bgp/peer.h"
#include "evpn/speaker.h"

namespace nwbpf::daemon {

// Who we are in BGP (from the plan).
struct BgpIdentity {
  uint32_t as = 0;
  Ipv4 router_id;
  std::optional<Ipv4> cluster_id;  // set: we reflect (route server)
};

// One object per session (configured, and dynamic ones while they last),
// joined with the speaker's view of the same address; `now` dates Up/Down.
nlohmann::json bgp_summary_json(const BgpIdentity& self, const std::vector<bgp::PeerStatus>& sessions,
                                const evpn::Speaker& speaker, bgp::TimePoint now);

// The routes `filter` selects, ordered by RD then key, every path with the
// fields of FRR's `show bgp l2vpn evpn route`.
nlohmann::json bgp_evpn_json(const BgpIdentity& self, const evpn::Speaker& speaker,
                             const evpn::RouteFilter& filter);

}  // namespace nwbpf::daemon
