// SPDX-License-Identifier: Apache-2.0
// WAN ingress (xdp_wan, tc_wan) through BPF_PROG_RUN: exact decapsulation,
// what is accepted as VXLAN and from whom, what passes to the host untouched,
// and malformed or truncated frames at every header boundary.
#include <linux/bpf.h>
#include <netinet/in.h>

#include "support/fixture.h"

namespace nwbpf::test {
namespace {

class WanTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    dp->add_fdb(kVlanA, kH1, fdb_local(e1));
    dp->add_fdb(kVlanA, kH2, fdb_local(e2));
    dp->add_fdb(kVlanA, kR4, fdb_remote(kVtep4));
  }
  // Same verdict class from both hooks, frame untouched, one more of reason.
  void expect_drop(const Bytes& f, nwbpf_drop reason, const char* what) {
    SCOPED_TRACE(what);
    uint64_t before = dp->drop(reason);
    EXPECT_EQ(xdp_wan(f).verdict, XDP_DROP) << what << "; " << dp->drops_summary();
    EXPECT_EQ(tc_wan(f).verdict, kTcShot) << what << "; " << dp->drops_summary();
    EXPECT_EQ(dp->drop(reason), before + 2) << what << "; " << dp->drops_summary();
  }
  void expect_pass(const Bytes& f, const char* what) {
    SCOPED_TRACE(what);
    auto x = xdp_wan(f);
    EXPECT_EQ(x.verdict, XDP_PASS) << what;
    EXPECT_EQ(hex(x.out), hex(f)) << what;
    auto t = tc_wan(f);
    EXPECT_EQ(t.verdict, kTcOk) << what;
    EXPECT_EQ(hex(t.out), hex(f)) << what;
  }
};

TEST_F(WanTest, XdpDecapsulatesToAnUntaggedPortExactly) {
  auto inner = host_frame(kH1, kR4);  // kR4 moved, learning will see it
  auto r = xdp_wan(from_peer(kNbma2, kVlanA, inner));
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(inner));
  EXPECT_EQ(dp->stat(NWBPF_STAT_WAN_RX), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_DECAP), 1u);
}

TEST_F(WanTest, XdpDecapsulatesToATaggedPortWithTheVniAsVlan) {
  auto r = xdp_wan(from_peer(kNbma2, kVlanA, host_frame(kH2, kR2)));
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(host_frame(kH2, kR2, kVlanA)));
}

TEST_F(WanTest, TcDecapsulatesExactly) {
  auto inner = host_frame(kH1, kR2);
  auto r = tc_wan(from_peer(kNbma2, kVlanA, inner));
  ASSERT_EQ(r.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(inner));
  EXPECT_EQ(dp->stat(NWBPF_STAT_DECAP), 1u);
  // XDP mode: tc_wan leaves rx counting to XDP, which saw the frame first.
  EXPECT_EQ(dp->stat(NWBPF_STAT_WAN_RX), 0u);
  set_mode(NWBPF_MODE_TC);
  tc_wan(from_peer(kNbma2, kVlanA, inner));
  EXPECT_EQ(dp->stat(NWBPF_STAT_WAN_RX), 1u);
}

TEST_F(WanTest, OuterIpOptionsAreAccepted) {
  Ipv4Opts o;
  o.options = {0x01, 0x01, 0x01, 0x00};  // NOP NOP NOP EOL: IHL 6
  auto inner = host_frame(kH1, kR2);
  auto f = from_peer(kNbma2, kVlanA, inner, o);
  ASSERT_EQ(f[14], 0x46);
  auto x = xdp_wan(f);
  ASSERT_EQ(x.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(x.out), hex(inner));
  auto t = tc_wan(f);
  ASSERT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(t.out), hex(inner));
}

TEST_F(WanTest, TargetWithoutXdpRedirectAndBumGoToTc) {
  dp->set_port(e1, edge_port({kVlanA}, false, false));
  auto unicast = from_peer(kNbma2, kVlanA, host_frame(kH1, kR2));
  auto bum = from_peer(kNbma2, kVlanA, host_frame(kBroadcast, kR2));
  for (const auto& f : {unicast, bum}) {
    auto r = xdp_wan(f);
    EXPECT_EQ(r.verdict, XDP_PASS);
    EXPECT_EQ(hex(r.out), hex(f));
  }
  EXPECT_EQ(dp->stat(NWBPF_STAT_XDP_TO_TC), 2u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_WAN_PASS), 0u);
}

