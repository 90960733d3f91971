// SPDX-License-Identifier: Apache-2.0
// A CE and the NHRP cache (the peers map): a VTEP without an entry is sent
// through the route server (settings.relay_nbma) with the VXLAN header
// marked relayed and naming it, or dropped without a route server; either
// way the agent hears of it once per interval (PEER_MISS). Encapsulation
// marks a peer used. A relayed frame from the route server is decapsulated
// and its source learned behind the origin VTEP it names.
#include <linux/bpf.h>

#include "dataplane/peer_marks.h"
#include "support/fixture.h"

namespace nwbpf::test {
namespace {

constexpr uint16_t kFixedSport = 54321;
const uint32_t kVtep5 = ip4("10.0.0.5");  // no peers entry: NHRP has not resolved it
const MacAddr kR5 = mac("02:bb:00:00:00:05");

class PeerMissTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
    dp->add_fdb(kVlanA, kR5, fdb_remote(kVtep5));
    dp->add_fdb(kVlanA, kH1, fdb_local(e1));
    set_udp_src_port(kFixedSport);
    set_relay_nbma(kNbma3);  // the route server: 10.0.0.3 at 192.168.0.3
    dp->events();       // nothing yet; start counting from here
  }
  // The PEER_MISS events among what the ring holds now.
  std::vector<nwbpf_event> peer_misses() {
    std::vector<nwbpf_event> out;
    for (const auto& ev : dp->events())
      if (ev.type == NWBPF_EV_PEER_MISS) out.push_back(ev);
    return out;
  }
  static Bytes via_route_server(const Bytes& inner) {
    return mark_relayed(to_peer(kNbma3Mac, kNbma3, kFixedSport, kVlanA, inner), kVtep5);
  }
};

TEST_F(PeerMissTest, XdpSendsThroughTheRouteServerMarkedWithTheTarget) {
  auto inner = host_frame(kR5, kH1);
  auto r = xdp_edge(inner, e1);
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(via_route_server(inner)));
  // flags I|RELAY, then 10.0.0 in bytes 1..3 and .5 in byte 7.
  EXPECT_EQ(hex(Bytes(r.out.begin() + 42, r.out.begin() + 50)), "09 0a 00 00 00 00 63 05 ");
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY_OUT), 1u);
  auto ev = peer_misses();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].vtep, kVtep5);
  EXPECT_EQ(ev[0].vni, kVlanA);
  EXPECT_EQ(ev[0].nbma, 0u);
  EXPECT_EQ(ev[0].target, 0u);

  auto again = xdp_edge(inner, e1);
  EXPECT_EQ(again.verdict, XDP_REDIRECT);
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY_OUT), 2u);
  EXPECT_TRUE(peer_misses().empty()) << "one event per VTEP per 250 ms";
}

TEST_F(PeerMissTest, TcSendsTheSameBytesAndOneEvent) {
  auto inner = host_frame(kR5, kH1);
  auto r = tc_edge(inner, e1);
  ASSERT_EQ(r.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(via_route_server(inner)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY_OUT), 1u);
  EXPECT_EQ(peer_misses().size(), 1u);
  EXPECT_EQ(tc_edge(inner, e1).verdict, kTcRedirect);
  EXPECT_TRUE(peer_misses().empty());
}

TEST_F(PeerMissTest, AnotherVtepHasItsOwnRateLimit) {
  const uint32_t vtep6 = ip4("10.0.0.6");
  const MacAddr r6 = mac("02:bb:00:00:00:06");
  dp->add_fdb(kVlanA, r6, fdb_remote(vtep6));
  ASSERT_EQ(xdp_edge(host_frame(kR5, kH1), e1).verdict, XDP_REDIRECT);
  ASSERT_EQ(xdp_edge(host_frame(r6, kH1), e1).verdict, XDP_REDIRECT);
  auto ev = peer_misses();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].vtep, kVtep5);
  EXPECT_EQ(ev[1].vtep, vtep6);
}

TEST_F(PeerMissTest, WithoutARouteServerTheFrameIsDroppedButTheAgentHears) {
  set_relay_nbma(0);
  auto inner = host_frame(kR5, kH1);
  EXPECT_EQ(xdp_edge(inner, e1).verdict, XDP_DROP);
  EXPECT_EQ(tc_edge(inner, e1).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_PEER_UNRESOLVED), 2u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY_OUT), 0u);
  auto ev = peer_misses();
  ASSERT_EQ(ev.size(), 1u) << "XDP's event covers TC's";
  EXPECT_EQ(ev[0].vtep, kVtep5);
}

