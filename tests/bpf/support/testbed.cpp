// SPDX-License-Identifier: Apache-2.0
#include "support/testbed.h"

#include <netinet/in.h>

namespace nwbpf::test {

void Testbed::setup(const LoadOptions& o) {
  ns = std::make_unique<TestNetns>();
  TestNetns::ip(
      "link add e1 type veth peer name e1p\n"
      "link add e2 type veth peer name e2p\n"
      "link add e3 type veth peer name e3p\n"
      "link add wan address 02:00:00:00:01:01 type veth peer name wanp\n"
      "link set e1 up\nlink set e1p up\nlink set e2 up\nlink set e2p up\n"
      "link set e3 up\nlink set e3p up\nlink set wan up\nlink set wanp up\n"
      "addr add 192.168.0.1/24 dev wan\n"
      "neigh add 192.168.0.2 lladdr 02:00:00:00:02:02 dev wan nud permanent\n"
      "neigh add 192.168.0.3 lladdr 02:00:00:00:03:03 dev wan nud permanent\n");
  // Off on every device, whatever the host has (a new namespace copies it).
  TestNetns::sysctl("/proc/sys/net/ipv4/conf/all/forwarding", "0");
  e1 = TestNetns::ifindex("e1");
  e2 = TestNetns::ifindex("e2");
  e3 = TestNetns::ifindex("e3");
  wan = TestNetns::ifindex("wan");

  dp = std::make_unique<TestDatapath>(o);
  nwbpf_settings s{};
  s.local_nbma = kLocalNbma;
  s.wan_ifindex = wan;
  s.wan_mtu = 1500;
  s.mode = NWBPF_MODE_XDP;
  s.ttl = 64;
  s.flags = NWBPF_SET_DF | NWBPF_SET_LEARN_REMOTE;
  s.tcp_mss4 = 1410;  // tcp_mss = "auto" for WAN MTU 1500: every frame pays the check
  s.tcp_mss6 = 1390;
  dp->set_settings(s);
  dp->set_port(e1, edge_port({kVlanA}, false, true));
  dp->set_port(e2, edge_port({kVlanA, kVlanB}, true, true));
  dp->set_port(e3, edge_port({kVlanB}, false, false));
  nwbpf_port w{};
  w.role = NWBPF_PORT_WAN;
  w.flags = NWBPF_PORT_XDP_TX;
  dp->set_port(wan, w);
  dp->set_vlan_ports(kVlanA, {static_cast<uint32_t>(e1), static_cast<uint32_t>(e2)});
  dp->set_vlan_ports(kVlanB, {static_cast<uint32_t>(e2), static_cast<uint32_t>(e3)});
  dp->set_peer(kVtep2, kNbma2);
  dp->set_peer(kVtep3, kNbma3);
  dp->set_peer(kVtep4, kNbma4);
  dp->set_flood(kVlanA, {kVtep2, kVtep3, kVtep4});
  dp->set_nexthop(kNbma2, wan, kWanMac, kNbma2Mac);
  dp->set_nexthop(kNbma3, wan, kWanMac, kNbma3Mac);
}

Bytes Testbed::host_frame(const MacAddr& dst, const MacAddr& src, std::optional<uint16_t> vid,
                                size_t payload, uint16_t dport) {
  return ether(
      dst, src, kEthIp,
      ipv4(ip4("172.16.0.1"), ip4("172.16.0.2"), IPPROTO_UDP, udp(40000, dport, pattern(payload))),
      vid);
}

Bytes Testbed::from_peer(uint32_t nbma, uint32_t vni, const Bytes& inner, const Ipv4Opts& o) {
  return ether(kWanMac, kNbma2Mac, kEthIp,
               ipv4(nbma, kLocalNbma, IPPROTO_UDP, udp(50000, kVxlanPort, vxlan(vni, inner)), o));
}

Bytes Testbed::to_peer(const MacAddr& dmac, uint32_t nbma, uint16_t sport, uint32_t vni,
                             const Bytes& inner) {
  Ipv4Opts o;
  o.df = true;
  return ether(dmac, kWanMac, kEthIp,
               ipv4(kLocalNbma, nbma, IPPROTO_UDP, udp(sport, kVxlanPort, vxlan(vni, inner)), o));
}

Bytes Testbed::mark_relayed(Bytes outer, uint32_t overlay) {
  constexpr size_t kVxlan = 14 + 20 + 8;
  const auto* a = reinterpret_cast<const uint8_t*>(&overlay);  // network order
  outer.at(kVxlan) |= NWBPF_VXLAN_FLAG_RELAY;
  outer.at(kVxlan + 1) = a[0];
  outer.at(kVxlan + 2) = a[1];
  outer.at(kVxlan + 3) = a[2];
  outer.at(kVxlan + 7) = a[3];
  return outer;
}

void Testbed::set_mode(uint8_t mode) {
  auto s = dp->settings();
  s.mode = mode;
  dp->set_settings(s);
}

void Testbed::set_udp_src_port(uint16_t port) {
  auto s = dp->settings();
  s.udp_src_port = port;
  dp->set_settings(s);
}

void Testbed::set_relay_nbma(uint32_t nbma) {
  auto s = dp->settings();
  s.relay_nbma = nbma;
  dp->set_settings(s);
}

void Testbed::set_relaying() {
  auto s = dp->settings();
  s.flags |= NWBPF_SET_RELAY;
  dp->set_settings(s);
}

}  // namespace nwbpf::test
