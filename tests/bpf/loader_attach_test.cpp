// SPDX-License-Identifier: Apache-2.0
// Datapath::attach/detach on real devices: XDP in native mode and the clsact
// filter, replaced in place by a second load (a restarted agent), foreign
// programs left alone, and the errors an operator sees.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <linux/if_link.h>

#include <sstream>

#include "dataplane/datapath.h"
#include "dataplane/hooks.h"
#include "loader_support.h"

namespace nwbpf {
namespace {

using test::NamespacedTest;
using test::sh;
using test::Veth;

std::string prog_name(uint32_t id) {
  int fd = bpf_prog_get_fd_by_id(id);
  if (fd < 0) return "";
  bpf_prog_info info{};
  __u32 len = sizeof(info);
  bpf_obj_get_info_by_fd(fd, &info, &len);
  ::close(fd);
  return info.name;
}

// Filters (not chain headers) on the clsact ingress hook, as tc lists them.
int tc_filter_count(const std::string& dev) {
  std::istringstream out(sh("tc filter show dev " + dev + " ingress"));
  int n = 0;
  for (std::string line; std::getline(out, line);)
    if (line.find(" handle ") != std::string::npos) ++n;
  return n;
}

// A program that is not nwbpf's, named "foreign": r0 = verdict; exit.
int load_foreign(bpf_prog_type type, int verdict) {
  const bpf_insn insns[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K,
       .dst_reg = BPF_REG_0,
       .src_reg = 0,
       .off = 0,
       .imm = verdict},
      {.code = BPF_JMP | BPF_EXIT, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0},
  };
  int fd = bpf_prog_load(type, "foreign", "GPL", insns, 2, nullptr);
  if (fd < 0) throw std::runtime_error("cannot load the foreign program");
  return fd;
}

// Attaches a foreign tc filter on the clsact ingress hook.
void attach_foreign_tc(int ifindex, int prog_fd, uint32_t handle, uint32_t priority) {
  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
  bpf_tc_hook_create(&hook);  // EEXIST is fine
  LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd, .handle = handle, .priority = priority);
  if (bpf_tc_attach(&hook, &opts) != 0)
    throw std::runtime_error("cannot attach the foreign tc filter");
}

class LoaderAttach : public NamespacedTest {};

TEST_F(LoaderAttach, AttachesXdpAndTcAndASecondLoadReplacesThemInPlace) {
  Veth veth("nwt-edge", "nwt-host");
  int ifindex = test::ifindex(veth.a());

  auto first = Datapath::load(config());
  first->attach(ifindex, NWBPF_PORT_EDGE, Hook::xdp);
  first->attach(ifindex, NWBPF_PORT_EDGE, Hook::tc_ingress);
  uint32_t xdp1 = xdp_prog_id(ifindex), tc1 = tc_prog_id(ifindex);
  EXPECT_EQ(prog_name(xdp1), "xdp_edge");
  EXPECT_EQ(prog_name(tc1), "tc_edge");
  EXPECT_EQ(tc_filter_count(veth.a()), 1);

  // A restarted agent: new program instances over the same pins.
  first.reset();
  EXPECT_EQ(xdp_prog_id(ifindex), xdp1) << "attachments must outlive the agent";
  EXPECT_EQ(tc_prog_id(ifindex), tc1);
  auto second = Datapath::load(config());
  second->attach(ifindex, NWBPF_PORT_EDGE, Hook::xdp);
  second->attach(ifindex, NWBPF_PORT_EDGE, Hook::tc_ingress);
  uint32_t xdp2 = xdp_prog_id(ifindex), tc2 = tc_prog_id(ifindex);
  EXPECT_NE(xdp2, xdp1);
  EXPECT_NE(tc2, tc1);
  EXPECT_EQ(prog_name(xdp2), "xdp_edge");
  EXPECT_EQ(prog_name(tc2), "tc_edge");
  EXPECT_EQ(tc_filter_count(veth.a()), 1);

  LIBBPF_OPTS(bpf_xdp_query_opts, query);
  ASSERT_EQ(bpf_xdp_query(ifindex, 0, &query), 0);
  EXPECT_EQ(query.attach_mode, XDP_ATTACHED_DRV);
  EXPECT_EQ(query.skb_prog_id, 0u);
}

TEST_F(LoaderAttach, RoleSelectsTheProgram) {
  Veth veth("nwt-wan", "nwt-peer");
  int ifindex = test::ifindex(veth.a());
  auto dp = Datapath::load(config());
  dp->attach(ifindex, NWBPF_PORT_WAN, Hook::xdp);
  dp->attach(ifindex, NWBPF_PORT_WAN, Hook::tc_ingress);
  EXPECT_EQ(prog_name(xdp_prog_id(ifindex)), "xdp_wan");
  EXPECT_EQ(prog_name(tc_prog_id(ifindex)), "tc_wan");
  // A role change (WAN -> edge) on the same device replaces as well.
  dp->attach(ifindex, NWBPF_PORT_EDGE, Hook::tc_ingress);
  EXPECT_EQ(prog_name(tc_prog_id(ifindex)), "tc_edge");
  EXPECT_EQ(tc_filter_count(veth.a()), 1);
}