TEST_F(PeerMissTest, KernelTunnelModeCannotMarkTheHeaderSoItDrops) {
  set_mode(NWBPF_MODE_KERNEL_TUNNEL);
  auto s = dp->settings();
  s.tunnel_ifindex = e3;  // any device: the frame must not get that far
  dp->set_settings(s);
  EXPECT_EQ(tc_edge(host_frame(kR5, kH1), e1).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_PEER_UNRESOLVED), 1u);
  EXPECT_EQ(peer_misses().size(), 1u);
}

TEST_F(PeerMissTest, BumCopiesToUnresolvedVtepsGoThroughTheRouteServer) {
  dp->set_flood(kVlanA, {kVtep2, kVtep5});
  auto r = tc_edge(host_frame(kBroadcast, kH1), e1);
  EXPECT_EQ(r.verdict, kTcStolen) << dp->drops_summary();
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_REMOTE), 2u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY_OUT), 1u);
  auto ev = peer_misses();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].vtep, kVtep5);
  // The last copy (to 10.0.0.5) is what the skb holds afterwards.
  EXPECT_EQ(hex(r.out), hex(via_route_server(host_frame(kBroadcast, kH1))));
}

TEST_F(PeerMissTest, EncapsulationMarksThePeerUsedOnceAndANewEpochStartsUnused) {
  EXPECT_FALSE(peer_used(dp->peers(), Ipv4{kVtep2}));
  ASSERT_EQ(xdp_edge(host_frame(kR2, kH1), e1).verdict, XDP_REDIRECT);
  EXPECT_TRUE(peer_used(dp->peers(), Ipv4{kVtep2}));
  EXPECT_FALSE(peer_used(dp->peers(), Ipv4{kVtep3})) << "only the peer a frame went to";
  ASSERT_EQ(xdp_edge(host_frame(kR5, kH1), e1).verdict, XDP_REDIRECT);
  EXPECT_FALSE(peer_used(dp->peers(), Ipv4{kVtep5})) << "no entry: not used";
  EXPECT_FALSE(peer_used(dp->peers(), Ipv4{kVtep3}))
      << "the route server (10.0.0.3) is no shortcut: relaying does not mark it";

  // The agent's refresh: a new epoch rewrites the entry and clears the mark.
  nwbpf_peer p = dp->peers().lookup(kVtep2).value();
  EXPECT_EQ(p.flags, NWBPF_PEER_USED);
  EXPECT_EQ(p.epoch, 0);
  p.flags = 0;
  p.epoch = 7;
  dp->peers().update(kVtep2, p);
  EXPECT_FALSE(peer_used(dp->peers(), Ipv4{kVtep2}));
  ASSERT_EQ(tc_edge(host_frame(kR2, kH1), e1).verdict, kTcRedirect);
  p = dp->peers().lookup(kVtep2).value();
  EXPECT_EQ(p.flags, NWBPF_PEER_USED) << "TC marks it too";
  EXPECT_EQ(p.epoch, 7) << "BPF writes the flag byte only";
  EXPECT_EQ(p.nbma, kNbma2);
}

TEST_F(PeerMissTest, RelayedFrameIsDecapsulatedAndItsSourceLearnedBehindTheOrigin) {
  // From the route server (192.168.0.3), relayed from 10.0.0.5, which we
  // have no entry for yet: kR5's replies will go through the route server
  // until NHRP resolves 10.0.0.5.
  const MacAddr src = mac("02:bb:00:00:00:55");
  auto inner = host_frame(kH1, src);
  auto f = mark_relayed(from_peer(kNbma3, kVlanA, inner), kVtep5);
  auto x = xdp_wan(f);
  ASSERT_EQ(x.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(x.out), hex(inner));
  auto learned = dp->learned(kVlanA, src);
  ASSERT_TRUE(learned);
  EXPECT_EQ(learned->kind, NWBPF_FDB_REMOTE);
  EXPECT_EQ(learned->vtep, kVtep5) << "behind the origin, not behind the route server";
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 0u) << "a CE never relays";

  const MacAddr src2 = mac("02:bb:00:00:00:56");
  auto t = tc_wan(mark_relayed(from_peer(kNbma3, kVlanA, host_frame(kH1, src2)), kVtep4));
  ASSERT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(t.out), hex(host_frame(kH1, src2)));
  ASSERT_TRUE(dp->learned(kVlanA, src2));
  EXPECT_EQ(dp->learned(kVlanA, src2)->vtep, kVtep4);
}

TEST_F(PeerMissTest, RelayedFrameNamingNoAddressIsMalformed) {
  auto f = mark_relayed(from_peer(kNbma3, kVlanA, host_frame(kH1, kR2)), 0);
  EXPECT_EQ(xdp_wan(f).verdict, XDP_DROP);
  EXPECT_EQ(tc_wan(f).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_MALFORMED), 2u);
}

}  // namespace
}  // namespace nwbpf::test
