// SPDX-License-Identifier: Apache-2.0
// The route server's relay (NWBPF_SET_RELAY): a relayed-marked frame from a
// CE is rewritten in place towards the VTEP it names (its peers entry and
// next hop), origin in the reserved fields, TTL - 1, checksum right, out by
// a redirect out of the next hop's device, in XDP and TC alike; what it refuses and counts; the
// RELAYED event once per (origin, target) per second. Last, the programs
// attached for real: XDP's redirect and TC's writes on a received frame.
#include <linux/bpf.h>
#include <netinet/in.h>
#include <unistd.h>

#include "support/capture.h"
#include "support/fixture.h"

namespace nwbpf::test {
namespace {

// Here we are the route server at 192.168.0.1; the CEs 10.0.0.2 and
// 10.0.0.3 registered (peers entries) from 192.168.0.2 and .3.
class RelayTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    set_relaying();
  }
  // What 10.0.0.2 sends for 10.0.0.3 when it has no shortcut.
  static Bytes from_ce2(const Bytes& inner, uint32_t target = kVtep3, const Ipv4Opts& o = {}) {
    return mark_relayed(from_peer(kNbma2, kVlanA, inner, o), target);
  }
  // What the relay must send 10.0.0.3: from us, TTL one less, naming the origin.
  static Bytes to_ce3(const Bytes& inner, const MacAddr& dmac = kNbma3Mac, uint16_t dport = kVxlanPort) {
    Ipv4Opts o;
    o.ttl = 63;
    return mark_relayed(ether(dmac, kWanMac, kEthIp,
                              ipv4(kLocalNbma, kNbma3, IPPROTO_UDP,
                                   udp(50000, dport, vxlan(kVlanA, inner)), o)),
                        kVtep2);
  }
  static void expect_relayed(const nwbpf_event& ev, uint32_t origin, uint32_t origin_nbma,
                             uint32_t target) {
    EXPECT_EQ(ev.type, NWBPF_EV_RELAYED);
    EXPECT_EQ(ev.vni, kVlanA);
    EXPECT_EQ(ev.vtep, origin);
    EXPECT_EQ(ev.nbma, origin_nbma);
    EXPECT_EQ(ev.target, target);
  }
  std::vector<nwbpf_event> relayed_events() {
    std::vector<nwbpf_event> out;
    for (const auto& ev : dp->events())
      if (ev.type == NWBPF_EV_RELAYED) out.push_back(ev);
    return out;
  }
  void expect_drop(const Bytes& f, nwbpf_drop reason, const char* what) {
    SCOPED_TRACE(what);
    EXPECT_EQ(xdp_wan(f).verdict, XDP_DROP);
    EXPECT_EQ(tc_wan(f).verdict, kTcShot);
    EXPECT_EQ(dp->drop(reason), 2u) << dp->drops_summary();
    EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 0u);
  }
};

TEST_F(RelayTest, XdpRewritesTheOuterHeadersAndSendsBackOutOfTheWan) {
  auto inner = host_frame(kR2, kH1);
  auto r = xdp_wan(from_ce2(inner));
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  // Exact bytes: ipv4() computed the checksum of the expected header.
  EXPECT_EQ(hex(r.out), hex(to_ce3(inner)));
  EXPECT_EQ(ipv4_checksum(r.out.data() + 14, 20), 0);
  EXPECT_EQ(hex(Bytes(r.out.begin() + 42, r.out.begin() + 50)), "09 0a 00 00 00 00 63 02 ")
      << "origin 10.0.0.2 in the reserved fields";
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_DECAP), 0u);
  EXPECT_EQ(dp->learned_count(), 0u) << "a relayed frame teaches the route server nothing";

  auto ev = dp->events();
  ASSERT_EQ(ev.size(), 1u);
  expect_relayed(ev[0], kVtep2, kNbma2, kVtep3);

  EXPECT_EQ(xdp_wan(from_ce2(inner)).verdict, XDP_REDIRECT);
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 2u);
  EXPECT_TRUE(relayed_events().empty()) << "one event per (origin, target) per second";
}