TEST_F(LoaderAttach, DetachRemovesOnlyOursAndKeepsClsact) {
  Veth veth("nwt-edge", "nwt-host");
  int ifindex = test::ifindex(veth.a());
  auto dp = Datapath::load(config());
  EXPECT_NO_THROW(dp->detach(ifindex, Hook::tc_ingress)) << "no clsact qdisc yet";
  EXPECT_EQ(tc_prog_id(ifindex), 0u);
  dp->attach(ifindex, NWBPF_PORT_EDGE, Hook::xdp);
  dp->attach(ifindex, NWBPF_PORT_EDGE, Hook::tc_ingress);
  // Someone else's filter at another priority on the same hook.
  int foreign = load_foreign(BPF_PROG_TYPE_SCHED_CLS, 0);
  attach_foreign_tc(ifindex, foreign, 1, 100);

  dp->detach(ifindex, Hook::xdp);
  dp->detach(ifindex, Hook::tc_ingress);
  EXPECT_EQ(xdp_prog_id(ifindex), 0u);
  EXPECT_EQ(tc_prog_id(ifindex), 0u);
  EXPECT_NE(sh("tc qdisc show dev " + veth.a()).find("qdisc clsact"), std::string::npos);
  EXPECT_NE(sh("tc filter show dev " + veth.a() + " ingress").find("foreign"), std::string::npos);
  EXPECT_EQ(tc_filter_count(veth.a()), 1);
  ::close(foreign);
  // Absent is not an error, nor is a vanished device.
  EXPECT_NO_THROW(dp->detach(ifindex, Hook::xdp));
  EXPECT_NO_THROW(dp->detach(ifindex, Hook::tc_ingress));
  EXPECT_NO_THROW(dp->detach(999999, Hook::xdp));
  EXPECT_NO_THROW(dp->detach(999999, Hook::tc_ingress));
}

TEST_F(LoaderAttach, ForeignXdpProgramIsNeitherReplacedNorRemoved) {
  Veth veth("nwt-edge", "nwt-host");
  int ifindex = test::ifindex(veth.a());
  int foreign = load_foreign(BPF_PROG_TYPE_XDP, XDP_PASS);
  ASSERT_EQ(bpf_xdp_attach(ifindex, foreign, XDP_FLAGS_DRV_MODE, nullptr), 0);
  uint32_t foreign_id = xdp_prog_id(ifindex);

  auto dp = Datapath::load(config());
  try {
    dp->attach(ifindex, NWBPF_PORT_EDGE, Hook::xdp);
    FAIL() << "replaced a foreign XDP program";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "nwt-edge (ifindex " + std::to_string(ifindex) +
                                         ") already has an XDP program 'foreign', which is not "
                                         "nwbpf's: not replacing it. Remove it (ip "
                                         "link set dev <dev> xdp off) to let nwbpf attach");
  }
  dp->detach(ifindex, Hook::xdp);
  EXPECT_EQ(xdp_prog_id(ifindex), foreign_id);
  ::close(foreign);
}

TEST_F(LoaderAttach, ForeignTcFilterAtOurHandleIsNotReplaced) {
  Veth veth("nwt-edge", "nwt-host");
  int ifindex = test::ifindex(veth.a());
  int foreign = load_foreign(BPF_PROG_TYPE_SCHED_CLS, 0);
  attach_foreign_tc(ifindex, foreign, kTcHandle, kTcPriority);
  uint32_t foreign_id = tc_prog_id(ifindex);

  auto dp = Datapath::load(config());
  try {
    dp->attach(ifindex, NWBPF_PORT_EDGE, Hook::tc_ingress);
    FAIL() << "replaced a foreign tc filter";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "nwt-edge (ifindex " + std::to_string(ifindex) +
                                         ") already has a tc filter (pref 1 handle 0x6e77) with "
                                         "program 'foreign', which is not nwbpf's: "
                                         "not replacing it. Remove it (tc filter del dev <dev> "
                                         "ingress pref 1 handle 0x6e77 bpf) to let "
                                         "nwbpf attach");
  }
  dp->detach(ifindex, Hook::tc_ingress);
  EXPECT_EQ(tc_prog_id(ifindex), foreign_id);
  ::close(foreign);
}

TEST_F(LoaderAttach, DeviceWithoutNativeXdpIsAnErrorNotAGenericFallback) {
  auto dp = Datapath::load(config());
  int lo = test::ifindex("lo");
  try {
    dp->attach(lo, NWBPF_PORT_EDGE, Hook::xdp);
    FAIL() << "attached XDP to lo";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "lo (ifindex 1) has no native (driver-mode) XDP support, and nwbpf does not fall "
              "back to generic "
              "XDP: use the TC path for it (path = \"tc\" on the port, or dataplane.mode = \"tc\") "
              "[Kernel error "
              "message: Underlying driver does not support XDP in native mode]");
  }
  LIBBPF_OPTS(bpf_xdp_query_opts, query);
  ASSERT_EQ(bpf_xdp_query(lo, 0, &query), 0);
  EXPECT_EQ(query.prog_id, 0u);
  EXPECT_EQ(query.skb_prog_id, 0u);
}

TEST_F(LoaderAttach, TunnelRoleHasNoXdpProgram) {
  Veth veth("nwt-edge", "nwt-host");
  auto dp = Datapath::load(config());
  EXPECT_THROW(dp->attach(test::ifindex(veth.a()), NWBPF_PORT_TUNNEL, Hook::xdp),
               std::invalid_argument);
  EXPECT_NO_THROW(dp->attach(test::ifindex(veth.a()), NWBPF_PORT_TUNNEL, Hook::tc_ingress));
  EXPECT_EQ(prog_name(tc_prog_id(test::ifindex(veth.a()))), "tc_tunnel");
}

}  // namespace
}  // namespace nwbpf
