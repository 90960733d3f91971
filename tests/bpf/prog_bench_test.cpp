// SPDX-License-Identifier: Apache-2.0
// ns/frame of the XDP fast paths beside a bare XDP redirect, measured with
// BPF_F_TEST_XDP_LIVE_FRAMES (every repetition starts from the original
// frame and its redirect is really transmitted). Printed and recorded as
// test properties; asserted only to have done the work, since timings vary.
#include <bpf/bpf.h>
#include <linux/bpf.h>

#include <iostream>

#include "support/fixture.h"

namespace nwbpf::test {
namespace {

constexpr uint32_t kRepeat = 1000000;

class BenchTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
    dp->add_fdb(kVlanA, kH1, fdb_local(e1));
    // The far ends drop in XDP: the figures are the forwarding side's cost.
    sink_fd = load_xdp_drop();
    attach_xdp(TestNetns::ifindex("wanp"), sink_fd);
    attach_xdp(TestNetns::ifindex("e1p"), sink_fd);
  }
  void TearDown() override { close(sink_fd); }
  // Average run time of the program alone (kernel BPF stats), in ns.
  static uint64_t prog_ns(int fd) {
    bpf_prog_info info{};
    uint32_t len = sizeof(info);
    if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.run_cnt) return 0;
    return info.run_time_ns / info.run_cnt;
  }
  void report(const char* name, uint64_t ns) {
    RecordProperty(name, static_cast<int>(ns));
    std::cout << "[ BENCH    ] " << name << ": " << ns << " ns/frame" << std::endl;
  }
  int sink_fd = -1;
};

TEST_F(BenchTest, XdpEncapDecapAndBareRedirect) {
  // 64-byte frames, flow-hash source port (the default).
  auto inner = host_frame(kR2, kH1, std::nullopt, 64 - 42);
  auto vx = from_peer(kNbma2, kVlanA, host_frame(kH1, kR2, std::nullopt, 64 - 42));
  ASSERT_EQ(inner.size(), 64u);
  int bare_fd = load_xdp_redirect(wan);

  // Whole frames: program, redirect, transmit into the veth.
  uint32_t encap = run_xdp_live(dp->prog_fd("xdp_edge"), inner, e1, kRepeat);
  uint32_t decap = run_xdp_live(dp->prog_fd("xdp_wan"), vx, wan, kRepeat);
  uint32_t bare = run_xdp_live(bare_fd, inner, e1, kRepeat);
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), kRepeat) << dp->drops_summary();
  EXPECT_EQ(dp->stat(NWBPF_STAT_DECAP), kRepeat) << dp->drops_summary();
  report("xdp_edge_encap_ns", encap);
  report("xdp_wan_decap_ns", decap);
  report("bare_redirect_ns", bare);

  // The programs alone (kernel BPF run-time stats, which add their own
  // clock reads to each run).
  int stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);  // on while open
  ASSERT_GE(stats_fd, 0);
  run_xdp_live(dp->prog_fd("xdp_edge"), inner, e1, kRepeat / 10);
  run_xdp_live(dp->prog_fd("xdp_wan"), vx, wan, kRepeat / 10);
  run_xdp_live(bare_fd, inner, e1, kRepeat / 10);
  report("xdp_edge_prog_ns", prog_ns(dp->prog_fd("xdp_edge")));
  report("xdp_wan_prog_ns", prog_ns(dp->prog_fd("xdp_wan")));
  report("bare_prog_ns", prog_ns(bare_fd));
  close(stats_fd);
  close(bare_fd);
}

}  // namespace
}  // namespace nwbpf::test
