// SPDX-License-Identifier: Apache-2.0
// The content of the "nexthops" map (maps/nexthop.h), from what the kernel
// says about each peer's NBMA address: the route to it through the WAN
// device and the neighbour entry of that route's next hop. Pure: the facts
// are gathered by nexthops.cpp, so every rule here is unit-tested.
#pragma once

#include <compare>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/net_types.h"
#include "config/config.h"
#include "daemon/map_table.h"
#include "dataplane/netlink.h"
#include "maps/nexthop.h"

namespace nwbpf::daemon {

// What the kernel said about one NBMA address.
struct NextHopFacts {
  std::optional<netlink::Route> route;          // nullopt: no route via the WAN device
  std::optional<netlink::Neighbour> neighbour;  // of the route's next hop; nullopt: no entry
  std::string error;                            // a query failed: nothing else is known
  bool operator==(const NextHopFacts&) const = default;
};
using NextHopSnapshot = std::map<Ipv4, NextHopFacts>;  // by NBMA address

// A next hop whose neighbour entry the kernel must be asked to resolve.
struct NeighbourRequest {
  int ifindex = 0;
  Ipv4 addr;
  auto operator<=>(const NeighbourRequest&) const = default;
};

struct NextHopPlan {
  Table<__be32, nwbpf_nexthop> entries;   // key: NBMA address
  std::vector<NeighbourRequest> resolve;  // each once, sorted
  std::vector<std::string> warnings;
};

// The kernel itself sends to a neighbour in these states (REACHABLE, STALE,
// DELAY, PROBE, PERMANENT, NOARP), so frames may use its MAC.
bool neighbour_usable(const netlink::Neighbour& n);
// Whether to ask the kernel to resolve it (NTF_USE): no entry, or one that
// is neither confirmed nor being confirmed (NONE, INCOMPLETE, FAILED, STALE).
// STALE counts because encapsulated frames bypass the kernel's neighbour
// code, so nothing else would ever re-confirm it.
bool neighbour_needs_resolution(const std::optional<netlink::Neighbour>& n);

// The NBMA addresses of the configured peers, each once, in config order.
std::vector<Ipv4> peer_nbmas(const Config& config);

// The WAN device as the outer header needs it.
struct WanDevice {
  std::string name;
  int ifindex = 0;
  Mac mac;  // outer source MAC
  bool xdp_tx = false;  // takes redirected XDP frames (its ports entry has NWBPF_PORT_XDP_TX)
};

// One entry per address of `nbmas` with facts: the neighbour's MAC when it
// is usable (none while it is not: BPF then reports a miss and TC lets the
// kernel resolve), NWBPF_NH_NO_ROUTE when there is no route via the WAN or
// the address is ours, NWBPF_NH_XDP_TX when the route leaves through the
// WAN device and that takes XDP frames (XDP then needs no `ports` lookup
// to know it may redirect there). Addresses without facts (not queried yet) or whose
// query failed get no entry; a failure is a warning.
NextHopPlan plan_nexthops(const std::vector<Ipv4>& nbmas, const WanDevice& wan,
                          const NextHopSnapshot& facts);

}  // namespace nwbpf::daemon
