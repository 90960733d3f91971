// SPDX-License-Identifier: Apache-2.0
#include "support/prog_run.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace nwbpf::test {

namespace {
RunResult run(int prog_fd, const Bytes& in, void* ctx, size_t ctx_size, uint32_t repeat) {
  RunResult r;
  r.out.resize(in.size() + 512);
  LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in.data(), .data_out = r.out.data(),
              .data_size_in = static_cast<uint32_t>(in.size()),
              .data_size_out = static_cast<uint32_t>(r.out.size()), .ctx_in = ctx,
              .ctx_size_in = static_cast<uint32_t>(ctx_size), .repeat = static_cast<int>(repeat));
  if (bpf_prog_test_run_opts(prog_fd, &opts))
    throw std::runtime_error("BPF_PROG_RUN of a " + std::to_string(in.size()) +
                             "-byte frame (ctx " + std::to_string(ctx_size) +
                             " bytes): " + std::strerror(errno));
  r.verdict = static_cast<int>(opts.retval);
  r.out.resize(opts.data_size_out);
  r.ns_per_run = opts.duration;
  return r;
}

int load_raw(const bpf_insn* insns, size_t n, bpf_prog_type type = BPF_PROG_TYPE_XDP) {
  // As libbpf loads SEC("xdp"): a tail call needs caller and callee alike.
  LIBBPF_OPTS(bpf_prog_load_opts, opts,
              .expected_attach_type = type == BPF_PROG_TYPE_XDP ? BPF_XDP : bpf_attach_type{});
  int fd = bpf_prog_load(type, nullptr, "GPL", insns, n, &opts);
  if (fd < 0) throw std::runtime_error(std::string("bpf_prog_load: ") + std::strerror(errno));
  return fd;
}
}  // namespace

RunResult run_xdp(int prog_fd, const Bytes& in, int ingress_ifindex, uint32_t repeat) {
  xdp_md ctx{};
  ctx.data_end = in.size();
  ctx.ingress_ifindex = ingress_ifindex;
  return run(prog_fd, in, &ctx, sizeof(ctx), repeat);
}

RunResult run_tc(int prog_fd, const Bytes& in, int ifindex, uint32_t repeat) {
  __sk_buff ctx{};
  ctx.ifindex = ifindex;
  ctx.ingress_ifindex = ifindex;
  return run(prog_fd, in, &ctx, sizeof(ctx), repeat);
}

int load_xdp_pass() {
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, XDP_PASS},  // r0 = XDP_PASS
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},                          // return r0
  };
  return load_raw(insns, 2);
}

int load_xdp_drop() {
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, XDP_DROP},  // r0 = XDP_DROP
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},                          // return r0
  };
  return load_raw(insns, 2);
}

int load_xdp_redirect(int ifindex) {
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, ifindex},  // r1 = ifindex
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 0},        // r2 = 0 (flags)
      {BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_redirect},         // r0 = bpf_redirect(r1, r2)
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},                         // return r0
  };
  return load_raw(insns, 4);
}

int load_tc_redirect(int ifindex) {
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, ifindex},  // r1 = ifindex
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 0},        // r2 = 0 (flags)
      {BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_redirect},         // r0 = bpf_redirect(r1, r2)
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},                         // return r0
  };
  return load_raw(insns, 4, BPF_PROG_TYPE_SCHED_CLS);
}

int load_tc_vlan_push(uint16_t vid) {
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 0x0081},  // r2 = htons(ETH_P_8021Q)
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, vid},     // r3 = vid (r1: skb)
      {BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_skb_vlan_push},   // bpf_skb_vlan_push(r1, r2, r3)
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},       // r0 = TC_ACT_OK
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  return load_raw(insns, 5, BPF_PROG_TYPE_SCHED_CLS);
}

void attach_xdp(int ifindex, int prog_fd) {
  int err = bpf_xdp_attach(ifindex, prog_fd, XDP_FLAGS_DRV_MODE, nullptr);
  if (err) throw std::runtime_error("bpf_xdp_attach: " + std::string(std::strerror(-err)));
}

namespace {
void attach_tc(int ifindex, int prog_fd, bpf_tc_attach_point where) {
  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = where);
  int err = bpf_tc_hook_create(&hook);
  if (err && err != -EEXIST)
    throw std::runtime_error("bpf_tc_hook_create: " + std::string(std::strerror(-err)));
  LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd);
  err = bpf_tc_attach(&hook, &opts);
  if (err) throw std::runtime_error("bpf_tc_attach: " + std::string(std::strerror(-err)));
}
}  // namespace

void attach_tc_ingress(int ifindex, int prog_fd) { attach_tc(ifindex, prog_fd, BPF_TC_INGRESS); }
void attach_tc_egress(int ifindex, int prog_fd) { attach_tc(ifindex, prog_fd, BPF_TC_EGRESS); }

uint32_t run_xdp_live(int prog_fd, const Bytes& in, int ingress_ifindex, uint32_t repeat) {
  xdp_md ctx{};
  ctx.data_end = in.size();
  ctx.ingress_ifindex = ingress_ifindex;
  LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in.data(),
              .data_size_in = static_cast<uint32_t>(in.size()), .ctx_in = &ctx,
              .ctx_size_in = sizeof(ctx), .repeat = static_cast<int>(repeat),
              .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
  if (bpf_prog_test_run_opts(prog_fd, &opts))
    throw std::runtime_error(std::string("BPF_PROG_RUN (live frames): ") + std::strerror(errno));
  return opts.duration;
}

}  // namespace nwbpf::test
