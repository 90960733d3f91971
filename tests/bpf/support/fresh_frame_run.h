// SPDX-License-Identifier: Apache-2.0
// Per-packet cost through BPF_PROG_RUN where every packet starts from the
// original frame (support/fresh_frame.h says why the kernel's repeat alone
// does not), so the figure is the cost of the path the frame takes, not of
// whatever the program makes of its own output. Every figure includes the
// shim: compare against a bare program run the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "support/packet.h"
#include "support/prog_run.h"

struct bpf_map;
struct fresh_frame;  // the skeleton (fresh_frame.skel.h)

namespace nwbpf::test {

struct FreshOptions {
  // XDP: repetition i writes macs[i % macs.size()] at mac_offset (at most 1024).
  std::vector<MacAddr> macs;
  uint32_t mac_offset = 0;
  // TC: the tunnel key of a frame a collect_md VXLAN device received from
  // outer source tunnel_src (network order) with VNI tunnel_vni.
  std::optional<uint32_t> tunnel_src;
  uint32_t tunnel_vni = 0;
};

struct PerCallResult {
  int verdict = -1;
  double ns_per_run = 0;  // mean over the calls
};

class FreshFrameRunner {
 public:
  FreshFrameRunner();  // loads the shim; throws std::runtime_error
  ~FreshFrameRunner();
  FreshFrameRunner(const FreshFrameRunner&) = delete;
  FreshFrameRunner& operator=(const FreshFrameRunner&) = delete;

  // One BPF_PROG_RUN of an XDP program with repeat, each repetition on the
  // original frame (out: the last repetition's). A shim failure shows as
  // XDP_ABORTED with the program's counters unchanged.
  RunResult xdp(int prog_fd, const Bytes& frame, int ingress_ifindex, uint32_t repeat,
                const FreshOptions& o = {});
  // calls BPF_PROG_RUNs of one repetition of a TC program, each on a fresh
  // skb. Throws if a call's verdict differs from the first's.
  PerCallResult tc(int prog_fd, const Bytes& frame, int ifindex, uint32_t calls,
                   const FreshOptions& o = {});

 private:
  void set_target(bpf_map* target, int prog_fd);
  void set_state(const Bytes& frame, const FreshOptions& o);

  fresh_frame* skel_ = nullptr;
};

}  // namespace nwbpf::test
