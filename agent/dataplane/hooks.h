// SPDX-License-Identifier: Apache-2.0
// Attaching nwbpf's programs so they outlive the agent (no bpf_link: a link
// dies with the process that holds it):
//   XDP  netlink, native (driver) mode only. Generic XDP is never used as a
//        fallback: it is slower than the TC path and does not deliver
//        redirects the way the data plane expects.
//   TC   a direct-action filter on the clsact ingress hook at a fixed
//        handle/priority, so a restarted agent finds and replaces its own
//        filter in place (BPF_TC_F_REPLACE) without a moment with none.
// A program counts as nwbpf's by its name (one of the entry points below).
// Anything else found on a hook is never replaced or removed.
#pragma once

#include <cstdint>
#include <string_view>

#include "dataplane/datapath.h"

namespace nwbpf {

// tc filter identity of our clsact ingress filter. Priority 1: the data plane
// must see frames before any other classifier on an nwbpf port.
inline constexpr uint32_t kTcHandle = 0x6e77;  // "nw"
inline constexpr uint32_t kTcPriority = 1;

// Entry point for a port role on a hook (bpf/nwbpf.bpf.c), nullptr if that
// role has no program there (the tunnel device has no XDP program).
const char* program_name(nwbpf_port_role role, Hook hook);
// Whether a program name is one of those entry points.
bool is_nwbpf_program(std::string_view name);

// Replaces our program (or installs it where there is none) atomically:
// XDP_FLAGS_REPLACE with the expected old program, or UPDATE_IF_NOEXIST.
// Throws std::runtime_error / BpfError naming the device when the device has
// no native XDP, has a generic-mode or foreign program, or the kernel refuses.
void attach_xdp(int ifindex, int prog_fd);
// Creates the clsact qdisc if needed and installs/replaces our filter.
void attach_tc(int ifindex, int prog_fd);
// Remove our program/filter; nothing attached, a foreign program or a
// vanished device is not an error. The clsact qdisc stays (others may use it).
void detach_xdp(int ifindex);
void detach_tc(int ifindex);

// Id of the program on the hook (native XDP / our tc filter), 0 if none.
uint32_t xdp_prog_id(int ifindex);
uint32_t tc_prog_id(int ifindex);

}  // namespace nwbpf
