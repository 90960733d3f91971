// SPDX-License-Identifier: Apache-2.0
// Edge ingress (xdp_edge, tc_edge) through BPF_PROG_RUN: VLAN classification,
// local switching with re-tagging, drops, and the hand-off from XDP to TC.
#include <linux/bpf.h>

#include "support/fixture.h"

namespace nwbpf::test {
namespace {

using EdgeTest = DataplaneTest;

TEST_F(EdgeTest, XdpUntaggedToTaggedPortPushesTheVlanTag) {
  dp->add_fdb(kVlanA, kH2, fdb_local(e2));
  auto r = xdp_edge(host_frame(kH2, kH1), e1);
  EXPECT_EQ(r.verdict, XDP_REDIRECT);
  EXPECT_EQ(hex(r.out), hex(host_frame(kH2, kH1, kVlanA)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_EDGE_RX), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_FWD_LOCAL), 1u);
}

TEST_F(EdgeTest, XdpTaggedToUntaggedPortPopsTheVlanTag) {
  dp->add_fdb(kVlanA, kH1, fdb_local(e1));
  auto r = xdp_edge(host_frame(kH1, kH2, kVlanA), e2);
  EXPECT_EQ(r.verdict, XDP_REDIRECT);
  EXPECT_EQ(hex(r.out), hex(host_frame(kH1, kH2)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_FWD_LOCAL), 1u);
}

TEST_F(EdgeTest, XdpTargetWithoutXdpRedirectGoesToTcUntouched) {
  dp->add_fdb(kVlanB, kH3, fdb_local(e3));
  auto in = host_frame(kH3, kH2, kVlanB);
  auto r = xdp_edge(in, e2);
  EXPECT_EQ(r.verdict, XDP_PASS);
  EXPECT_EQ(hex(r.out), hex(in));
  EXPECT_EQ(dp->stat(NWBPF_STAT_XDP_TO_TC), 1u);

  // TC finishes it: untagged out of e3 (the tag left in the skb is popped).
  auto t = tc_edge(in, e2);
  EXPECT_EQ(t.verdict, kTcRedirect);
  EXPECT_EQ(hex(t.out), hex(host_frame(kH3, kH2)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_FWD_LOCAL), 1u);
}

TEST_F(EdgeTest, BroadcastAndUnknownUnicastGoToTc) {
  for (const auto& dst : {kBroadcast, mac("01:00:5e:00:00:01"), mac("02:cc:00:00:00:09")}) {
    auto in = host_frame(dst, kH1);
    auto r = xdp_edge(in, e1);
    EXPECT_EQ(r.verdict, XDP_PASS);
    EXPECT_EQ(hex(r.out), hex(in));
  }
  EXPECT_EQ(dp->stat(NWBPF_STAT_XDP_TO_TC), 3u);
  EXPECT_EQ(dp->drops_summary(), "none");
}

TEST_F(EdgeTest, LinkLocalFramesGoToTheHostNotAcrossTheOverlay) {
  // STP BPDU (802.3 length + LLC) and LLDP: a bridge never forwards these.
  auto bpdu = ether(mac("01:80:c2:00:00:00"), kH1, 38, Bytes{0x42, 0x42, 0x03} + pattern(35));
  auto lldp = ether(mac("01:80:c2:00:00:0e"), kH1, 0x88cc, pattern(46));
  for (const auto& f : {bpdu, lldp}) {
    auto x = xdp_edge(f, e1);
    EXPECT_EQ(x.verdict, XDP_PASS);
    EXPECT_EQ(hex(x.out), hex(f));
    auto t = tc_edge(f, e1);
    EXPECT_EQ(t.verdict, kTcOk);
    EXPECT_EQ(hex(t.out), hex(f));
  }
  EXPECT_EQ(dp->stat(NWBPF_STAT_XDP_TO_TC) + dp->stat(NWBPF_STAT_BUM_LOCAL) +
                dp->stat(NWBPF_STAT_BUM_REMOTE),
            0u);
}

struct DropCase {
  const char* name;
  Bytes frame;
  int port;
  nwbpf_drop reason;
};

class EdgeDropTest : public DataplaneTest {
 protected:
  int dev(int port) const { return port == 1 ? e1 : port == 2 ? e2 : port == 3 ? e3 : wan; }
  // port: 1..3 = e1..e3, 4 = wan, 0 = e2 (the hairpin case's MAC is on e2).
  std::vector<DropCase> cases() const {
    Bytes tag_cut = host_frame(kH2, kH1, kVlanA);
    tag_cut.resize(16);  // EtherType 0x8100, half a tag
    Bytes qinq = ether(kH2, kH1, kEthVlan, Bytes{0x00, 0x64, 0x08, 0x00} + pattern(46), kVlanA);
    return {
        {"tagged VLAN not on the port", host_frame(kH2, kH1, 200), 2, NWBPF_DROP_VLAN_NOT_ALLOWED},
        {"tagged VLAN 100 on untagged VLAN-99 e1", host_frame(kH2, kH1, kVlanB), 1,
         NWBPF_DROP_VLAN_NOT_ALLOWED},
        {"untagged on a tagged port (no PVID)", host_frame(kH1, kH2), 2,
         NWBPF_DROP_VLAN_NOT_ALLOWED},
        {"VLAN 0 (priority tag)", host_frame(kH2, kH1, 0), 2, NWBPF_DROP_VLAN_NOT_ALLOWED},
        {"VLAN 4095", host_frame(kH2, kH1, 4095), 2, NWBPF_DROP_VLAN_NOT_ALLOWED},
        {"multicast source", host_frame(kH2, mac("01:00:5e:00:00:01")), 1, NWBPF_DROP_BAD_SRC_MAC},
        {"broadcast source", host_frame(kH2, kBroadcast), 1, NWBPF_DROP_BAD_SRC_MAC},
        {"zero source", host_frame(kH2, mac("00:00:00:00:00:00")), 1, NWBPF_DROP_BAD_SRC_MAC},
        {"destination behind the ingress port", host_frame(kH1, kH2, kVlanA), 0,
         NWBPF_DROP_HAIRPIN},
        {"truncated 802.1Q tag", tag_cut, 2, NWBPF_DROP_MALFORMED},
        {"802.1Q in 802.1Q", qinq, 2, NWBPF_DROP_INNER_VLAN},
        {"device that is not an edge port", host_frame(kH2, kH1), 4, NWBPF_DROP_PORT_UNKNOWN},
    };
  }
};

TEST_F(EdgeDropTest, XdpAndTcDropAndCountEveryReason) {
  dp->add_fdb(kVlanA, kH1, fdb_local(e2));  // for the hairpin case (sent on e2)
  for (int hook = 0; hook < 2; hook++) {
    for (auto c : cases()) {
      int ifindex = dev(c.port == 0 ? 2 : c.port);
      uint64_t before = dp->drop(c.reason);
      if (hook == 0) {
        auto r = xdp_edge(c.frame, ifindex);
        EXPECT_EQ(r.verdict, XDP_DROP) << "xdp: " << c.name;
      } else {
        auto r = tc_edge(c.frame, ifindex);
        EXPECT_EQ(r.verdict, kTcShot) << "tc: " << c.name;
      }
      EXPECT_EQ(dp->drop(c.reason), before + 1)
          << (hook ? "tc: " : "xdp: ") << c.name << "; drops " << dp->drops_summary();
    }
  }
  EXPECT_EQ(dp->stat(NWBPF_STAT_FWD_LOCAL), 0u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 0u);
}

TEST_F(EdgeTest, StaticEntryWinsOverALearnedOne) {
  dp->add_fdb(kVlanA, kH2, fdb_local(e2));
  dp->add_learned(kVlanA, kH2, fdb_remote(kVtep2, NWBPF_ORIGIN_LEARNED));
  auto r = xdp_edge(host_frame(kH2, kH1), e1);
  EXPECT_EQ(r.verdict, XDP_REDIRECT);
  EXPECT_EQ(hex(r.out), hex(host_frame(kH2, kH1, kVlanA)));  // to e2, not encapsulated
}

TEST_F(EdgeTest, LearnedEntryIsUsedWhenNoStaticOne) {
  dp->add_learned(kVlanA, kH1, fdb_local(e1, NWBPF_ORIGIN_LEARNED));
  auto r = xdp_edge(host_frame(kH1, kH2, kVlanA), e2);
  EXPECT_EQ(r.verdict, XDP_REDIRECT);
  EXPECT_EQ(hex(r.out), hex(host_frame(kH1, kH2)));
}

TEST_F(EdgeTest, TcSwitchesUntaggedToUntaggedUnchanged) {
  // e1 and a second untagged VLAN-99 port: reuse e3 re-configured.
  dp->set_port(e3, edge_port({kVlanA}, false, false));
  dp->add_fdb(kVlanA, kH3, fdb_local(e3));
  auto in = host_frame(kH3, kH1);
  auto r = tc_edge(in, e1);
  EXPECT_EQ(r.verdict, kTcRedirect);
  EXPECT_EQ(hex(r.out), hex(in));
}

TEST_F(EdgeTest, TaggedFrameOfTheUntaggedVlanIsAcceptedAsOnABridge) {
  dp->add_fdb(kVlanA, kH2, fdb_local(e2));
  auto r = xdp_edge(host_frame(kH2, kH1, kVlanA), e1);
  EXPECT_EQ(r.verdict, XDP_REDIRECT);
  EXPECT_EQ(hex(r.out), hex(host_frame(kH2, kH1, kVlanA)));
}

TEST_F(EdgeTest, FdbEntryForAPortOutsideTheVlanIsRefused) {
  dp->add_fdb(kVlanA, kH3, fdb_local(e3));  // e3 carries VLAN 100 only
  auto r = xdp_edge(host_frame(kH3, kH1), e1);
  EXPECT_EQ(r.verdict, XDP_DROP);
  EXPECT_EQ(dp->drop(NWBPF_DROP_VLAN_NOT_ALLOWED), 1u);
}

}  // namespace
}  // namespace nwbpf::test
