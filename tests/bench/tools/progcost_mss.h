// SPDX-License-Identifier: Apache-2.0
// TCP MSS clamping cost (bpf/lib/mss.h): xdp_edge / encap, xdp_wan / decap
// and tc_edge / encap, each with two inner IPv4 TCP frames, an ACK without
// options (64 bytes) and a SYN with Linux's options (MSS 1460, 74 bytes),
// and the clamp off (settings.tcp_mss4 = 0) and on (1340, Nante-WAN's value,
// so the SYN is rewritten). Rows "<case>/ack/mss-off", "<case>/ack/mss-1340",
// "<case>/syn/mss-off", "<case>/syn/mss-1340". A program's four cases run
// interleaved, run i of each after run i of the one before (the settings
// written before each, then a checked warm-up run), so noise on the machine
// hits off and on alike; each figure is the median of its runs.
#pragma once

#include <vector>

#include "progcost.h"

namespace nwbpf::progcost {

// Throws std::runtime_error if a packet takes another path, the clamp's
// counters move otherwise than the case says, or an output frame is not the
// expected one (MSS, TCP checksum).
std::vector<ProgramCost> measure_mss(const Settings& s);

}  // namespace nwbpf::progcost
