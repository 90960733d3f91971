// SPDX-License-Identifier: Apache-2.0
#include "daemon/route_reflectors.h"

namespace nwbpf::daemon {

ReflectorMoves follow_reflectors(const std::vector<bgp::PeerConfig>& reflectors,
                                 const std::map<Ipv4, NhrpBinding>& nhrp_peers,
                                 const std::map<Ipv4, Ipv4>& current) {
  ReflectorMoves moves;
  for (const auto& rr : reflectors) {
    const Ipv4 overlay = rr.address;
    const auto found = nhrp_peers.find(overlay);
    const auto open = current.find(overlay);
    if (found == nhrp_peers.end()) {
      if (open == current.end()) moves.unresolved.push_back(overlay);
      continue;  // open: stays where it is
    }
    const Ipv4 nbma = found->second.nbma;
    if (open != current.end()) {
      if (open->second == nbma) continue;
      moves.remove.push_back(open->second);
    }
    moves.add.emplace_back(overlay, nbma);
  }
  return moves;
}

}  // namespace nwbpf::daemon
