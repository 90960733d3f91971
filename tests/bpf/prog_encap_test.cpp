// SPDX-License-Identifier: Apache-2.0
// Edge to VTEP: exact VXLAN bytes from XDP and TC (outer MACs and egress from
// the nexthops map), UDP source port choice, DF/TTL/ID, MTU, unresolved
// peers and next hops, and kernel-tunnel mode.
#include <linux/bpf.h>
#include <netinet/in.h>

#include <set>

#include "support/fixture.h"

namespace nwbpf::test {
namespace {

constexpr uint16_t kFixedSport = 54321;

class EncapTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
    dp->add_fdb(kVlanA, kR4, fdb_remote(kVtep4));
    set_udp_src_port(kFixedSport);
  }
  static uint16_t sport_of(const Bytes& out) { return (out[34] << 8) | out[35]; }
};

TEST_F(EncapTest, XdpUntaggedFrameExactBytes) {
  auto inner = host_frame(kR2, kH1);
  auto r = xdp_edge(inner, e1);
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, inner)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_EDGE_RX), 1u);
}

TEST_F(EncapTest, XdpTaggedFrameLosesItsTagInside) {
  auto r = xdp_edge(host_frame(kR2, kH2, kVlanA), e2);
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, host_frame(kR2, kH2))));
}

TEST_F(EncapTest, TcMatchesXdpByteForByte) {
  auto inner = host_frame(kR2, kH1);
  auto r = tc_edge(inner, e1);
  ASSERT_EQ(r.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, inner)));
  auto t = tc_edge(host_frame(kR2, kH2, kVlanA), e2);
  ASSERT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(t.out), hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, host_frame(kR2, kH2))));
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 2u);
}

TEST_F(EncapTest, TcEncapsulatesNonIpFramesToo) {
  // ARP takes bpf_skb_change_head (adjust_room refuses non-IP skbs).
  auto arp = ether(kR2, kH1, kEthArp, arp_body(kH1, ip4("172.16.0.1"), ip4("172.16.0.2")));
  auto r = tc_edge(arp, e1);
  ASSERT_EQ(r.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, arp)));
  auto x = xdp_edge(arp, e1);
  ASSERT_EQ(x.verdict, XDP_REDIRECT);
  EXPECT_EQ(hex(x.out), hex(r.out));
}

TEST_F(EncapTest, FlowHashPortIsInTheDynamicRangeStablePerFlowAndSameInXdpAndTc) {
  set_udp_src_port(0);
  std::set<uint16_t> ports;
  for (uint16_t dport = 5000; dport < 5032; dport++) {
    auto inner = host_frame(kR2, kH1, std::nullopt, 64, dport);
    auto x = xdp_edge(inner, e1);
    auto again = xdp_edge(inner, e1);
    auto t = tc_edge(inner, e1);
    ASSERT_EQ(x.verdict, XDP_REDIRECT);
    uint16_t sport = sport_of(x.out);
    EXPECT_GE(sport, 49152);
    EXPECT_EQ(sport_of(again.out), sport);
    EXPECT_EQ(sport_of(t.out), sport);
    EXPECT_EQ(hex(x.out), hex(to_peer(kNbma2Mac, kNbma2, sport, kVlanA, inner)));
    ports.insert(sport);
  }
  EXPECT_GE(ports.size(), 28u) << "32 flows should spread over (nearly) 32 ports";
}

TEST_F(EncapTest, WithoutDfTheIdVariesAndTheChecksumStaysRight) {
  auto s = dp->settings();
  s.flags &= ~NWBPF_SET_DF;
  s.ttl = 17;
  dp->set_settings(s);
  std::set<uint16_t> ids;
  for (int i = 0; i < 8; i++) {
    auto r = xdp_edge(host_frame(kR2, kH1), e1);
    ASSERT_EQ(r.verdict, XDP_REDIRECT);
    EXPECT_EQ(r.out[20] & 0x40, 0) << "DF must be clear";
    EXPECT_EQ(r.out[22], 17) << "TTL";
    EXPECT_EQ(ipv4_checksum(r.out.data() + 14, 20), 0) << "header checksum";
    ids.insert((r.out[18] << 8) | r.out[19]);
  }
  EXPECT_GT(ids.size(), 1u);
}

TEST_F(EncapTest, MtuExceededIsDroppedAndCountedInXdpAndTc) {
  // Outer IPv4 = inner + 36 bytes; WAN MTU 1500 allows a 1464-byte inner frame.
  auto fits = host_frame(kR2, kH1, std::nullopt, 1464 - 14 - 20 - 8);
  auto too_big = host_frame(kR2, kH1, std::nullopt, 1465 - 14 - 20 - 8);
  ASSERT_EQ(fits.size(), 1464u);
  EXPECT_EQ(xdp_edge(fits, e1).verdict, XDP_REDIRECT);
  EXPECT_EQ(xdp_edge(too_big, e1).verdict, XDP_DROP);
  EXPECT_EQ(tc_edge(fits, e1).verdict, kTcRedirect);
  EXPECT_EQ(tc_edge(too_big, e1).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_MTU_EXCEEDED), 2u);
}

