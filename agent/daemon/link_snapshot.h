// SPDX-License-Identifier: Apache-2.0
// The facts about devices that the desired state depends on. Gathered by
// links.cpp (netlink); plain data so everything computed from it is pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/net_types.h"

namespace nwbpf::daemon {

// Facts about one device, gathered by links.cpp. A device that does not
// exist is absent from the snapshot.
struct LinkState {
  int ifindex = 0;
  bool up = false;
  uint32_t mtu = 0;
  Mac mac;                   // for the WAN: the outer source MAC
  std::optional<Ipv4> ipv4;  // primary address; queried for the WAN only
  bool xdp_tx = false;       // an XDP redirect into the device is delivered
  std::string xdp_reason;    // why (netlink::XdpTxCapability::reason)
  bool operator==(const LinkState&) const = default;
};
using LinkSnapshot = std::map<std::string, LinkState>;

// One line per device that appeared, disappeared, was replaced (new
// ifindex) or changed its XDP path capability, for the log.
std::vector<std::string> link_changes(const LinkSnapshot& before, const LinkSnapshot& after);

}  // namespace nwbpf::daemon
