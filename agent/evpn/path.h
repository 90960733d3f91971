// SPDX-License-Identifier: Apache-2.0
// One path of an EVPN route in the RIB: the route as a peer (or we) advertised
// it and the attributes it came with. The attributes of one UPDATE are shared
// by every route it carried (a full table of 100,000 MACs arrives in a few
// thousand UPDATEs), so a path holds them by shared pointer, decoded once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "bgp/attributes.h"
#include "common/net_types.h"
#include "evpn/ext_community.h"
#include "evpn/pmsi.h"
#include "evpn/route_types.h"

namespace nwbpf::evpn {

// The peer of a path we originated. No BGP session has the address 0.0.0.0.
inline constexpr Ipv4 kLocalPeer{};

// An address as a number, for "lowest address" rules (Ipv4 holds network order).
uint32_t host_order(Ipv4 address);

// What a path carries besides its NLRI, shared by the routes of one UPDATE.
struct PathInfo {
  // The attributes as received (or as we originate them). MP_REACH_NLRI
  // keeps its family and next hop without NLRI; MP_UNREACH_NLRI is dropped.
  bgp::PathAttributes attributes;
  // The MP_REACH_NLRI next hop when it is an IPv4 address (the VTEP: RFC
  // 8365 §5.1.1); nullopt for an IPv6 one, which the overlay cannot reach.
  std::optional<Ipv4> next_hop;
  // The BGP Identifier of the peer that sent it (ours for our paths), for
  // ORIGINATOR_ID (RFC 4456 §8) and the tie-break of RFC 4271 §9.1.2.2 (f).
  Ipv4 sender_id;
  bool internal = true;  // from an iBGP peer (or ours)

  // Typed views of the extended communities and the PMSI tunnel.
  std::vector<RouteTarget> route_targets;
  std::optional<MacMobility> mobility;  // RFC 7432 §7.7
  std::optional<PmsiTunnel> pmsi;       // RFC 6514 §5, on type-3 routes

  bool operator==(const PathInfo&) const = default;
};

// Fills the typed views of `info` from info.attributes.
void decode_views(PathInfo& info);

struct Path {
  Ipv4 peer = kLocalPeer;  // the session it came from, or kLocalPeer
  Route route;
  std::shared_ptr<const PathInfo> info;
  // RFC 4724 §4.2: kept from a restarting peer until it refreshes the route.
  bool stale = false;

  bool local() const { return peer == kLocalPeer; }
  // MAC Mobility sequence number (RFC 7432 §15): 0 without the community.
  uint32_t sequence() const { return info->mobility ? info->mobility->sequence : 0; }
};

// Whether two paths advertise the same thing: same peer, route and
// attributes. The stale flag is not advertised.
bool same_advertisement(const Path& a, const Path& b);

// The VNI a route names on the wire (RFC 8365 §5.1.3): the label of a type-2
// route, the PMSI label of a type-3 one; nullopt for other types. Used to
// filter `show bgp evpn vni N`, where route targets may be unknown (a route
// reflector has no VNIs).
std::optional<uint32_t> wire_vni(const Path& path);

}  // namespace nwbpf::evpn
