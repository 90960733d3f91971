// SPDX-License-Identifier: Apache-2.0
// What the agent needs from rtnetlink / genetlink, behind plain functions.
// All throw std::runtime_error with the netlink error text on failure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/net_types.h"

namespace nwbpf::netlink {

struct LinkInfo {
  int ifindex = 0;
  std::string name;
  std::string kind;      // "veth", "vxlan", "" for a physical NIC ...
  bool up = false;       // IFF_UP
  uint32_t mtu = 0;
  Mac mac;
};

// nullopt when no such device exists in this network namespace.
std::optional<LinkInfo> get_link(const std::string& name);
std::optional<LinkInfo> get_link(int ifindex);

// First IPv4 address on the device (nullopt if none).
std::optional<Ipv4> primary_ipv4(int ifindex);

// Whether an XDP_REDIRECT into this device is delivered, and why.
// On kernels with the netdev genetlink family (6.3+) this is the device's
// NETDEV_XDP_ACT_NDO_XMIT feature, which veth sets only while its peer has an
// XDP program or GRO on. Without that family: false, reason says so.
struct XdpTxCapability {
  bool ok = false;
  std::string reason;    // e.g. "ndo_xdp_xmit available", "veth peer has no XDP program and GRO off"
};
XdpTxCapability xdp_tx_capability(int ifindex);

// Creates (or verifies) a collect_md VXLAN device: external, dstport 4789,
// nolearning, up, with the given MTU (callers pass wan_mtu - 50). Returns its
// ifindex. An existing device of that name that is not such a device is an
// error, never reused; an existing one that is gets set up with that MTU.
int ensure_vxlan_collect_md(const std::string& name, uint32_t mtu);
// Deletes a device; one that does not exist is not an error.
void delete_link(const std::string& name);

// The route the kernel picks for a packet to dst leaving by device oif
// (RTM_GETROUTE with RTA_OIF, as `ip route get DST oif DEV`): encapsulated
// frames leave by the WAN device, so only routes through it count.
struct Route {
  int ifindex = 0;              // egress device
  std::optional<Ipv4> gateway;  // nullopt: dst is on-link
  bool local = false;           // dst is an address of this host
  bool operator==(const Route&) const = default;
};
// nullopt when no route through oif reaches dst (also when one exists only
// through another device: the kernel would then take dst for on-link on
// oif, which this reports as no route). Throws on other failures (e.g. no
// device oif).
std::optional<Route> get_route(Ipv4 dst, int oif);

struct Neighbour {
  Mac mac;             // zero if the entry has no link-layer address yet
  uint16_t state = 0;  // NUD_* bits (linux/neighbour.h)
  bool operator==(const Neighbour&) const = default;
};
// The kernel's neighbour entry for addr on device ifindex (RTM_GETNEIGH);
// nullopt when there is none.
std::optional<Neighbour> get_neighbour(int ifindex, Ipv4 addr);

// Asks the kernel to resolve addr on device ifindex (RTM_NEWNEIGH with
// NTF_USE), as if a packet were waiting for it: an absent or failed entry
// starts ARP, a STALE one is re-confirmed (nothing else would: encapsulated
// frames never pass through the kernel's neighbour code).
void resolve_neighbour(int ifindex, Ipv4 addr);

}  // namespace nwbpf::netlink
