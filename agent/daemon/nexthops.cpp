// SPDX-License-Identifier: Apache-2.0
#include "daemon/nexthops.h"

#include <exception>
#include <utility>

namespace nwbpf::daemon {

NextHopSnapshot query_nexthops(const std::vector<Ipv4>& nbmas, int wan_ifindex) {
  // (ifindex, next hop) -> its entry, or the error reading it.
  std::map<std::pair<int, Ipv4>, std::pair<std::optional<netlink::Neighbour>, std::string>>
      neighbours;
  NextHopSnapshot out;
  for (Ipv4 nbma : nbmas) {
    NextHopFacts& f = out[nbma];
    try {
      f.route = netlink::get_route(nbma, wan_ifindex);
    } catch (const std::exception& e) {
      f.error = e.what();
      continue;
    }
    if (!f.route || f.route->local) continue;
    const std::pair<int, Ipv4> hop{f.route->ifindex, f.route->gateway.value_or(nbma)};
    auto it = neighbours.find(hop);
    if (it == neighbours.end()) {
      it = neighbours.emplace(hop, std::pair<std::optional<netlink::Neighbour>, std::string>{})
               .first;
      try {
        it->second.first = netlink::get_neighbour(hop.first, hop.second);
      } catch (const std::exception& e) {
        it->second.second = e.what();
      }
    }
    f.neighbour = it->second.first;
    f.error = it->second.second;
  }
  return out;
}

}  // namespace nwbpf::daemon
