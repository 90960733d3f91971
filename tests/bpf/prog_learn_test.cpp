// SPDX-License-Identifier: Apache-2.0
// Data-plane MAC learning: new and moved MACs (with their ring-buffer
// events), the once-per-second refresh, and the control plane's priority.
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <sched.h>
#include <time.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "support/fixture.h"

namespace nwbpf::test {
namespace {

class LearnTest : public DataplaneTest {
 protected:
  // MAC events only: TC floods also report the unresolved VTEP 10.0.0.4.
  std::vector<nwbpf_event> mac_events() {
    std::vector<nwbpf_event> out;
    for (const auto& ev : dp->events())
      if (ev.type != NWBPF_EV_NEIGH_MISS) out.push_back(ev);
    return out;
  }
};

// Keeps this thread (and the programs it runs) on one CPU, so the per-CPU
// learning memo (bpf/lib/learn_memo.h) it fills is the one it reads.
void stay_on_cpu0() {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  ASSERT_EQ(sched_setaffinity(0, sizeof(set), &set), 0);
}

// The clock BPF learning stamps entries with (bpf_ktime_get_coarse_ns).
uint64_t monotonic_coarse_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

TEST_F(LearnTest, NewMacIsLearnedOnItsPortAndReported) {
  uint64_t before = monotonic_coarse_ns();
  ASSERT_EQ(xdp_edge(host_frame(kBroadcast, kH1), e1).verdict, XDP_PASS);
  auto e = dp->learned(kVlanA, kH1);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, NWBPF_FDB_LOCAL);
  EXPECT_EQ(e->ifindex, static_cast<uint32_t>(e1));
  EXPECT_EQ(e->origin, NWBPF_ORIGIN_LEARNED);
  EXPECT_EQ(e->vtep, 0u);
  EXPECT_GE(e->last_seen_ns + 10000000, before);  // coarse clock: within a tick
  EXPECT_EQ(dp->stat(NWBPF_STAT_LEARN_NEW), 1u);
  auto ev = mac_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].type, NWBPF_EV_MAC_NEW);
  EXPECT_EQ(ev[0].vni, kVlanA);
  EXPECT_EQ(MacAddr(std::to_array(ev[0].mac)), kH1);
  EXPECT_EQ(ev[0].kind, NWBPF_FDB_LOCAL);
  EXPECT_EQ(ev[0].ifindex, static_cast<uint32_t>(e1));
  EXPECT_GT(ev[0].ts_ns, 0u);
}

TEST_F(LearnTest, SameMacAgainWithinASecondChangesNothing) {
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  auto first = dp->learned(kVlanA, kH1);
  mac_events();
  for (int i = 0; i < 10; i++) tc_edge(host_frame(kBroadcast, kH1), e1);
  auto again = dp->learned(kVlanA, kH1);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->last_seen_ns, first->last_seen_ns);
  EXPECT_TRUE(mac_events().empty());
  EXPECT_EQ(dp->stat(NWBPF_STAT_LEARN_NEW), 1u);
}

TEST_F(LearnTest, StaleEntryIsRefreshedSilently) {
  auto old = fdb_local(e1, NWBPF_ORIGIN_LEARNED);
  old.last_seen_ns = monotonic_coarse_ns() - 2000000000ULL;
  dp->add_learned(kVlanA, kH1, old);
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  auto e = dp->learned(kVlanA, kH1);
  ASSERT_TRUE(e);
  EXPECT_GT(e->last_seen_ns, old.last_seen_ns + 1000000000ULL);
  EXPECT_TRUE(mac_events().empty());
  EXPECT_EQ(dp->stat(NWBPF_STAT_LEARN_NEW) + dp->stat(NWBPF_STAT_LEARN_MOVE), 0u);
}

TEST_F(LearnTest, MacMovingToAnotherPortIsReported) {
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  mac_events();
  xdp_edge(host_frame(kBroadcast, kH1, kVlanA), e2);
  auto e = dp->learned(kVlanA, kH1);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->ifindex, static_cast<uint32_t>(e2));
  auto ev = mac_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].type, NWBPF_EV_MAC_MOVED);
  EXPECT_EQ(ev[0].ifindex, static_cast<uint32_t>(e2));
  EXPECT_EQ(dp->stat(NWBPF_STAT_LEARN_MOVE), 1u);
}

TEST_F(LearnTest, MacMovingFromAPortToAVtepIsReported) {
  dp->add_fdb(kVlanA, kH2, fdb_local(e2));
  xdp_edge(host_frame(kBroadcast, kR2), e1);
  mac_events();
  ASSERT_EQ(xdp_wan(from_peer(kNbma2, kVlanA, host_frame(kH2, kR2))).verdict, XDP_REDIRECT);
  auto e = dp->learned(kVlanA, kR2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, NWBPF_FDB_REMOTE);
  EXPECT_EQ(e->vtep, kVtep2);
  EXPECT_EQ(e->ifindex, 0u);
  auto ev = mac_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].type, NWBPF_EV_MAC_MOVED);
  EXPECT_EQ(ev[0].kind, NWBPF_FDB_REMOTE);
  EXPECT_EQ(ev[0].vtep, kVtep2);
}