TEST_F(EncapTest, OuterMacsAndEgressComeFromTheNextHopEntry) {
  // Not the kernel's neighbour (02:00:00:00:02:02) nor the WAN's MAC: the
  // data plane reads only what the agent wrote.
  const MacAddr dmac = mac("02:00:00:00:02:77"), smac = mac("02:00:00:00:01:77");
  dp->set_nexthop(kNbma2, wan, smac, dmac);
  auto inner = host_frame(kR2, kH1);
  Bytes expected = to_peer(dmac, kNbma2, kFixedSport, kVlanA, inner);
  std::copy(smac.begin(), smac.end(), expected.begin() + 6);
  auto x = xdp_edge(inner, e1);
  ASSERT_EQ(x.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(x.out), hex(expected));
  auto t = tc_edge(inner, e1);
  ASSERT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(t.out), hex(expected));
}

TEST_F(EncapTest, NextHopChangeReachesXdpAndTcAtOnceAndTheKernelsNeighbourDoesNot) {
  auto inner = host_frame(kR2, kH1);
  ASSERT_EQ(xdp_edge(inner, e1).verdict, XDP_REDIRECT);
  const MacAddr moved = mac("02:00:00:00:02:99");
  TestNetns::ip("neigh replace 192.168.0.2 lladdr 02:00:00:00:02:99 dev wan nud permanent\n");
  EXPECT_EQ(hex(xdp_edge(inner, e1).out),
            hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, inner)));
  dp->set_nexthop(kNbma2, wan, kWanMac, moved);  // the agent's refresh
  EXPECT_EQ(hex(xdp_edge(inner, e1).out), hex(to_peer(moved, kNbma2, kFixedSport, kVlanA, inner)));
  EXPECT_EQ(hex(tc_edge(inner, e1).out), hex(to_peer(moved, kNbma2, kFixedSport, kVlanA, inner)));
}

TEST_F(EncapTest, NoNextHopXdpPassesUntouchedWithAnEventTcRedirectsViaNeighbour) {
  auto inner = host_frame(kR4, kH1);
  auto x = xdp_edge(inner, e1);
  EXPECT_EQ(x.verdict, XDP_PASS);
  EXPECT_EQ(hex(x.out), hex(inner));
  EXPECT_EQ(dp->stat(NWBPF_STAT_XDP_TO_TC), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NEIGH_MISS), 0u) << "TC, which gets the frame next, counts it";
  auto ev = dp->events();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].type, NWBPF_EV_MAC_NEW);  // kH1 learned
  EXPECT_EQ(ev[1].type, NWBPF_EV_NEIGH_MISS);
  EXPECT_EQ(ev[1].vtep, kVtep4);
  EXPECT_EQ(ev[1].nbma, kNbma4);
  EXPECT_EQ(ev[1].vni, kVlanA);

  // TC: bpf_redirect_neigh fills the MACs later; here they are still zero.
  // (tests/bpf/prog_live_test.cpp sends it for real.)
  auto t = tc_edge(inner, e1);
  EXPECT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
  MacAddr zero{};
  Bytes expected = to_peer(zero, kNbma4, kFixedSport, kVlanA, inner);
  std::copy(zero.begin(), zero.end(), expected.begin() + 6);
  EXPECT_EQ(hex(t.out), hex(expected));
  EXPECT_EQ(dp->stat(NWBPF_STAT_NEIGH_MISS), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 1u);
  EXPECT_TRUE(dp->events().empty()) << "XDP's event a moment ago covers TC's (rate limit)";
}

TEST_F(EncapTest, UnresolvedNextHopForArpIsDroppedWithAnEvent) {
  auto arp = ether(kR4, kH1, kEthArp, arp_body(kH1, ip4("172.16.0.1"), ip4("172.16.0.2")));
  dp->events();  // learning event of kH1 is not what this test is about
  auto t = tc_edge(arp, e1);
  EXPECT_EQ(t.verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_NO_ROUTE), 1u);
  bool seen = false;
  for (const auto& ev : dp->events()) {
    if (ev.type != NWBPF_EV_NEIGH_MISS) continue;
    seen = true;
    EXPECT_EQ(ev.vtep, kVtep4);
    EXPECT_EQ(ev.nbma, kNbma4);
    EXPECT_EQ(ev.vni, kVlanA);
  }
  EXPECT_TRUE(seen);
}