TEST_F(WanTest, SpoofedOuterSourceIsDropped) {
  expect_drop(from_peer(ip4("192.168.0.77"), kVlanA, host_frame(kH1, kR2)), NWBPF_DROP_UNKNOWN_PEER,
              "unknown outer source");
}

TEST_F(WanTest, EverythingNotVxlanToUsPassesUntouched) {
  auto inner = host_frame(kH1, kR2);
  expect_pass(
      ether(kWanMac, kNbma2Mac, kEthIp,
            ipv4(kNbma2, ip4("192.168.0.9"), IPPROTO_UDP, udp(1, 4789, vxlan(kVlanA, inner)))),
      "VXLAN to another address");
  expect_pass(ether(kWanMac, kNbma2Mac, kEthIp,
                    ipv4(kNbma2, kLocalNbma, IPPROTO_UDP, udp(1, 53, pattern(40)))),
              "DNS");
  expect_pass(ether(kWanMac, kNbma2Mac, kEthIp, ipv4(kNbma2, kLocalNbma, IPPROTO_TCP, pattern(40))),
              "TCP");
  expect_pass(ether(kWanMac, kNbma2Mac, kEthIp,
                    ipv4(ip4("198.51.100.1"), kLocalNbma, IPPROTO_UDP, udp(1, 4500, pattern(40)))),
              "NAT-T from a stranger");
  expect_pass(ether(kBroadcast, kNbma2Mac, kEthArp, arp_body(kNbma2Mac, kNbma2, kLocalNbma)),
              "ARP");
  Ipv4Opts later;
  later.frag_offset = 100;
  expect_pass(
      ether(kWanMac, kNbma2Mac, kEthIp, ipv4(kNbma2, kLocalNbma, IPPROTO_UDP, pattern(64), later)),
      "non-first fragment");
  expect_pass(host_frame(kWanMac, kNbma2Mac, 7), "VLAN-tagged");
  EXPECT_EQ(dp->stat(NWBPF_STAT_WAN_PASS), 7u);  // counted once per frame: by XDP
  EXPECT_EQ(dp->drops_summary(), "none");
}

TEST_F(WanTest, KernelTunnelModePassesVxlanToTheStack) {
  set_mode(NWBPF_MODE_KERNEL_TUNNEL);
  expect_pass(from_peer(kNbma2, kVlanA, host_frame(kH1, kR2)), "VXLAN in kernel-tunnel mode");
  EXPECT_EQ(dp->stat(NWBPF_STAT_DECAP), 0u);
}

TEST_F(WanTest, MalformedVxlanIsDroppedWithItsReason) {
  auto inner = host_frame(kH1, kR2);
  Ipv4Opts first_fragment;
  first_fragment.mf = true;
  expect_drop(from_peer(kNbma2, kVlanA, inner, first_fragment), NWBPF_DROP_OUTER_FRAGMENT,
              "first fragment");
  expect_drop(
      ether(kWanMac, kNbma2Mac, kEthIp,
            ipv4(kNbma2, kLocalNbma, IPPROTO_UDP, udp(1, kVxlanPort, vxlan(kVlanA, inner, 0x00)))),
      NWBPF_DROP_VXLAN_FLAGS, "I flag clear");
  expect_drop(from_peer(kNbma2, kVlanA, host_frame(kH1, kR2, 5)), NWBPF_DROP_INNER_VLAN,
              "inner 802.1Q");
  expect_drop(from_peer(kNbma2, kVlanA, ether(kH1, kR2, kEthQinQ, pattern(50))),
              NWBPF_DROP_INNER_VLAN, "inner 802.1ad");
  expect_drop(from_peer(kNbma2, kVlanA, host_frame(kH1, kBroadcast)), NWBPF_DROP_BAD_SRC_MAC,
              "broadcast source");
  expect_drop(from_peer(kNbma2, kVlanA, host_frame(kR4, kR2)), NWBPF_DROP_SPLIT_HORIZON,
              "to another VTEP");
  expect_drop(from_peer(kNbma2, 0, inner), NWBPF_DROP_VNI_NOT_LOCAL, "VNI 0");
  expect_drop(from_peer(kNbma2, 5000, inner), NWBPF_DROP_VNI_NOT_LOCAL, "VNI beyond VLAN IDs");
  dp->add_fdb(kVlanB, kH1, fdb_local(e1));  // e1 does not carry VLAN 100
  expect_drop(from_peer(kNbma2, kVlanB, inner), NWBPF_DROP_VNI_NOT_LOCAL, "port outside the VLAN");
  auto trailing = from_peer(kNbma2, kVlanA, inner) + Bytes{0, 0, 0, 0};
  expect_drop(trailing, NWBPF_DROP_MALFORMED, "bytes after the IP datagram");
  auto bad_udp_len = from_peer(kNbma2, kVlanA, inner);
  bad_udp_len[14 + 20 + 5] -= 1;
  expect_drop(bad_udp_len, NWBPF_DROP_MALFORMED, "UDP length");
}

