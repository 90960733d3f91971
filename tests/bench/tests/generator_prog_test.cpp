// SPDX-License-Identifier: Apache-2.0
// xdp_gen run by BPF_PROG_RUN without live frames, so its output bytes can be
// compared: each run advances the flow, rewriting the outer and inner UDP
// source ports and fixing the inner checksum exactly as a fresh build would.
#include <bpf/bpf.h>
#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <sched.h>

#include "frame.h"
#include "generator.h"

namespace nwbpf::bench {
namespace {

UdpFrameSpec inner_spec(uint16_t sport) {
  return {.src_mac = *Mac::parse("02:00:00:00:01:01"),
          .dst_mac = *Mac::parse("02:00:00:00:01:02"),
          .src_ip = *Ipv4::parse("172.16.0.1"),
          .dst_ip = *Ipv4::parse("172.16.0.2"),
          .src_port = sport,
          .dst_port = 9,
          .size = 64};
}

Bytes vxlan_frame(uint16_t outer_sport, uint16_t inner_sport) {
  return vxlan_encapsulate({.src_mac = *Mac::parse("02:00:00:00:00:01"),
                            .dst_mac = *Mac::parse("02:00:00:00:00:02"),
                            .src_ip = *Ipv4::parse("192.168.0.2"),
                            .dst_ip = *Ipv4::parse("192.168.0.1"),
                            .src_port = outer_sport,
                            .vni = 99},
                           build_udp_frame(inner_spec(inner_sport)));
}

GeneratorConfig config(const Bytes& frame, uint32_t flows, std::vector<size_t> udp_headers,
                       int target_ifindex = 0) {
  GeneratorConfig c;
  c.frame = frame;
  c.flows = flows;
  c.flow_udp_headers = std::move(udp_headers);
  c.target_ifindex = target_ifindex;
  return c;
}

struct RunResult {
  uint32_t verdict;
  Bytes out;
};

RunResult run_once(int fd, const Bytes& in) {
  RunResult r{0, Bytes(in.size() + 64)};
  LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in.data(), .data_out = r.out.data(),
              .data_size_in = uint32_t(in.size()), .data_size_out = uint32_t(r.out.size()),
              .repeat = 1);
  EXPECT_EQ(bpf_prog_test_run_opts(fd, &opts), 0);
  r.verdict = opts.retval;
  r.out.resize(opts.data_size_out);
  return r;
}

class GeneratorProg : public ::testing::Test {
 protected:
  // The flow counter is per CPU: stay on one so successive runs share it.
  void SetUp() override {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(sched_getcpu(), &set);
    ASSERT_EQ(sched_setaffinity(0, sizeof set, &set), 0);
  }
};

TEST_F(GeneratorProg, RewritesOuterAndInnerPortsPerFlow) {
  Bytes frame = vxlan_frame(49152, 1024);
  GeneratorProgram prog(config(frame, 3, find_flow_udp_headers(frame)));
  for (uint16_t k = 0; k < 7; ++k) {
    SCOPED_TRACE("frame " + std::to_string(k));
    RunResult r = run_once(prog.fd(), frame);
    EXPECT_EQ(r.verdict, uint32_t(XDP_TX));
    EXPECT_EQ(r.out, vxlan_frame(uint16_t(49152 + k % 3), uint16_t(1024 + k % 3)));
  }
}

TEST_F(GeneratorProg, OneFlowLeavesTheFrameAndRedirects) {
  Bytes frame = build_udp_frame(inner_spec(1024));
  GeneratorProgram prog(config(frame, 1, {}, 1));
  RunResult r = run_once(prog.fd(), frame);
  EXPECT_EQ(r.verdict, uint32_t(XDP_REDIRECT));
  EXPECT_EQ(r.out, frame);
}

TEST_F(GeneratorProg, ZeroChecksumStaysZero) {
  Bytes frame = build_udp_frame(inner_spec(1024));
  frame[40] = frame[41] = 0;  // RFC 768: no checksum
  GeneratorProgram prog(config(frame, 2, {34}));
  run_once(prog.fd(), frame);
  Bytes out = run_once(prog.fd(), frame).out;
  EXPECT_EQ(out[34] << 8 | out[35], 1025);
  EXPECT_EQ(out[40] << 8 | out[41], 0);
}

TEST(GeneratorConfigErrors, FlowsNeedUdpAndPortRoom) {
  Bytes frame = build_udp_frame(inner_spec(65000));
  try {
    GeneratorProgram prog(config(frame, 1000, {34}));
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "1000 flows from UDP source port 65000 would pass 65535");
  }
  try {
    GeneratorProgram prog(config(frame, 2, {}));
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--flows needs a frame with an IPv4/UDP header");
  }
}

}  // namespace
}  // namespace nwbpf::bench
