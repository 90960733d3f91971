// SPDX-License-Identifier: Apache-2.0
#include "progcost_programs.h"

#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <unistd.h>

#include "progcost_check.h"
#include "support/fresh_frame_run.h"
#include "support/testbed.h"

namespace nwbpf::progcost {

namespace {

using namespace nwbpf::test;

constexpr size_t kPayload64 = 64 - 14 - 20 - 8;  // a 64-byte frame (no FCS)

// Closes a raw program's descriptor when the measurement is done.
struct ProgFd {
  explicit ProgFd(int fd) : fd(fd) {}
  ~ProgFd() { close(fd); }
  ProgFd(const ProgFd&) = delete;
  ProgFd& operator=(const ProgFd&) = delete;
  int fd;
};

class ProgramBench {
 public:
  explicit ProgramBench(const Settings& s) : s_(s) {
    tb_.setup();
    // Static entries, as the agent writes them: both ends of every case are
    // known, so no packet learns (which would send events).
    tb_.dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
    tb_.dp->add_fdb(kVlanA, kH1, fdb_local(tb_.e1));
    tb_.dp->add_fdb(kVlanA, kH2, fdb_local(tb_.e2));
  }

  std::vector<ProgramCost> run() {
    const Bytes to_r2 = Testbed::host_frame(kR2, kH1, std::nullopt, kPayload64);
    const Bytes to_h2 = Testbed::host_frame(kH2, kH1, std::nullopt, kPayload64);
    const Bytes bcast = Testbed::host_frame(kBroadcast, kH1, std::nullopt, kPayload64);
    const Bytes from_r2 = Testbed::host_frame(kH1, kR2, std::nullopt, kPayload64);
    const Bytes vxlan_in = Testbed::from_peer(kNbma2, kVlanA, from_r2);
    int e1 = tb_.e1, wan = tb_.wan;

    // XDP mode (the fixture's): what xdp_edge and xdp_wan do themselves.
    xdp("xdp_edge", "encap", to_r2, e1, XDP_REDIRECT, {{NWBPF_STAT_ENCAP, 1}});
    xdp("xdp_edge", "local", to_h2, e1, XDP_REDIRECT, {{NWBPF_STAT_FWD_LOCAL, 1}});
    xdp("xdp_edge", "to_tc", bcast, e1, XDP_PASS, {{NWBPF_STAT_XDP_TO_TC, 1}});
    xdp("xdp_wan", "decap", vxlan_in, wan, XDP_REDIRECT, {{NWBPF_STAT_DECAP, 1}});
    ProgFd xdp_bare(load_xdp_redirect(wan));
    xdp("xdp_redirect", "baseline", to_r2, e1, XDP_REDIRECT, {}, xdp_bare.fd);

    // TC mode: the TC programs take every frame (the nwbpf-tc path).
    tb_.set_mode(NWBPF_MODE_TC);
    tc("tc_edge", "encap", to_r2, e1, TC_ACT_REDIRECT, {{NWBPF_STAT_ENCAP, 1}});
    // VNI 99 floods to e2 and VTEPs 10.0.0.2/.3; 10.0.0.4 has no next hop.
    tc("tc_edge", "flood", bcast, e1, TC_ACT_STOLEN,
       {{NWBPF_STAT_BUM_LOCAL, 1}, {NWBPF_STAT_BUM_REMOTE, 2}, {NWBPF_STAT_NEIGH_MISS, 1}});
    tc("tc_wan", "decap", vxlan_in, wan, TC_ACT_REDIRECT, {{NWBPF_STAT_DECAP, 1}});
    ProgFd tc_bare(load_tc_redirect(wan));
    tc("tc_redirect", "baseline", to_r2, e1, TC_ACT_REDIRECT, {}, {}, tc_bare.fd);

    // Kernel-tunnel mode: tc_tunnel on the collect_md VXLAN device's
    // ingress, after the kernel decapsulated a frame from 192.168.0.2.
    TestNetns::ip("link add vx0 type vxlan external dstport 4789\nlink set vx0 up\n");
    auto st = tb_.dp->settings();
    st.mode = NWBPF_MODE_KERNEL_TUNNEL;
    st.tunnel_ifindex = TestNetns::ifindex("vx0");
    tb_.dp->set_settings(st);
    FreshOptions key;
    key.tunnel_src = kNbma2;
    key.tunnel_vni = kVlanA;
    tc("tc_tunnel", "decap", from_r2, TestNetns::ifindex("vx0"), TC_ACT_REDIRECT,
       {{NWBPF_STAT_TUNNEL_RX, 1}, {NWBPF_STAT_DECAP, 1}}, key);
    return std::move(rows_);
  }

 private:
  using Steps = std::vector<std::pair<nwbpf_stat, uint64_t>>;

  void xdp(const char* program, const char* kase, const Bytes& frame, int ifindex, int verdict,
           const Steps& steps, int fd = -1) {
    if (fd < 0) fd = tb_.dp->prog_fd(program);
    Expect e{std::string(program) + " " + kase, true, verdict, steps};
    double ns = checked_timing(*tb_.dp, e, s_.runs, [&] {
      RunResult r = fresh_.xdp(fd, frame, ifindex, s_.repeat);
      return Sample{r.verdict, double(r.ns_per_run), s_.repeat};
    }).median;
    rows_.push_back({program, kase, verdict_name(true, verdict), ns});
  }

  void tc(const char* program, const char* kase, const Bytes& frame, int ifindex, int verdict,
          const Steps& steps, const FreshOptions& o = {}, int fd = -1) {
    if (fd < 0) fd = tb_.dp->prog_fd(program);
    Expect e{std::string(program) + " " + kase, false, verdict, steps};
    double ns = checked_timing(*tb_.dp, e, s_.runs, [&] {
      PerCallResult r = fresh_.tc(fd, frame, ifindex, s_.repeat, o);
      return Sample{r.verdict, r.ns_per_run, s_.repeat};
    }).median;
    rows_.push_back({program, kase, verdict_name(false, verdict), ns});
  }

  const Settings& s_;
  Testbed tb_;
  FreshFrameRunner fresh_;
  std::vector<ProgramCost> rows_;
};

}  // namespace

std::vector<ProgramCost> measure_programs(const Settings& s) { return ProgramBench(s).run(); }

}  // namespace nwbpf::progcost
