// SPDX-License-Identifier: Apache-2.0
// The fresh-frame shim nwbpf-progcost measures through
// (tests/bpf/support/fresh_frame.bpf.c): every repetition of a repeat must
// see the original frame, whatever the program did to the previous one, and
// take the same path; a MAC rotation and a tunnel key must reach the program.
#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "support/fixture.h"
#include "support/fresh_frame_run.h"

namespace nwbpf::test {
namespace {

constexpr uint16_t kFixedSport = 54321;
constexpr uint32_t kRepeat = 100;

class FreshFrameTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
    dp->add_fdb(kVlanA, kH1, fdb_local(e1));
    dp->add_fdb(kVlanA, kH2, fdb_local(e2));
    set_udp_src_port(kFixedSport);
  }
  FreshFrameRunner fresh;
};

TEST_F(FreshFrameTest, PlainRepeatMeetsItsOwnOutput) {
  // Why the shim exists: without it only the first repetition encapsulates.
  run_xdp(dp->prog_fd("xdp_edge"), host_frame(kR2, kH1), e1, kRepeat);
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_XDP_TO_TC), kRepeat - 1);
}

TEST_F(FreshFrameTest, EveryRepetitionEncapsulatesTheOriginalFrame) {
  auto inner = host_frame(kR2, kH1);
  auto r = fresh.xdp(dp->prog_fd("xdp_edge"), inner, e1, kRepeat);
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, inner)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), kRepeat);
  EXPECT_GT(r.ns_per_run, 0u);
}

TEST_F(FreshFrameTest, EveryRepetitionDecapsulatesAndTagsTheOriginalFrame) {
  // To e2, tagged: decapsulation shrinks the frame and the tag grows it.
  auto r = fresh.xdp(dp->prog_fd("xdp_wan"), from_peer(kNbma2, kVlanA, host_frame(kH2, kR2)),
                     wan, kRepeat);
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(host_frame(kH2, kR2, kVlanA)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_DECAP), kRepeat);
}

TEST_F(FreshFrameTest, RotationWritesOneMacPerRepetitionInTurn) {
  FreshOptions o;
  o.macs = {kH2, kR2, kH1};  // local, remote, hairpin: one of each per three
  auto r = fresh.xdp(dp->prog_fd("xdp_edge"), host_frame(kR4, kH1), e1, 9, o);
  EXPECT_EQ(r.verdict, XDP_DROP) << "the last (ninth) packet went to kH1, back to e1";
  EXPECT_EQ(dp->stat(NWBPF_STAT_FWD_LOCAL), 3u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 3u);
  EXPECT_EQ(dp->drop(NWBPF_DROP_HAIRPIN), 3u);
}

TEST_F(FreshFrameTest, TunnelKeyReachesTcTunnel) {
  TestNetns::ip("link add vx0 type vxlan external dstport 4789\nlink set vx0 up\n");
  auto s = dp->settings();
  s.mode = NWBPF_MODE_KERNEL_TUNNEL;
  s.tunnel_ifindex = TestNetns::ifindex("vx0");
  dp->set_settings(s);
  const MacAddr remote = mac("02:bb:00:00:00:33");
  FreshOptions o;
  o.tunnel_src = kNbma3;
  o.tunnel_vni = kVlanA;
  auto r = fresh.tc(dp->prog_fd("tc_tunnel"), host_frame(kH1, remote), s.tunnel_ifindex, 5, o);
  EXPECT_EQ(r.verdict, TC_ACT_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(dp->stat(NWBPF_STAT_TUNNEL_RX), 5u);
  auto e = dp->learned(kVlanA, remote);
  ASSERT_TRUE(e) << "learned from the tunnel key's source";
  EXPECT_EQ(e->vtep, kVtep3);
}

TEST_F(FreshFrameTest, BadInputIsRefused) {
  EXPECT_THROW(fresh.xdp(dp->prog_fd("xdp_edge"), Bytes(257, 0), e1, 1), std::runtime_error);
  FreshOptions far;
  far.macs = {kH2};
  far.mac_offset = 60;
  EXPECT_THROW(fresh.xdp(dp->prog_fd("xdp_edge"), Bytes(64, 0), e1, 1, far), std::runtime_error);
  FreshOptions key;
  key.tunnel_src = kNbma2;
  EXPECT_THROW(fresh.xdp(dp->prog_fd("xdp_edge"), Bytes(64, 0), e1, 1, key),
               std::invalid_argument);
  EXPECT_THROW(fresh.tc(dp->prog_fd("tc_edge"), Bytes(64, 0), e1, 0), std::invalid_argument);
}

}  // namespace
}  // namespace nwbpf::test
