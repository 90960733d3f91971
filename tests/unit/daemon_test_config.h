// SPDX-License-Identifier: Apache-2.0
// A small CE config and link snapshot shared by the daemon unit tests:
// WAN eth0 (ifindex 2), edge ports vetha (untagged, VLAN 99, ifindex 10) and
// vethb (tagged, VLANs 10 and 20, ifindex 11), two peers, one flood list.
// The WAN MTU (1550) leaves room for VXLAN, so no MTU warning is expected.
#pragma once

#include <gtest/gtest.h>

#include "config/config.h"
#include "daemon/link_snapshot.h"

namespace nwbpf::daemon::test {

inline Ipv4 ip(const char* text) {
  auto a = Ipv4::parse(text);
  EXPECT_TRUE(a) << text;
  return a.value_or(Ipv4{});
}

inline Mac mac(const char* text) {
  auto m = Mac::parse(text);
  EXPECT_TRUE(m) << text;
  return m.value_or(Mac{});
}

inline PortConfig port(std::string name, bool tagged, std::vector<uint16_t> vlans,
                       PortPath path = PortPath::automatic) {
  PortConfig p;
  p.name = std::move(name);
  p.tagged = tagged;
  p.vlans = std::move(vlans);
  p.path = path;
  p.source = "ce.toml:" + std::to_string(10 + p.name.size()) + ":1";
  return p;
}

inline Config ce_config() {
  Config c;
  c.path = "ce.toml";
  c.node.overlay_address = ip("10.0.0.1");
  c.node.nbma_address = ip("192.168.0.1");
  c.node.wan_interface = "eth0";
  c.ports = {port("vetha", false, {99}), port("vethb", true, {10, 20})};
  c.peers = {PeerConfig{ip("10.0.0.2"), ip("192.168.0.2"), "ce.toml:20:1"},
             PeerConfig{ip("10.0.0.3"), ip("192.168.0.3"), "ce.toml:24:1"}};
  c.flood = {FloodConfig{99, {ip("10.0.0.2"), ip("10.0.0.3")}, "ce.toml:28:1"}};
  return c;
}

inline LinkState link(int ifindex, uint32_t mtu = 1500, bool xdp_tx = true) {
  LinkState l;
  l.ifindex = ifindex;
  l.up = true;
  l.mtu = mtu;
  l.xdp_tx = xdp_tx;
  l.xdp_reason = xdp_tx ? "ndo_xdp_xmit available" : "veth peer has no XDP program and GRO off";
  return l;
}

inline LinkSnapshot ce_links() {
  return {{"eth0", link(2, 1550)}, {"vetha", link(10)}, {"vethb", link(11)}};
}

}  // namespace nwbpf::daemon::test
