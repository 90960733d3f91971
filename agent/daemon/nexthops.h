// SPDX-License-Identifier: Apache-2.0
// Gathers the facts plan_nexthops works from, by netlink.
#pragma once

#include <vector>

#include "daemon/nexthop_plan.h"

namespace nwbpf::daemon {

// For each address: its route through the WAN device, then the neighbour
// entry of that route's next hop, each next hop queried once however many
// peers share it (a gateway). Never throws: a failed query is recorded in
// the facts of every address it concerns.
NextHopSnapshot query_nexthops(const std::vector<Ipv4>& nbmas, int wan_ifindex);

}  // namespace nwbpf::daemon
