// SPDX-License-Identifier: Apache-2.0
// The programs of nwbpf.bpf.o, each on its main paths, and a bare redirect
// per hook as the floor, on the standard BPF test bench (tests/bpf/support/
// testbed.h) in a namespace of its own.
//   XDP: one BPF_PROG_RUN of `repeat` repetitions through the fresh-frame
//        shim, which restores the 64-byte frame before each.
//   TC:  `repeat` BPF_PROG_RUNs of one repetition each through the TC shim:
//        the kernel cannot encapsulate an skb twice, so the skb of a repeat
//        cannot be made fresh (tests/bpf/support/fresh_frame.bpf.c).
// Compare each row with its hook's baseline row, which carries the same
// shim and BPF_PROG_RUN overhead.
#pragma once

#include <vector>

#include "progcost.h"

namespace nwbpf::progcost {

// Throws std::runtime_error if a case takes another path than its own.
std::vector<ProgramCost> measure_programs(const Settings& s);

}  // namespace nwbpf::progcost
