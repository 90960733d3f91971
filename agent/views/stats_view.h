// SPDX-License-Identifier: Apache-2.0
// `nwbpf show stats`: the per-CPU counters of the maps `stats` and `drops`
// summed over CPUs, named and explained from the X-macro lists of
// nwbpf/counters.h (the one definition BPF also builds from). Pure.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nwbpf/counters.h"

namespace nwbpf::views {

struct CounterRow {
  std::string name;
  std::string help;
  uint64_t packets = 0;
  uint64_t bytes = 0;
};

struct StatsView {
  std::vector<CounterRow> counters;  // one per enum nwbpf_stat, in enum order
  std::vector<CounterRow> drops;     // one per enum nwbpf_drop, in enum order
};

// per_cpu_stats[i] / per_cpu_drops[i] hold index i's value on every CPU.
// Throws std::invalid_argument unless there is exactly one entry per index.
StatsView sum_stats(const std::vector<std::vector<nwbpf_counter>>& per_cpu_stats,
                    const std::vector<std::vector<nwbpf_counter>>& per_cpu_drops);

// Two tables, COUNTER and DROP REASON, with PACKETS, BYTES, DESCRIPTION.
// Rows whose packets and bytes are zero are left out unless `all`; a table
// left empty becomes one line saying so.
std::string stats_table(const StatsView& view, bool all);
// {"stats": [{"name", "description", "packets", "bytes"}, ...], "drops": [...]}
// in enum order, every counter, zero or not (the shape nwbpfd answers with).
nlohmann::ordered_json stats_json(const StatsView& view);

}  // namespace nwbpf::views
