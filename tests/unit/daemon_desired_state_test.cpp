// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "daemon/desired_state.h"
#include "daemon_test_config.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {
namespace {

using test::ce_config;
using test::ce_links;
using test::ip;
using test::link;

bool bit(const __u64* words, unsigned v) { return words[v / 64] >> (v % 64) & 1; }

std::vector<unsigned> bits(const __u64* words) {
  std::vector<unsigned> out;
  for (unsigned v = 0; v < 64 * NWBPF_VLAN_WORDS; ++v)
    if (bit(words, v)) out.push_back(v);
  return out;
}

std::vector<__u32> members(const nwbpf_vlan_ports& v) {
  return std::vector<__u32>(v.ifindex, v.ifindex + v.count);
}

TEST(DesiredState, UntaggedPortIsMemberAndUntaggedWithPvid) {
  auto d = compute_desired(ce_config(), ce_links());
  const nwbpf_port& p = d.ports.at(10);
  EXPECT_EQ(p.role, NWBPF_PORT_EDGE);
  EXPECT_EQ(p.pvid, 99);
  EXPECT_EQ(bits(p.member), std::vector<unsigned>{99});
  EXPECT_EQ(bits(p.untagged), std::vector<unsigned>{99});
  EXPECT_TRUE(d.warnings.empty()) << d.warnings.front();
}

TEST(DesiredState, UntaggedPortWithSeveralVlansTakesLastListedAsPvid) {
  Config c = ce_config();
  c.ports[0].vlans = {30, 5, 20};
  auto d = compute_desired(c, ce_links());
  const nwbpf_port& p = d.ports.at(10);
  EXPECT_EQ(p.pvid, 20);
  EXPECT_EQ(bits(p.member), (std::vector<unsigned>{5, 20, 30}));
  EXPECT_EQ(bits(p.untagged), (std::vector<unsigned>{5, 20, 30}));
}

TEST(DesiredState, TaggedPortHasNoPvidAndNoUntaggedVlans) {
  auto d = compute_desired(ce_config(), ce_links());
  const nwbpf_port& p = d.ports.at(11);
  EXPECT_EQ(p.pvid, 0);
  EXPECT_EQ(bits(p.member), (std::vector<unsigned>{10, 20}));
  EXPECT_TRUE(bits(p.untagged).empty());
}

TEST(DesiredState, VlanEdgeBitsLandInTheRightWords) {
  Config c = ce_config();
  c.ports[1].vlans = {1, 63, 64, 4094};
  auto d = compute_desired(c, ce_links());
  const nwbpf_port& p = d.ports.at(11);
  EXPECT_EQ(p.member[0], (1ULL << 1) | (1ULL << 63));
  EXPECT_EQ(p.member[1], 1ULL);
  EXPECT_EQ(p.member[63], 1ULL << 62);
}

TEST(DesiredState, VlanPortsListMembersInConfigOrder) {
  Config c = ce_config();
  c.ports.push_back(test::port("vethc", false, {20}));
  auto links = ce_links();
  links["vethc"] = link(9);
  auto d = compute_desired(c, links);
  ASSERT_EQ(d.vlan_ports.size(), 3u);
  EXPECT_EQ(members(d.vlan_ports.at(99)), std::vector<__u32>{10});
  EXPECT_EQ(members(d.vlan_ports.at(10)), std::vector<__u32>{11});
  EXPECT_EQ(members(d.vlan_ports.at(20)), (std::vector<__u32>{11, 9}));
}

TEST(DesiredState, VlanWithTooManyPortsIsCappedAndWarned) {
  Config c = ce_config();
  LinkSnapshot links = ce_links();
  for (int i = 0; i < NWBPF_MAX_VLAN_PORTS + 1; ++i) {
    std::string name = "p" + std::to_string(i);
    c.ports.push_back(test::port(name, false, {7}));
    links[name] = link(100 + i);
  }
  auto d = compute_desired(c, links);
  EXPECT_EQ(d.vlan_ports.at(7).count, static_cast<__u32>(NWBPF_MAX_VLAN_PORTS));
  EXPECT_EQ(d.vlan_ports.at(7).ifindex[NWBPF_MAX_VLAN_PORTS - 1],
            static_cast<__u32>(100 + NWBPF_MAX_VLAN_PORTS - 1));
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_EQ(d.warnings[0], "VLAN 7 has 65 local ports; only the first 64 get broadcast copies");
}

TEST(DesiredState, SettingsFromConfigAndWan) {
  Config c = ce_config();
  c.dataplane.ttl = 17;
  c.dataplane.df = false;
  c.dataplane.learn_remote = true;
  c.dataplane.udp_src_port = 40000;
  auto d = compute_desired(c, ce_links());
  ASSERT_EQ(d.settings.size(), 1u);
  const nwbpf_settings& s = d.settings.at(0);
  EXPECT_EQ(s.local_nbma, ip("192.168.0.1").be);
  EXPECT_EQ(s.wan_ifindex, 2u);
  EXPECT_EQ(s.wan_mtu, 1550);
  EXPECT_EQ(s.tunnel_ifindex, 0u);
  EXPECT_EQ(s.mode, NWBPF_MODE_XDP);
  EXPECT_EQ(s.ttl, 17);
  EXPECT_EQ(s.udp_src_port, 40000);
  EXPECT_EQ(s.flags, NWBPF_SET_LEARN_REMOTE);
  c.dataplane.df = true;
  c.dataplane.learn_remote = false;
  EXPECT_EQ(compute_desired(c, ce_links()).settings.at(0).flags, NWBPF_SET_DF);
}

TEST(DesiredState, TcpMssAutoFollowsTheWanMtu) {
  Config c = ce_config();  // tcp_mss = "auto", WAN MTU 1550
  const nwbpf_settings s = compute_desired(c, ce_links()).settings.at(0);
  EXPECT_EQ(s.tcp_mss4, 1550 - 50 - 20 - 20);
  EXPECT_EQ(s.tcp_mss6, 1550 - 50 - 40 - 20);
  auto links = ce_links();
  links["eth0"].mtu = 1500;  // Nante-WAN's fixed 1340 was below this
  EXPECT_EQ(compute_desired(c, links).settings.at(0).tcp_mss4, 1410);
  links.erase("eth0");
  const nwbpf_settings none = compute_desired(c, links).settings.at(0);
  EXPECT_EQ(none.tcp_mss4, 0) << "no WAN device, no MTU to clamp to";
  EXPECT_EQ(none.tcp_mss6, 0);
}

TEST(DesiredState, TcpMssFixedAndOff) {
  Config c = ce_config();
  c.dataplane.tcp_mss = TcpMssMode::fixed;
  c.dataplane.tcp_mss_value = 1340;
  const nwbpf_settings s = compute_desired(c, ce_links()).settings.at(0);
  EXPECT_EQ(s.tcp_mss4, 1340);
  EXPECT_EQ(s.tcp_mss6, 1320);
  c.dataplane.tcp_mss = TcpMssMode::off;
  const nwbpf_settings off = compute_desired(c, ce_links()).settings.at(0);
  EXPECT_EQ(off.tcp_mss4, 0);
  EXPECT_EQ(off.tcp_mss6, 0);
}

TEST(DesiredState, LocalNbmaDefaultsToTheWanAddress) {
  Config c = ce_config();
  c.node.nbma_address.reset();
  auto links = ce_links();
  links["eth0"].ipv4 = ip("192.168.0.7");
  EXPECT_EQ(compute_desired(c, links).settings.at(0).local_nbma, ip("192.168.0.7").be);

  links["eth0"].ipv4.reset();
  auto d = compute_desired(c, links);
  EXPECT_EQ(d.settings.at(0).local_nbma, 0u);
  EXPECT_EQ(d.warnings, std::vector<std::string>{
                            "WAN device eth0 has no IPv4 address and node.nbma_address is not set: "
                            "nothing can be encapsulated"});
}

TEST(DesiredState, WanIsAPortWithRoleWan) {
  auto d = compute_desired(ce_config(), ce_links());
  const nwbpf_port& wan = d.ports.at(2);
  EXPECT_EQ(wan.role, NWBPF_PORT_WAN);
  EXPECT_EQ(wan.flags, NWBPF_PORT_XDP_TX);
  EXPECT_EQ(wan.pvid, 0);
  EXPECT_TRUE(bits(wan.member).empty());
}

TEST(DesiredState, XdpTxFollowsCapabilityInXdpMode) {
  auto links = ce_links();
  links["vethb"] = link(11, 1500, false);
  auto d = compute_desired(ce_config(), links);
  EXPECT_EQ(d.ports.at(10).flags, NWBPF_PORT_XDP_TX);
  EXPECT_EQ(d.ports.at(11).flags, 0);
  ASSERT_EQ(d.port_views.size(), 3u);
  EXPECT_TRUE(d.port_views[0].xdp_path);
  EXPECT_EQ(d.port_views[0].path_reason, "ndo_xdp_xmit available");
  EXPECT_FALSE(d.port_views[1].xdp_path);
  EXPECT_EQ(d.port_views[1].path_reason, "veth peer has no XDP program and GRO off");
}

TEST(DesiredState, PortPathOverridesCapability) {
  Config c = ce_config();
  c.ports[0].path = PortPath::tc;
  c.ports[1].path = PortPath::xdp;
  auto links = ce_links();
  links["vethb"] = link(11, 1500, false);
  auto d = compute_desired(c, links);
  EXPECT_EQ(d.ports.at(10).flags, 0);
  EXPECT_EQ(d.port_views[0].path_reason, "path = \"tc\" in the config");
  EXPECT_EQ(d.ports.at(11).flags, NWBPF_PORT_XDP_TX);
  EXPECT_EQ(d.port_views[1].path_reason,
            "path = \"xdp\" in the config (kernel: veth peer has no XDP program and GRO off)");
}

TEST(DesiredState, NoXdpTxOutsideXdpMode) {
  for (auto mode : {DataplaneMode::tc, DataplaneMode::kernel_tunnel}) {
    Config c = ce_config();
    c.dataplane.mode = mode;
    auto links = ce_links();
    links["nwbpf-vx0"] = link(30);
    auto d = compute_desired(c, links);
    for (const auto& [ifindex, port] : d.ports) EXPECT_EQ(port.flags, 0) << ifindex;
    const char* reason = mode == DataplaneMode::tc ? "mode tc" : "mode kernel-tunnel";
    for (const auto& view : d.port_views) {
      EXPECT_FALSE(view.xdp_path);
      EXPECT_EQ(view.path_reason, reason) << view.name;
    }
  }
}

TEST(DesiredState, HooksInXdpMode) {
  auto d = compute_desired(ce_config(), ce_links());
  HookSet want{{{2, Hook::xdp}, NWBPF_PORT_WAN},   {{2, Hook::tc_ingress}, NWBPF_PORT_WAN},
               {{10, Hook::xdp}, NWBPF_PORT_EDGE}, {{10, Hook::tc_ingress}, NWBPF_PORT_EDGE},
               {{11, Hook::xdp}, NWBPF_PORT_EDGE}, {{11, Hook::tc_ingress}, NWBPF_PORT_EDGE}};
  EXPECT_EQ(d.hooks, want);
}

TEST(DesiredState, HooksInTcMode) {
  Config c = ce_config();
  c.dataplane.mode = DataplaneMode::tc;
  auto d = compute_desired(c, ce_links());
  HookSet want{{{2, Hook::tc_ingress}, NWBPF_PORT_WAN},
               {{10, Hook::tc_ingress}, NWBPF_PORT_EDGE},
               {{11, Hook::tc_ingress}, NWBPF_PORT_EDGE}};
  EXPECT_EQ(d.hooks, want);
  EXPECT_EQ(d.settings.at(0).mode, NWBPF_MODE_TC);
}

TEST(DesiredState, KernelTunnelModeHooksEdgesAndTunnelButNotWan) {
  Config c = ce_config();
  c.dataplane.mode = DataplaneMode::kernel_tunnel;
  auto links = ce_links();
  links["nwbpf-vx0"] = link(30, 1500);
  auto d = compute_desired(c, links);
  HookSet want{{{10, Hook::tc_ingress}, NWBPF_PORT_EDGE},
               {{11, Hook::tc_ingress}, NWBPF_PORT_EDGE},
               {{30, Hook::tc_ingress}, NWBPF_PORT_TUNNEL}};
  EXPECT_EQ(d.hooks, want);
  EXPECT_EQ(d.ports.at(30).role, NWBPF_PORT_TUNNEL);
  EXPECT_EQ(d.ports.at(2).role, NWBPF_PORT_WAN);
  EXPECT_EQ(d.settings.at(0).mode, NWBPF_MODE_KERNEL_TUNNEL);
  EXPECT_EQ(d.settings.at(0).tunnel_ifindex, 30u);
  ASSERT_EQ(d.port_views.size(), 4u);
  EXPECT_EQ(d.port_views[3].name, "nwbpf-vx0");
  EXPECT_EQ(d.port_views[3].role, NWBPF_PORT_TUNNEL);
}

TEST(DesiredState, EncryptionFlagsOnlyPeersWithAnSaAndLeavesRoomForEsp) {
  Config c = ce_config();
  c.dataplane.mode = DataplaneMode::kernel_tunnel;
  c.peers = {{ip("10.0.0.2"), ip("192.168.0.2")}, {ip("10.0.0.3"), ip("192.168.0.3")}};
  auto links = ce_links();
  links["nwbpf-vx0"] = link(30, 1500);
  const std::set<Ipv4> sa_up{ip("192.168.0.3"), ip("192.168.0.9")};

  auto plain = compute_desired(c, links, {}, {}, {}, sa_up);
  EXPECT_EQ(plain.settings.at(0).flags & NWBPF_SET_ENCRYPT, 0) << "[ipsec] off";
  EXPECT_EQ(plain.peers.at(ip("10.0.0.3").be).flags, 0);

  c.ipsec.mode = IpsecConfig::Mode::psk;
  auto d = compute_desired(c, links, {}, {}, {}, sa_up);
  const nwbpf_settings& s = d.settings.at(0);
  EXPECT_NE(s.flags & NWBPF_SET_ENCRYPT, 0);
  EXPECT_EQ(s.wan_mtu, plain.settings.at(0).wan_mtu - kEspOverhead);
  EXPECT_EQ(kEspOverhead, 45);
  EXPECT_EQ(d.peers.at(ip("10.0.0.2").be).flags, 0) << "no SA: no frames";
  EXPECT_EQ(d.peers.at(ip("10.0.0.3").be).flags, NWBPF_PEER_SA);
  // The MSS clamp follows the lowered MTU.
  EXPECT_EQ(s.tcp_mss4, plain.settings.at(0).tcp_mss4 - kEspOverhead);
}

TEST(DesiredState, KernelTunnelDeviceNotYetCreated) {
  Config c = ce_config();
  c.dataplane.mode = DataplaneMode::kernel_tunnel;
  auto d = compute_desired(c, ce_links());
  EXPECT_EQ(d.settings.at(0).tunnel_ifindex, 0u);
  EXPECT_EQ(d.warnings, std::vector<std::string>{"tunnel device nwbpf-vx0 does not exist yet"});
  EXPECT_EQ(d.port_views[3].state, "missing");
}

TEST(DesiredState, PeersAndReverseIndex) {
  auto d = compute_desired(ce_config(), ce_links());
  ASSERT_EQ(d.peers.size(), 2u);
  EXPECT_EQ(d.peers.at(ip("10.0.0.2").be).nbma, ip("192.168.0.2").be);
  EXPECT_EQ(d.peers.at(ip("10.0.0.2").be).nbma_port, 0);
  ASSERT_EQ(d.peer_nbma.size(), 2u);
  EXPECT_EQ(d.peer_nbma.at(nwbpf_peer_nbma_key{ip("192.168.0.3").be}).overlay, ip("10.0.0.3").be);
}

TEST(DesiredState, FloodListPerVni) {
  auto d = compute_desired(ce_config(), ce_links());
  ASSERT_EQ(d.flood.size(), 1u);
  const nwbpf_flood& f = d.flood.at(99);
  ASSERT_EQ(f.count, 2u);
  EXPECT_EQ(f.vtep[0], ip("10.0.0.2").be);
  EXPECT_EQ(f.vtep[1], ip("10.0.0.3").be);
  EXPECT_EQ(f.vtep[2], 0u);
}

TEST(DesiredState, FloodListLongerThanTheMapHoldsIsCappedAndWarned) {
  Config c = ce_config();
  c.flood[0].vteps.assign(NWBPF_MAX_FLOOD_VTEPS + 2, ip("10.0.0.2"));
  auto d = compute_desired(c, ce_links());
  EXPECT_EQ(d.flood.at(99).count, static_cast<__u32>(NWBPF_MAX_FLOOD_VTEPS));
  EXPECT_EQ(d.warnings,
            std::vector<std::string>{
                "ce.toml:28:1: flood list of VNI 99 has 130 VTEPs; only the first 128 get copies"});
}

TEST(DesiredState, StaticFdbEntries) {
  Config c = ce_config();
  c.fdb = {
      StaticFdbConfig{99, test::mac("02:00:00:00:00:01"), "vetha", std::nullopt, "ce.toml:40:1"},
      StaticFdbConfig{99, test::mac("02:00:00:00:00:02"), std::nullopt, ip("10.0.0.3"),
                      "ce.toml:44:1"}};
  auto d = compute_desired(c, ce_links());
  ASSERT_EQ(d.fdb.size(), 2u);
  nwbpf_fdb_key k1{.vni = 99, .mac = {2, 0, 0, 0, 0, 1}, .pad = 0};
  nwbpf_fdb_key k2{.vni = 99, .mac = {2, 0, 0, 0, 0, 2}, .pad = 0};
  const nwbpf_fdb_entry& local = d.fdb.at(k1);
  EXPECT_EQ(local.kind, NWBPF_FDB_LOCAL);
  EXPECT_EQ(local.origin, NWBPF_ORIGIN_STATIC);
  EXPECT_EQ(local.ifindex, 10u);
  EXPECT_EQ(local.vtep, 0u);
  EXPECT_EQ(local.last_seen_ns, 0u);
  const nwbpf_fdb_entry& remote = d.fdb.at(k2);
  EXPECT_EQ(remote.kind, NWBPF_FDB_REMOTE);
  EXPECT_EQ(remote.origin, NWBPF_ORIGIN_STATIC);
  EXPECT_EQ(remote.vtep, ip("10.0.0.3").be);
  EXPECT_EQ(remote.ifindex, 0u);
}

TEST(DesiredState, MissingPortIsWaitedFor) {
  Config c = ce_config();
  c.fdb = {
      StaticFdbConfig{10, test::mac("02:00:00:00:00:01"), "vethb", std::nullopt, "ce.toml:40:1"}};
  auto links = ce_links();
  links.erase("vethb");
  auto d = compute_desired(c, links);
  EXPECT_FALSE(d.ports.contains(11));
  EXPECT_FALSE(d.vlan_ports.contains(10));
  EXPECT_FALSE(d.vlan_ports.contains(20));
  EXPECT_TRUE(d.fdb.empty());
  EXPECT_FALSE(d.hooks.contains({11, Hook::xdp}));
  EXPECT_FALSE(d.hooks.contains({11, Hook::tc_ingress}));
  EXPECT_EQ(d.port_views[1].state, "missing");
  EXPECT_EQ(d.port_views[1].ifindex, 0);
  EXPECT_EQ(d.port_views[1].path_reason, "device missing");
  EXPECT_EQ(d.warnings, (std::vector<std::string>{
                            "ce.toml:15:1: port vethb does not exist; waiting for it",
                            "ce.toml:40:1: static entry 02:00:00:00:00:01 waits for port vethb"}));
}

TEST(DesiredState, MissingWan) {
  auto links = ce_links();
  links.erase("eth0");
  auto d = compute_desired(ce_config(), links);
  EXPECT_FALSE(d.ports.contains(2));
  EXPECT_EQ(d.settings.at(0).wan_ifindex, 0u);
  EXPECT_EQ(d.settings.at(0).wan_mtu, 0);
  EXPECT_EQ(d.settings.at(0).local_nbma, ip("192.168.0.1").be);
  EXPECT_EQ(d.warnings, std::vector<std::string>{"WAN device eth0 does not exist; waiting for it"});
}

TEST(DesiredState, WarnsWhenEdgeMtuPlusVxlanExceedsWanMtu) {
  auto links = ce_links();
  links["eth0"].mtu = 1500;
  auto d = compute_desired(ce_config(), links);
  EXPECT_EQ(
      d.warnings,
      (std::vector<std::string>{
          "port vetha MTU 1500 + 50 (VXLAN) exceeds WAN eth0 MTU 1500: frames longer than 1450 "
          "bytes will be dropped (drop counter mtu_exceeded)",
          "port vethb MTU 1500 + 50 (VXLAN) exceeds WAN eth0 MTU 1500: frames longer than 1450 "
          "bytes will be dropped (drop counter mtu_exceeded)"}));
}

TEST(DesiredState, PortViewsDescribeEveryDevice) {
  auto links = ce_links();
  links["vethb"].up = false;
  auto d = compute_desired(ce_config(), links);
  ASSERT_EQ(d.port_views.size(), 3u);
  EXPECT_EQ(d.port_views[0].name, "vetha");
  EXPECT_EQ(d.port_views[0].state, "up");
  EXPECT_EQ(d.port_views[0].pvid, 99);
  EXPECT_EQ(d.port_views[1].state, "down");
  EXPECT_TRUE(d.port_views[1].tagged);
  EXPECT_EQ(d.port_views[1].vlans, (std::vector<uint16_t>{10, 20}));
  EXPECT_EQ(d.port_views[2].name, "eth0");
  EXPECT_EQ(d.port_views[2].role, NWBPF_PORT_WAN);
  EXPECT_EQ(d.port_views[2].ifindex, 2);
}

TEST(DesiredState, ConfiguredDevicesPerMode) {
  Config c = ce_config();
  EXPECT_EQ(configured_devices(c), (std::vector<std::string>{"vetha", "vethb", "eth0"}));
  c.dataplane.mode = DataplaneMode::kernel_tunnel;
  EXPECT_EQ(configured_devices(c),
            (std::vector<std::string>{"vetha", "vethb", "eth0", "nwbpf-vx0"}));
}

}  // namespace
}  // namespace nwbpf::daemon
