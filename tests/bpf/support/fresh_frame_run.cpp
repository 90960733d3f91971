// SPDX-License-Identifier: Apache-2.0
#include "support/fresh_frame_run.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "fresh_frame.skel.h"
#include "support/fresh_frame.h"

namespace nwbpf::test {

FreshFrameRunner::FreshFrameRunner() {
  skel_ = fresh_frame__open_and_load();
  if (!skel_)
    throw std::runtime_error(std::string("loading the fresh-frame shim: ") + std::strerror(errno));
}

FreshFrameRunner::~FreshFrameRunner() { fresh_frame__destroy(skel_); }

void FreshFrameRunner::set_target(bpf_map* target, int prog_fd) {
  uint32_t k = 0;
  if (bpf_map_update_elem(bpf_map__fd(target), &k, &prog_fd, BPF_ANY))
    throw std::runtime_error(std::string("fresh-frame shim cannot tail-call the program: ") +
                             std::strerror(errno));
}

void FreshFrameRunner::set_state(const Bytes& frame, const FreshOptions& o) {
  if (frame.empty() || frame.size() > FRESH_FRAME_MAX)
    throw std::runtime_error("fresh-frame shim: frame of " + std::to_string(frame.size()) +
                             " bytes (1.." + std::to_string(FRESH_FRAME_MAX) + ")");
  if (o.macs.size() > FRESH_FRAME_MACS)
    throw std::runtime_error("fresh-frame shim: " + std::to_string(o.macs.size()) +
                             " MACs to rotate over (at most " + std::to_string(FRESH_FRAME_MACS) +
                             ")");
  if (!o.macs.empty() && o.mac_offset + 6 > frame.size())
    throw std::runtime_error("fresh-frame shim: MAC offset " + std::to_string(o.mac_offset) +
                             " past the " + std::to_string(frame.size()) + "-byte frame");
  // Over 6 KiB: on the heap. Zeroed, which also starts a run (first_data, next_mac).
  auto st = std::make_unique<fresh_frame_state>();
  std::memset(st.get(), 0, sizeof(*st));
  st->len = frame.size();
  std::memcpy(st->frame, frame.data(), frame.size());
  st->mac_offset = o.mac_offset;
  st->mac_count = o.macs.size();
  for (size_t i = 0; i < o.macs.size(); i++) std::memcpy(st->macs[i], o.macs[i].data(), 6);
  st->tunnel_src = o.tunnel_src.value_or(0);
  st->tunnel_vni = o.tunnel_vni;
  uint32_t k = 0;
  if (bpf_map_update_elem(bpf_map__fd(skel_->maps.fresh_state), &k, st.get(), BPF_ANY))
    throw std::runtime_error(std::string("fresh-frame shim state: ") + std::strerror(errno));
}

RunResult FreshFrameRunner::xdp(int prog_fd, const Bytes& frame, int ingress_ifindex,
                                uint32_t repeat, const FreshOptions& o) {
  if (o.tunnel_src) throw std::invalid_argument("fresh-frame shim: a tunnel key is TC only");
  set_target(skel_->maps.xdp_target, prog_fd);
  set_state(frame, o);
  return run_xdp(bpf_program__fd(skel_->progs.xdp_fresh), frame, ingress_ifindex, repeat);
}

PerCallResult FreshFrameRunner::tc(int prog_fd, const Bytes& frame, int ifindex, uint32_t calls,
                                   const FreshOptions& o) {
  if (!o.macs.empty()) throw std::invalid_argument("fresh-frame shim: MAC rotation is XDP only");
  if (!calls) throw std::invalid_argument("fresh-frame shim: no calls");
  set_target(skel_->maps.tc_target, prog_fd);
  set_state(frame, o);
  int shim = bpf_program__fd(skel_->progs.tc_fresh);
  PerCallResult r;
  double total = 0;
  for (uint32_t i = 0; i < calls; i++) {
    RunResult one = run_tc(shim, frame, ifindex, 1);
    if (i == 0) r.verdict = one.verdict;
    if (one.verdict != r.verdict)
      throw std::runtime_error("TC verdict changed from " + std::to_string(r.verdict) + " to " +
                               std::to_string(one.verdict) + " at call " + std::to_string(i + 1));
    total += one.ns_per_run;
  }
  r.ns_per_run = total / calls;
  return r;
}

}  // namespace nwbpf::test
