// SPDX-License-Identifier: Apache-2.0
#include "evpn/path.h"

#include <arpa/inet.h>

namespace nwbpf::evpn {

uint32_t host_order(Ipv4 address) { return ntohl(address.be); }

void decode_views(PathInfo& info) {
  info.route_targets.clear();
  info.mobility.reset();
  for (const auto& bytes : info.attributes.ext_communities) {
    ExtCommunity community = decode_ext_community(bytes);
    if (const auto* rt = std::get_if<RouteTarget>(&community)) {
      info.route_targets.push_back(*rt);
    } else if (const auto* mm = std::get_if<MacMobility>(&community)) {
      // RFC 7432 §7.7 allows one; should a sender attach several, the
      // highest sequence is the one that can win §15's comparison.
      if (!info.mobility || mm->sequence > info.mobility->sequence) info.mobility = *mm;
    }
  }
  info.pmsi.reset();
  if (const auto& p = info.attributes.pmsi_tunnel)
    info.pmsi = PmsiTunnel{p->flags, p->tunnel_type, p->label, p->tunnel_id};
}

bool same_advertisement(const Path& a, const Path& b) {
  return a.peer == b.peer && a.route == b.route && (a.info == b.info || *a.info == *b.info);
}

std::optional<uint32_t> wire_vni(const Path& path) {
  if (const auto* mac_ip = std::get_if<MacIpRoute>(&path.route)) return mac_ip->label1;
  if (std::holds_alternative<InclusiveMulticastRoute>(path.route) && path.info->pmsi)
    return path.info->pmsi->label;
  return std::nullopt;
}

}  // namespace nwbpf::evpn
