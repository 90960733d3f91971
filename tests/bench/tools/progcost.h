// SPDX-License-Identifier: Apache-2.0
// nwbpf-progcost: per-packet cost of each data-plane program through
// BPF_PROG_RUN (no topology, no transmission), and of the FDB lookup as the
// table grows. The types its parts share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nwbpf::progcost {

struct Settings {
  uint32_t repeat = 100000;  // packets per run
  uint32_t runs = 5;         // runs per figure; the figure is their median
  std::vector<uint32_t> fdb_sizes{1000, 100000, 1000000};
};

// One program on one path ("case"), e.g. xdp_edge / encap.
struct ProgramCost {
  std::string program, kase, verdict;
  double ns = 0;  // per packet
};

// One lookup pattern against an fdb map of `entries` entries.
struct FdbCost {
  uint32_t entries = 0;
  std::string program, kase;
  std::string lookup;  // "one-mac" or "1000-macs", + "/hash" without the FDB memo
  std::string target;  // which MAC(s), for people
  double ns = 0;
};

}  // namespace nwbpf::progcost
