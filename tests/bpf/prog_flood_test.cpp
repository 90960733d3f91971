// SPDX-License-Identifier: Apache-2.0
// BUM ingress replication (tc_edge, tc_wan): bpf_clone_redirect really sends
// the copies during BPF_PROG_RUN, so each is captured on the far end of its
// veth and checked byte for byte, tag included.
#include <netinet/in.h>

#include <cstring>

#include "support/capture.h"
#include "support/fixture.h"

namespace nwbpf::test {
namespace {

constexpr uint16_t kFixedSport = 54321;

class FloodTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    set_udp_src_port(kFixedSport);
    c1 = std::make_unique<Capture>("e1p");
    c2 = std::make_unique<Capture>("e2p");
    c3 = std::make_unique<Capture>("e3p");
    cw = std::make_unique<Capture>("wanp");
  }
  std::unique_ptr<Capture> c1, c2, c3, cw;
};

std::vector<std::string> hexes(const std::vector<Bytes>& frames) {
  std::vector<std::string> out;
  for (const auto& f : frames) out.push_back(hex(f));
  return out;
}

TEST_F(FloodTest, EdgeBroadcastReachesTheVlansOtherPortsAndEveryResolvedVtep) {
  auto in = host_frame(kBroadcast, kH1);
  auto r = tc_edge(in, e1);
  EXPECT_EQ(r.verdict, kTcStolen) << dp->drops_summary();
  EXPECT_EQ(hexes(c2->drain()), std::vector<std::string>{hex(host_frame(kBroadcast, kH1, kVlanA))});
  EXPECT_TRUE(c1->drain(50).empty()) << "never back out of the ingress port";
  EXPECT_TRUE(c3->drain(50).empty()) << "e3 is not in VLAN 99";
  EXPECT_EQ(hexes(cw->drain()), (std::vector<std::string>{
                                    hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, in)),
                                    hex(to_peer(kNbma3Mac, kNbma3, kFixedSport, kVlanA, in)),
                                }));
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_LOCAL), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_REMOTE), 2u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NEIGH_MISS), 1u);
  EXPECT_EQ(dp->drops_summary(), "none");

  // 10.0.0.4 has no next-hop entry: the agent is told, so it resolves it.
  auto ev = dp->events();
  ASSERT_EQ(ev.size(), 2u);  // MAC_NEW of kH1, NEIGH_MISS
  EXPECT_EQ(ev[0].type, NWBPF_EV_MAC_NEW);
  EXPECT_EQ(ev[1].type, NWBPF_EV_NEIGH_MISS);
  EXPECT_EQ(ev[1].vtep, kVtep4);
  EXPECT_EQ(ev[1].nbma, kNbma4);
  EXPECT_EQ(ev[1].vni, kVlanA);
}

TEST_F(FloodTest, CopiesTakeTheNextHopEntrysMacsAndSkipVtepsWithoutOne) {
  const MacAddr dmac = mac("02:00:00:00:03:77"), smac = mac("02:00:00:00:01:77");
  dp->set_nexthop(kNbma3, wan, smac, dmac);
  dp->delete_nexthop(kNbma2);
  auto in = host_frame(kBroadcast, kH1);
  EXPECT_EQ(tc_edge(in, e1).verdict, kTcStolen) << dp->drops_summary();
  Bytes expected = to_peer(dmac, kNbma3, kFixedSport, kVlanA, in);
  std::copy(smac.begin(), smac.end(), expected.begin() + 6);
  EXPECT_EQ(hexes(cw->drain()), std::vector<std::string>{hex(expected)});
  EXPECT_EQ(c2->drain().size(), 1u) << "local ports are not affected";
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_REMOTE), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NEIGH_MISS), 2u) << "10.0.0.2 and 10.0.0.4";
  EXPECT_EQ(dp->drops_summary(), "none") << "a skipped copy is a miss, not a drop";
  std::vector<uint32_t> missed;
  for (const auto& ev : dp->events())
    if (ev.type == NWBPF_EV_NEIGH_MISS) missed.push_back(ev.nbma);
  EXPECT_EQ(missed, (std::vector<uint32_t>{kNbma2, kNbma4}));
}