TEST_F(LearnTest, MacMovingBackIsReportedEachTime) {
  // The memo of "kH1 on e1" must not hide the move back.
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  xdp_edge(host_frame(kBroadcast, kH1, kVlanA), e2);
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  auto e = dp->learned(kVlanA, kH1);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->ifindex, static_cast<uint32_t>(e1));
  auto ev = mac_events();
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[1].type, NWBPF_EV_MAC_MOVED);
  EXPECT_EQ(ev[2].type, NWBPF_EV_MAC_MOVED);
  EXPECT_EQ(ev[2].ifindex, static_cast<uint32_t>(e1));
  EXPECT_EQ(dp->stat(NWBPF_STAT_LEARN_MOVE), 2u);
}

TEST_F(LearnTest, BusyMacIsRefreshedInTheTableOncePerSecond) {
  stay_on_cpu0();
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  auto first = dp->learned(kVlanA, kH1);
  ASSERT_TRUE(first);
  for (int i = 0; i < 10; i++) xdp_edge(host_frame(kBroadcast, kH1), e1);
  EXPECT_EQ(dp->learned(kVlanA, kH1)->last_seen_ns, first->last_seen_ns);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  auto later = dp->learned(kVlanA, kH1);
  ASSERT_TRUE(later);
  EXPECT_GE(later->last_seen_ns, first->last_seen_ns + 1000000000ULL);
  EXPECT_EQ(mac_events().size(), 1u);  // the first sighting only
}

TEST_F(LearnTest, EntryDeletedByTheAgentIsLearnedAgainByTheNextFrame) {
  // The agent's delete moves the FDB generation, which voids the memo that
  // would otherwise keep answering "known" for up to a second.
  stay_on_cpu0();
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  xdp_edge(host_frame(kBroadcast, kH1), e1);  // remembered
  mac_events();
  ASSERT_TRUE(dp->erase_learned(kVlanA, kH1));
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  ASSERT_TRUE(dp->learned(kVlanA, kH1));
  auto ev = mac_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].type, NWBPF_EV_MAC_NEW);
}

TEST_F(LearnTest, EntryDeletedWithoutAGenerationBumpIsLearnedAgainAtTheNextRefresh) {
  // What a writer that bypasses the generation gets: the memo answers until
  // it expires (LEARN_MEMO_JIFFIES, at most a second).
  stay_on_cpu0();
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  mac_events();
  nwbpf_fdb_key k = fdb_key(kVlanA, kH1);
  ASSERT_EQ(bpf_map_delete_elem(bpf_map__fd(dp->map("fdb_learned")), &k), 0);
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  EXPECT_FALSE(dp->learned(kVlanA, kH1)) << "within the second: the memo answers";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  ASSERT_TRUE(dp->learned(kVlanA, kH1));
}

TEST_F(LearnTest, NewAndMovedMacsBumpTheFdbGeneration) {
  uint64_t g0 = dp->fdb_generation();
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  EXPECT_EQ(dp->fdb_generation(), g0 + 1) << "new";
  xdp_edge(host_frame(kBroadcast, kH1), e1);
  EXPECT_EQ(dp->fdb_generation(), g0 + 1) << "known, same port: no change";
  xdp_edge(host_frame(kBroadcast, kH1, kVlanA), e2);
  EXPECT_EQ(dp->fdb_generation(), g0 + 2) << "moved";
}

TEST_F(LearnTest, ControlPlaneEntryIsNeverOverriddenByLearning) {
  dp->add_fdb(kVlanA, kH1, fdb_local(e1));
  xdp_edge(host_frame(kBroadcast, kH1, kVlanA), e2);  // kH1 appears on e2
  tc_edge(host_frame(kBroadcast, kH1, kVlanA), e2);
  EXPECT_FALSE(dp->learned(kVlanA, kH1));
  EXPECT_TRUE(mac_events().empty());
  // and forwarding still follows the static entry
  auto r = xdp_edge(host_frame(kH1, kH2, kVlanA), e2);
  EXPECT_EQ(r.verdict, XDP_REDIRECT);
  EXPECT_EQ(hex(r.out), hex(host_frame(kH1, kH2)));
}

TEST_F(LearnTest, LearningIsPerVlan) {
  xdp_edge(host_frame(kBroadcast, kH2, kVlanA), e2);
  xdp_edge(host_frame(kBroadcast, kH2, kVlanB), e2);
  EXPECT_TRUE(dp->learned(kVlanA, kH2));
  EXPECT_TRUE(dp->learned(kVlanB, kH2));
  EXPECT_EQ(dp->stat(NWBPF_STAT_LEARN_NEW), 2u);
}

TEST_F(LearnTest, DroppedFramesTeachNothing) {
  xdp_edge(host_frame(kBroadcast, kH2, 200), e2);  // VLAN not allowed
  xdp_edge(host_frame(kBroadcast, kH1), e2);       // untagged, no PVID
  EXPECT_EQ(dp->learned_count(), 0u);
}

}  // namespace
}  // namespace nwbpf::test