TEST_F(RelayTest, TcRewritesTheSameBytes) {
  auto inner = host_frame(kR2, kH1);
  auto r = tc_wan(from_ce2(inner));
  ASSERT_EQ(r.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(to_ce3(inner)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 1u);
  EXPECT_EQ(relayed_events().size(), 1u);
  set_mode(NWBPF_MODE_TC);
  EXPECT_EQ(tc_wan(from_ce2(inner)).verdict, kTcRedirect);
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 2u);
  EXPECT_TRUE(relayed_events().empty());
}

TEST_F(RelayTest, EachPairHasItsOwnRateLimit) {
  ASSERT_EQ(xdp_wan(from_ce2(host_frame(kR2, kH1))).verdict, XDP_REDIRECT);
  // 10.0.0.3 -> 10.0.0.2: another pair.
  auto back = mark_relayed(from_peer(kNbma3, kVlanA, host_frame(kH1, kR2)), kVtep2);
  ASSERT_EQ(xdp_wan(back).verdict, XDP_REDIRECT) << dp->drops_summary();
  auto ev = relayed_events();
  ASSERT_EQ(ev.size(), 2u);
  expect_relayed(ev[0], kVtep2, kNbma2, kVtep3);
  expect_relayed(ev[1], kVtep3, kNbma3, kVtep2);
}

TEST_F(RelayTest, NextHopOnAnotherDeviceIsARedirect) {
  dp->set_nexthop(kNbma3, e1, kWanMac, kNbma3Mac);
  auto inner = host_frame(kR2, kH1);
  auto r = xdp_wan(from_ce2(inner));
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(to_ce3(inner)));
}

TEST_F(RelayTest, TargetBehindNatGetsItsPort) {
  nwbpf_peer p = dp->peers().lookup(kVtep3).value();
  p.nbma_port = htons(40001);
  dp->peers().update(kVtep3, p);
  auto inner = host_frame(kR2, kH1);
  auto x = xdp_wan(from_ce2(inner));
  ASSERT_EQ(x.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(x.out), hex(to_ce3(inner, kNbma3Mac, 40001)));
  auto t = tc_wan(from_ce2(inner));
  EXPECT_EQ(hex(t.out), hex(to_ce3(inner, kNbma3Mac, 40001)));
}

TEST_F(RelayTest, TargetNotRegisteredIsDroppedAndCounted) {
  expect_drop(from_ce2(host_frame(kR2, kH1), ip4("10.0.0.9")), NWBPF_DROP_RELAY_UNRESOLVED,
              "no peers entry for 10.0.0.9");
}

TEST_F(RelayTest, TtlThatWouldReachZeroIsDroppedAndCounted) {
  Ipv4Opts o;
  o.ttl = 1;
  expect_drop(from_ce2(host_frame(kR2, kH1), kVtep3, o), NWBPF_DROP_RELAY_TTL, "TTL 1");
  o.ttl = 2;
  auto r = xdp_wan(from_ce2(host_frame(kR2, kH1), kVtep3, o));
  ASSERT_EQ(r.verdict, XDP_REDIRECT);
  EXPECT_EQ(r.out[22], 1) << "TTL 2 leaves with 1";
  EXPECT_EQ(ipv4_checksum(r.out.data() + 14, 20), 0);
}

TEST_F(RelayTest, NeverBackToTheOrigin) {
  expect_drop(from_ce2(host_frame(kR2, kH1), kVtep2), NWBPF_DROP_RELAY_LOOP,
              "10.0.0.2 names itself");
}

