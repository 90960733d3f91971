// SPDX-License-Identifier: Apache-2.0
#include "daemon/links.h"

#include "daemon/desired_state.h"
#include "dataplane/netlink.h"

namespace nwbpf::daemon {

LinkSnapshot take_snapshot(const Config& config, const LinkSnapshot& previous, bool refresh_xdp) {
  LinkSnapshot snap;
  for (const std::string& name : configured_devices(config)) {
    auto info = netlink::get_link(name);
    if (!info) continue;
    LinkState& s = snap[name];
    s.ifindex = info->ifindex;
    s.up = info->up;
    s.mtu = info->mtu;
    s.mac = info->mac;
    if (name == config.node.wan_interface && !config.node.nbma_address)
      s.ipv4 = netlink::primary_ipv4(info->ifindex);
    if (config.dataplane.mode != DataplaneMode::xdp) continue;
    auto old = previous.find(name);
    if (!refresh_xdp && old != previous.end() && old->second.ifindex == s.ifindex) {
      s.xdp_tx = old->second.xdp_tx;
      s.xdp_reason = old->second.xdp_reason;
    } else {
      auto cap = netlink::xdp_tx_capability(info->ifindex);
      s.xdp_tx = cap.ok;
      s.xdp_reason = cap.reason;
    }
  }
  return snap;
}

}  // namespace nwbpf::daemon
