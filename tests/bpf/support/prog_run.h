// SPDX-License-Identifier: Apache-2.0
// BPF_PROG_RUN: one frame through a loaded program, as the kernel would run
// it on that device (XDP: ingress_ifindex; TC: skb->dev), returning the
// verdict and the frame as the program left it.
#pragma once

#include <cstdint>

#include "support/packet.h"

namespace nwbpf::test {

struct RunResult {
  int verdict = -1;
  Bytes out;
  uint32_t ns_per_run = 0;  // average over repeat
};

RunResult run_xdp(int prog_fd, const Bytes& in, int ingress_ifindex, uint32_t repeat = 1);
RunResult run_tc(int prog_fd, const Bytes& in, int ifindex, uint32_t repeat = 1);

// Tiny programs the tests load from raw instructions: an XDP program
// returning XDP_PASS (lets a veth receive XDP redirects), one returning
// XDP_DROP (a sink that costs nothing per frame), and one that
// redirects every frame to ifindex (the benchmark's baseline), also as TC.
int load_xdp_pass();
int load_xdp_drop();
int load_xdp_redirect(int ifindex);
int load_tc_redirect(int ifindex);
// TC program that puts an 802.1Q tag with vid into skb metadata (what a VLAN
// device over a veth does), for frames sent on the device it is attached to.
int load_tc_vlan_push(uint16_t vid);

// Attaches for real (native XDP; TC ingress through clsact). The attachment
// goes away with the device, i.e. with the test's namespace.
void attach_xdp(int ifindex, int prog_fd);
void attach_tc_ingress(int ifindex, int prog_fd);
void attach_tc_egress(int ifindex, int prog_fd);

// BPF_F_TEST_XDP_LIVE_FRAMES: repeat frames really processed (redirects
// transmitted), each starting from the original bytes. Returns ns per frame.
uint32_t run_xdp_live(int prog_fd, const Bytes& in, int ingress_ifindex, uint32_t repeat);

}  // namespace nwbpf::test