TEST_F(WanTest, TcDropsBumForAVlanWithoutLocalPorts) {
  auto f = from_peer(kNbma2, 300, host_frame(kBroadcast, kR2));
  EXPECT_EQ(xdp_wan(f).verdict, XDP_PASS);
  EXPECT_EQ(tc_wan(f).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_VNI_NOT_LOCAL), 1u);
  EXPECT_EQ(dp->learned_count(), 0u) << "a VNI we do not serve learns nothing";
}

TEST_F(WanTest, TruncationAtEveryHeaderBoundary) {
  const auto full = from_peer(kNbma2, kVlanA, host_frame(kH1, kR2));
  // Before the UDP header is complete the frame is not known to be VXLAN:
  // the host stack gets it (and drops it) as it is.
  for (size_t len : {14u, 20u, 33u}) {
    // (BPF_PROG_RUN builds no skb whose IPv4 header is incomplete: XDP only.)
    Bytes cut(full.begin(), full.begin() + len);
    auto x = xdp_wan(cut);
    EXPECT_EQ(x.verdict, XDP_PASS) << "cut at " << len;
    EXPECT_EQ(hex(x.out), hex(cut)) << "cut at " << len;
  }
  for (size_t len : {34u, 38u, 41u}) {
    Bytes cut(full.begin(), full.begin() + len);
    expect_pass(cut, ("cut at " + std::to_string(len)).c_str());
  }
  // From the UDP header on it is VXLAN to us: a short frame is malformed.
  for (size_t len : {42u, 45u, 50u, 57u, 63u, 64u, 100u}) {
    Bytes cut(full.begin(), full.begin() + len);
    expect_drop(cut, NWBPF_DROP_MALFORMED, ("cut at " + std::to_string(len)).c_str());
  }
  // Headers consistent but the inner Ethernet header cut short.
  auto tiny = from_peer(kNbma2, kVlanA, Bytes(kH1.begin(), kH1.end()) + Bytes{1, 2, 3});
  expect_drop(tiny, NWBPF_DROP_MALFORMED, "inner Ethernet header of 9 bytes");
}

TEST_F(WanTest, RemoteSourceIsLearnedAsTheSendingVtep) {
  auto r = xdp_wan(from_peer(kNbma3, kVlanA, host_frame(kH1, kR2)));
  ASSERT_EQ(r.verdict, XDP_REDIRECT);
  auto e = dp->learned(kVlanA, kR2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, NWBPF_FDB_REMOTE);
  EXPECT_EQ(e->vtep, kVtep3);
  EXPECT_EQ(e->origin, NWBPF_ORIGIN_LEARNED);
  EXPECT_EQ(e->ifindex, 0u);
  auto ev = dp->events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].type, NWBPF_EV_MAC_NEW);
  EXPECT_EQ(ev[0].kind, NWBPF_FDB_REMOTE);
  EXPECT_EQ(ev[0].vtep, kVtep3);
  EXPECT_EQ(ev[0].vni, kVlanA);
  EXPECT_EQ(MacAddr(std::to_array(ev[0].mac)), kR2);
}

TEST_F(WanTest, RemoteLearningCanBeSwitchedOff) {
  auto s = dp->settings();
  s.flags &= ~NWBPF_SET_LEARN_REMOTE;
  dp->set_settings(s);
  ASSERT_EQ(xdp_wan(from_peer(kNbma3, kVlanA, host_frame(kH1, kR2))).verdict, XDP_REDIRECT);
  ASSERT_EQ(tc_wan(from_peer(kNbma3, kVlanA, host_frame(kBroadcast, kR2))).verdict, kTcStolen);
  EXPECT_EQ(dp->learned_count(), 0u);
  EXPECT_TRUE(dp->events().empty());
}

}  // namespace
}  // namespace nwbpf::test