TEST_F(FloodTest, VtepWithoutRouteGetsNoCopyAndCountsNoRoute) {
  dp->set_nexthop(kNbma2, wan, MacAddr{}, MacAddr{}, NWBPF_NH_NO_ROUTE);
  auto in = host_frame(kBroadcast, kH1);
  EXPECT_EQ(tc_edge(in, e1).verdict, kTcStolen);
  EXPECT_EQ(hexes(cw->drain()),
            std::vector<std::string>{hex(to_peer(kNbma3Mac, kNbma3, kFixedSport, kVlanA, in))});
  EXPECT_EQ(dp->drop(NWBPF_DROP_NO_ROUTE), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NEIGH_MISS), 1u) << "10.0.0.4 only";
}

TEST_F(FloodTest, NeighbourMissEventsAreRateLimited) {
  for (int i = 0; i < 5; i++) tc_edge(host_frame(kBroadcast, kH1), e1);
  int misses = 0;
  for (const auto& ev : dp->events()) misses += ev.type == NWBPF_EV_NEIGH_MISS;
  EXPECT_EQ(misses, 1);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NEIGH_MISS), 5u);
}

TEST_F(FloodTest, TaggedUnknownUnicastGoesUntaggedToTheOtherPortOfItsVlan) {
  auto in = host_frame(mac("02:cc:00:00:00:09"), kH2, kVlanB);
  EXPECT_EQ(tc_edge(in, e2).verdict, kTcStolen);
  EXPECT_EQ(hexes(c3->drain()),
            std::vector<std::string>{hex(host_frame(mac("02:cc:00:00:00:09"), kH2))});
  EXPECT_TRUE(c2->drain(50).empty());
  EXPECT_TRUE(cw->drain(50).empty()) << "VNI 100 has no flood list";
}

TEST_F(FloodTest, NonIpBroadcastIsEncapsulatedForEveryVtep) {
  auto arp = ether(kBroadcast, kH1, kEthArp, arp_body(kH1, ip4("172.16.0.1"), ip4("172.16.0.2")));
  EXPECT_EQ(tc_edge(arp, e1).verdict, kTcStolen);
  EXPECT_EQ(
      hexes(c2->drain()),
      std::vector<std::string>{hex(ether(
          kBroadcast, kH1, kEthArp, arp_body(kH1, ip4("172.16.0.1"), ip4("172.16.0.2")), kVlanA))});
  EXPECT_EQ(hexes(cw->drain()), (std::vector<std::string>{
                                    hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, arp)),
                                    hex(to_peer(kNbma3Mac, kNbma3, kFixedSport, kVlanA, arp)),
                                }));
}

TEST_F(FloodTest, TooBigForTheWanReachesOnlyLocalPorts) {
  auto in = host_frame(kBroadcast, kH1, std::nullopt, 1465 - 42);
  EXPECT_EQ(tc_edge(in, e1).verdict, kTcStolen);
  EXPECT_EQ(c2->drain().size(), 1u);
  EXPECT_TRUE(cw->drain(50).empty());
  EXPECT_EQ(dp->drop(NWBPF_DROP_MTU_EXCEEDED), 1u);
}

TEST_F(FloodTest, BroadcastFromAVtepReachesEveryLocalPortOfTheVlanTaggedRight) {
  auto inner = host_frame(kBroadcast, kR2);
  auto r = tc_wan(from_peer(kNbma2, kVlanA, inner));
  EXPECT_EQ(r.verdict, kTcStolen) << dp->drops_summary();
  EXPECT_EQ(hexes(c1->drain()), std::vector<std::string>{hex(inner)});
  EXPECT_EQ(hexes(c2->drain()), std::vector<std::string>{hex(host_frame(kBroadcast, kR2, kVlanA))});
  EXPECT_TRUE(c3->drain(50).empty());
  EXPECT_TRUE(cw->drain(50).empty()) << "split horizon: nothing back to the WAN";
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_LOCAL), 2u);
  auto e = dp->learned(kVlanA, kR2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->vtep, kVtep2);
}

