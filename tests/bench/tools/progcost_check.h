// SPDX-License-Identifier: Apache-2.0
// The measurement rule of nwbpf-progcost: a figure counts only if every
// packet took the path it names. Each run's verdict is checked, and so are
// the data plane's counters: each expected one must move by exactly its
// per-packet step times the packets run, and no drop counter may move. A
// broken case then fails loudly instead of timing a fast wrong path.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "support/test_datapath.h"

namespace nwbpf::progcost {

struct Expect {
  std::string what;  // "xdp_edge encap", for messages
  bool xdp = true;   // verdict namespace: XDP or TC
  int verdict = 0;
  std::vector<std::pair<nwbpf_stat, uint64_t>> per_packet;  // counter, step
};

struct Sample {
  int verdict = -1;
  double ns = 0;  // per packet
  uint64_t packets = 0;
};

// ns per packet over the runs of one figure.
struct Timing {
  double median = 0;
  double fastest = 0;
};

// One warm-up run (checked, not timed), then `runs` checked runs of `once`.
// Throws std::runtime_error saying what went wrong.
Timing checked_timing(const test::TestDatapath& dp, const Expect& e, uint32_t runs,
                      const std::function<Sample()>& once);

// The median of ns (the mean of the middle two when their number is even).
// Throws std::invalid_argument if ns is empty.
double median(std::vector<double> ns);

// "XDP_REDIRECT", "TC_ACT_STOLEN", ... or the number.
std::string verdict_name(bool xdp, int verdict);

}  // namespace nwbpf::progcost