TEST_F(RelayTest, TargetWithoutNextHopGoesToTcWhichLetsTheKernelResolveIt) {
  // 10.0.0.4 at 192.168.0.4 has no next-hop entry.
  auto inner = host_frame(kR2, kH1);
  auto f = from_ce2(inner, kVtep4);
  auto x = xdp_wan(f);
  EXPECT_EQ(x.verdict, XDP_PASS);
  EXPECT_EQ(hex(x.out), hex(f)) << "untouched for TC";
  auto ev = dp->events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].type, NWBPF_EV_NEIGH_MISS);
  EXPECT_EQ(ev[0].nbma, kNbma4);

  auto t = tc_wan(f);
  ASSERT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
  Ipv4Opts o;
  o.ttl = 63;
  Bytes want = mark_relayed(ether(MacAddr{}, MacAddr{}, kEthIp,
                                  ipv4(kLocalNbma, kNbma4, IPPROTO_UDP,
                                       udp(50000, kVxlanPort, vxlan(kVlanA, inner)), o)),
                            kVtep2);
  EXPECT_EQ(hex(t.out), hex(want)) << "MACs zero: bpf_redirect_neigh fills them";
  EXPECT_EQ(dp->stat(NWBPF_STAT_NEIGH_MISS), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 1u);
}

TEST_F(RelayTest, NextHopDeviceWithoutXdpGoesToTc) {
  dp->set_nexthop(kNbma3, wan, kWanMac, kNbma3Mac, 0);
  auto f = from_ce2(host_frame(kR2, kH1));
  auto x = xdp_wan(f);
  EXPECT_EQ(x.verdict, XDP_PASS);
  EXPECT_EQ(hex(x.out), hex(f));
  EXPECT_EQ(dp->stat(NWBPF_STAT_XDP_TO_TC), 1u);
  EXPECT_EQ(tc_wan(f).verdict, kTcRedirect);
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 1u);
}

TEST_F(RelayTest, UnroutableTargetIsDropped) {
  dp->set_nexthop(kNbma3, wan, MacAddr{}, MacAddr{}, NWBPF_NH_NO_ROUTE);
  expect_drop(from_ce2(host_frame(kR2, kH1)), NWBPF_DROP_NO_ROUTE, "no route to 192.168.0.3");
}

TEST_F(RelayTest, OnlyFromPeers) {
  auto f = mark_relayed(from_peer(ip4("192.168.0.77"), kVlanA, host_frame(kR2, kH1)), kVtep3);
  expect_drop(f, NWBPF_DROP_UNKNOWN_PEER, "a stranger cannot use the relay");
}

TEST_F(RelayTest, UnmarkedFramesAreStillDecapsulated) {
  // The route server may be a CE too: plain VXLAN to it is its own.
  dp->add_fdb(kVlanA, kH1, fdb_local(e1));
  auto inner = host_frame(kH1, kR2);
  auto r = xdp_wan(from_peer(kNbma2, kVlanA, inner));
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(inner));
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 0u);
}

// The frame comes back out of the WAN, as the CE at 192.168.0.3 would get
// it, with no XDP program on the veth's peer (as on the netns underlay,
// where an XDP_TX verdict left the frame in the peer's ring).
TEST_F(RelayTest, LiveXdpRedirectOutOfTheWanVeth) {
  TestNetns::set_gro("wanp", true);  // the underlay's veths have it (scripts/lib/topology.sh)
  attach_xdp(wan, dp->prog_fd("xdp_wan"));
  Capture peer("wanp");
  auto inner = host_frame(kR2, kH1);
  peer.send(from_ce2(inner));
  EXPECT_EQ(hex(peer.next().value_or(Bytes{})), hex(to_ce3(inner)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 1u);
}

TEST_F(RelayTest, LiveTcRelaysOutOfTheWan) {
  set_mode(NWBPF_MODE_TC);
  attach_tc_ingress(wan, dp->prog_fd("tc_wan"));
  Capture peer("wanp");
  auto inner = host_frame(kR2, kH1);
  peer.send(from_ce2(inner));
  EXPECT_EQ(hex(peer.next().value_or(Bytes{})), hex(to_ce3(inner)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 1u);
}

}  // namespace
}  // namespace nwbpf::test
