// SPDX-License-Identifier: Apache-2.0
// The per-CPU memo of FDB lookups (bpf/lib/fdb_memo.h): every change made
// through the FDB generation is followed by the next frame, on both paths
// and for both maps; a change that bypasses it is not (which is what shows
// the memo answers at all).
#include <linux/bpf.h>
#include <sched.h>

#include "support/fixture.h"

namespace nwbpf::test {
namespace {

constexpr uint16_t kFixedSport = 54321;

class FdbMemoTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    // One CPU: the memo a frame fills is the one the next frame reads.
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    ASSERT_EQ(sched_setaffinity(0, sizeof(set), &set), 0);
    set_udp_src_port(kFixedSport);
    dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
  }
  Bytes to_vtep2(const Bytes& inner) {
    return to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, inner);
  }
  Bytes to_vtep3(const Bytes& inner) {
    return to_peer(kNbma3Mac, kNbma3, kFixedSport, kVlanA, inner);
  }
};

TEST_F(FdbMemoTest, AChangedEntryIsFollowedByTheNextFrame) {
  auto inner = host_frame(kR2, kH1);
  ASSERT_EQ(hex(xdp_edge(inner, e1).out), hex(to_vtep2(inner)));
  ASSERT_EQ(hex(xdp_edge(inner, e1).out), hex(to_vtep2(inner)));  // from the memo
  dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep3));
  auto x = xdp_edge(inner, e1);
  ASSERT_EQ(x.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(x.out), hex(to_vtep3(inner)));
  auto t = tc_edge(inner, e1);
  ASSERT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(t.out), hex(to_vtep3(inner)));
}

TEST_F(FdbMemoTest, ARemovedEntryFloodsFromTheNextFrame) {
  auto inner = host_frame(kR2, kH1);
  ASSERT_EQ(xdp_edge(inner, e1).verdict, XDP_REDIRECT);
  ASSERT_TRUE(dp->erase_fdb(kVlanA, kR2));
  EXPECT_EQ(xdp_edge(inner, e1).verdict, XDP_PASS) << "unknown unicast goes to TC to flood";
  EXPECT_EQ(dp->stat(NWBPF_STAT_XDP_TO_TC), 1u);
}

TEST_F(FdbMemoTest, ALearnedDestinationFollowsItsMoveAndItsRemoval) {
  // kH1 learned behind e1 (untagged) by its own frame; then a frame from
  // VTEP 10.0.0.2 to kH1 is decapsulated for e1: no tag.
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  auto inner = host_frame(kH1, kR2);
  auto r = xdp_wan(from_peer(kNbma2, kVlanA, inner));
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(inner));
  // kH1 moves to e2 (a trunk: tagged): decapsulation follows at once.
  xdp_edge(host_frame(kBroadcast, kH1, kVlanA), e2);
  r = xdp_wan(from_peer(kNbma2, kVlanA, inner));
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(host_frame(kH1, kR2, kVlanA)));
  // The agent ages it out: the next frame is flooded (TC's job).
  ASSERT_TRUE(dp->erase_learned(kVlanA, kH1));
  EXPECT_EQ(xdp_wan(from_peer(kNbma2, kVlanA, inner)).verdict, XDP_PASS);
}

TEST_F(FdbMemoTest, AStaticEntryAddedOverALearnedOneWinsAtOnce) {
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  auto inner = host_frame(kH1, kH2, kVlanA);
  auto local = xdp_edge(inner, e2);
  ASSERT_EQ(local.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(local.out), hex(host_frame(kH1, kH2))) << "to e1, untagged";
  dp->add_fdb(kVlanA, kH1, fdb_remote(kVtep2));
  auto remote = xdp_edge(inner, e2);
  ASSERT_EQ(remote.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(remote.out), hex(to_vtep2(host_frame(kH1, kH2))));
}

TEST_F(FdbMemoTest, AChangeThatBypassesTheGenerationIsNotSeen) {
  // The contract of maps/fdb.h, shown from the other side: without the bump
  // the memo keeps answering (so it is what answers).
  auto inner = host_frame(kR2, kH1);
  ASSERT_EQ(hex(xdp_edge(inner, e1).out), hex(to_vtep2(inner)));
  dp->raw_add_fdb(kVlanA, kR2, fdb_remote(kVtep3));
  EXPECT_EQ(hex(xdp_edge(inner, e1).out), hex(to_vtep2(inner)));
  dp->add_fdb(kVlanA, kR4, fdb_remote(kVtep3));  // any change through the generation
  EXPECT_EQ(hex(xdp_edge(inner, e1).out), hex(to_vtep3(inner)));
}

}  // namespace
}  // namespace nwbpf::test