TEST_F(FloodTest, KernelTunnelModeHandsEachCopyToTheVxlanDeviceWithItsKey) {
  TestNetns::ip("link add vx0 type vxlan external dstport 4789\nlink set vx0 up\n");
  auto s = dp->settings();
  s.mode = NWBPF_MODE_KERNEL_TUNNEL;
  s.tunnel_ifindex = TestNetns::ifindex("vx0");
  s.ttl = 33;
  dp->set_settings(s);
  auto in = host_frame(kBroadcast, kH1);
  EXPECT_EQ(tc_edge(in, e1).verdict, kTcStolen) << dp->drops_summary();
  EXPECT_EQ(c2->drain().size(), 1u);
  // The kernel built these; check what the tunnel key controls.
  auto out = cw->drain();
  ASSERT_EQ(out.size(), 3u) << "10.0.0.4 too: the kernel resolves its neighbour itself";
  std::vector<uint32_t> dsts;
  for (const auto& f : out) {
    if (f.size() < 50 || f[12] != 0x08 || f[13] != 0x00) continue;  // ARP for 192.168.0.4
    uint32_t dst;
    std::memcpy(&dst, &f[30], 4);
    dsts.push_back(dst);
    EXPECT_EQ(f[22], 33) << "TTL from the tunnel key";
    EXPECT_EQ(f[20] & 0x40, 0x40) << "DF";
    EXPECT_EQ((f[36] << 8) | f[37], kVxlanPort);
    EXPECT_EQ(f[40] | f[41], 0) << "UDP checksum 0";
    EXPECT_EQ(hex(Bytes(f.begin() + 42, f.end())), hex(vxlan(kVlanA, in)));
  }
  EXPECT_EQ(dsts, (std::vector<uint32_t>{kNbma2, kNbma3}));
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_REMOTE), 3u);
}

TEST_F(FloodTest, EncryptedOverlayCopiesOnlyToPeersWithAnSa) {
  TestNetns::ip("link add vx0 type vxlan external dstport 4789\nlink set vx0 up\n");
  auto s = dp->settings();
  s.mode = NWBPF_MODE_KERNEL_TUNNEL;
  s.tunnel_ifindex = TestNetns::ifindex("vx0");
  s.flags |= NWBPF_SET_ENCRYPT;
  dp->set_settings(s);
  auto peer = dp->peers().lookup(kVtep3);
  ASSERT_TRUE(peer);
  peer->flags |= NWBPF_PEER_SA;
  dp->peers().update(kVtep3, *peer);

  EXPECT_EQ(tc_edge(host_frame(kBroadcast, kH1), e1).verdict, kTcStolen);
  EXPECT_EQ(c2->drain().size(), 1u) << "local copies are not the SA's business";
  std::vector<uint32_t> dsts;
  for (const auto& f : cw->drain()) {
    if (f.size() < 50 || f[12] != 0x08 || f[13] != 0x00) continue;  // ARP
    uint32_t dst;
    std::memcpy(&dst, &f[30], 4);
    dsts.push_back(dst);
  }
  EXPECT_EQ(dsts, std::vector<uint32_t>{kNbma3});
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_REMOTE), 1u);
  EXPECT_EQ(dp->drop(NWBPF_DROP_NO_SA), 2u) << "10.0.0.2 and 10.0.0.4";
}

TEST_F(FloodTest, KernelTunnelModeWithoutTheVxlanDeviceSendsNothingInPlaintext) {
  set_mode(NWBPF_MODE_KERNEL_TUNNEL);  // tunnel_ifindex stays 0
  EXPECT_EQ(tc_edge(host_frame(kBroadcast, kH1), e1).verdict, kTcStolen);
  EXPECT_EQ(c2->drain().size(), 1u);
  EXPECT_TRUE(cw->drain(50).empty());
  EXPECT_EQ(dp->drop(NWBPF_DROP_NO_ROUTE), 1u);
}

}  // namespace
}  // namespace nwbpf::test
