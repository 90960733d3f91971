// SPDX-License-Identifier: Apache-2.0
#include "progcost_acl.h"

#include <linux/bpf.h>
#include <netinet/in.h>

#include <string>

#include "progcost_check.h"
#include "support/acl_image_builder.h"
#include "support/fresh_frame_run.h"
#include "support/testbed.h"

namespace nwbpf::progcost {

namespace {

using namespace nwbpf::test;

constexpr size_t kPayload64 = 64 - 14 - 20 - 8;  // a 64-byte frame (no FCS)
constexpr uint32_t kShapes = 10;

// `rules` UDP rules over kShapes shapes: rule i in shape i % kShapes, whose
// source prefix is /(23 + shape), with destination 10.x.y.z/32 and a
// destination port of its own; none matches the bench's host frame.
AclImage acl_image(uint32_t rules) {
  AclImageBuilder b;
  b.vlan(kVlanA, NWBPF_ACL_PERMIT, NWBPF_ACL_PERMIT);
  for (uint32_t i = 0; i < rules; i++) {
    const uint32_t shape = i % kShapes;
    b.ip_rule(kVlanA,
              {{.src = htonl(0xc0a80000 + (i << 9)),
                .src_mask = prefix_mask(23 + shape),
                .dst = htonl(0x0a000000 + i),
                .dst_mask = prefix_mask(32),
                .dport = uint16_t(1000 + i % 50000),
                .dport_mask = 0xffff,
                .proto = IPPROTO_UDP,
                .proto_mask = 0xff}},
              NWBPF_ACL_DENY);
  }
  return b.build();
}

}  // namespace

std::vector<ProgramCost> measure_acl(const Settings& s) {
  Testbed tb;
  tb.setup();
  tb.dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
  tb.dp->add_fdb(kVlanA, kH1, fdb_local(tb.e1));
  FreshFrameRunner fresh;
  AclMaps maps = acl_maps(*tb.dp);
  AclTable table(maps);
  const Bytes frame = Testbed::host_frame(kR2, kH1, std::nullopt, kPayload64);
  const int fd = tb.dp->prog_fd("xdp_edge");

  std::vector<ProgramCost> rows;
  auto measure = [&](const std::string& kase) {
    Expect e{"xdp_edge " + kase, true, XDP_REDIRECT, {{NWBPF_STAT_ENCAP, 1}}};
    double ns = checked_timing(*tb.dp, e, s.runs, [&] {
      RunResult r = fresh.xdp(fd, frame, tb.e1, s.repeat);
      return Sample{r.verdict, double(r.ns_per_run), s.repeat};
    }).median;
    rows.push_back({"xdp_edge", kase, verdict_name(true, XDP_REDIRECT), ns});
  };
  measure("encap/no-acl");
  for (uint32_t rules : {10u, 10000u}) {
    table.apply(acl_image(rules));
    measure("encap/acl-" + std::to_string(rules));
  }
  return rows;
}

}  // namespace nwbpf::progcost