TEST_F(EncapTest, VtepWithoutPeerEntryOrRouteIsDropped) {
  dp->add_fdb(kVlanA, kH3, fdb_remote(ip4("10.0.0.99")));
  EXPECT_EQ(xdp_edge(host_frame(kH3, kH1), e1).verdict, XDP_DROP);
  EXPECT_EQ(tc_edge(host_frame(kH3, kH1), e1).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_PEER_UNRESOLVED), 2u);

  // The agent found no route to it via the WAN device.
  dp->set_peer(ip4("10.0.0.99"), ip4("203.0.113.9"));
  dp->set_nexthop(ip4("203.0.113.9"), wan, MacAddr{}, MacAddr{}, NWBPF_NH_NO_ROUTE);
  EXPECT_EQ(xdp_edge(host_frame(kH3, kH1), e1).verdict, XDP_DROP);
  EXPECT_EQ(tc_edge(host_frame(kH3, kH1), e1).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_NO_ROUTE), 2u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 0u);
}

TEST_F(EncapTest, NextHopDeviceWithoutXdpRedirectGoesToTc) {
  // The agent leaves NWBPF_NH_XDP_TX out when the WAN device does not take
  // XDP frames; XDP reads only the next-hop entry, not `ports`.
  dp->set_nexthop(kNbma2, wan, kWanMac, kNbma2Mac, 0);
  auto inner = host_frame(kR2, kH1);
  auto r = xdp_edge(inner, e1);
  EXPECT_EQ(r.verdict, XDP_PASS);
  EXPECT_EQ(hex(r.out), hex(inner));
  EXPECT_EQ(dp->stat(NWBPF_STAT_XDP_TO_TC), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 0u);
  // TC still encapsulates it with the entry's MACs.
  auto t = tc_edge(inner, e1);
  EXPECT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();

  // The device redirected to is the next hop's, not settings.wan_ifindex.
  TestNetns::ip("link add wan2 type veth peer name wan2p\nlink set wan2 up\nlink set wan2p up\n");
  int wan2 = TestNetns::ifindex("wan2");
  dp->set_nexthop(kNbma2, wan2, kWanMac, kNbma2Mac);
  auto x = xdp_edge(inner, e1);
  EXPECT_EQ(x.verdict, XDP_REDIRECT);
  EXPECT_EQ(dp->stat(NWBPF_STAT_XDP_TO_TC), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 2u);  // TC's and this one
}

TEST_F(EncapTest, KernelTunnelModeNeverEncapsulatesInBpf) {
  set_mode(NWBPF_MODE_KERNEL_TUNNEL);
  TestNetns::ip("link add vx0 type vxlan external dstport 4789\nlink set vx0 up\n");
  auto s = dp->settings();
  s.tunnel_ifindex = TestNetns::ifindex("vx0");
  dp->set_settings(s);

  auto inner = host_frame(kR2, kH2, kVlanA);
  auto x = xdp_edge(inner, e2);
  EXPECT_EQ(x.verdict, XDP_PASS);
  EXPECT_EQ(hex(x.out), hex(inner));
  // TC hands the untagged inner frame to the VXLAN device with a tunnel key.
  auto t = tc_edge(inner, e2);
  EXPECT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(t.out), hex(host_frame(kR2, kH2)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_TUNNEL_TX), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 0u);

  s.tunnel_ifindex = 0;  // no VXLAN device: fail closed
  dp->set_settings(s);
  EXPECT_EQ(tc_edge(inner, e2).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_NO_ROUTE), 1u);
}

TEST_F(EncapTest, EncryptedOverlaySendsOnlyToPeersWithAnSa) {
  set_mode(NWBPF_MODE_KERNEL_TUNNEL);
  TestNetns::ip("link add vx0 type vxlan external dstport 4789\nlink set vx0 up\n");
  auto s = dp->settings();
  s.tunnel_ifindex = TestNetns::ifindex("vx0");
  s.flags |= NWBPF_SET_ENCRYPT;
  dp->set_settings(s);
  auto inner = host_frame(kR2, kH1);

  // No SA with 10.0.0.2 yet: dropped and counted, never handed to the
  // kernel (whose trap policy would drop it silently, or worse, send it).
  EXPECT_EQ(tc_edge(inner, e1).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_NO_SA), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_TUNNEL_TX), 0u);

  auto peer = dp->peers().lookup(kVtep2);
  ASSERT_TRUE(peer);
  peer->flags |= NWBPF_PEER_SA;
  dp->peers().update(kVtep2, *peer);
  auto t = tc_edge(inner, e1);
  EXPECT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(dp->stat(NWBPF_STAT_TUNNEL_TX), 1u);

  // The SA goes down: the next frame is dropped again.
  peer->flags &= ~NWBPF_PEER_SA;
  dp->peers().update(kVtep2, *peer);
  EXPECT_EQ(tc_edge(inner, e1).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_NO_SA), 2u);
}

TEST_F(EncapTest, MissingLocalNbmaIsNoRoute) {
  auto s = dp->settings();
  s.local_nbma = 0;
  dp->set_settings(s);
  EXPECT_EQ(xdp_edge(host_frame(kR2, kH1), e1).verdict, XDP_DROP);
  EXPECT_EQ(dp->drop(NWBPF_DROP_NO_ROUTE), 1u);
}

}  // namespace
}  // namespace nwbpf::test
