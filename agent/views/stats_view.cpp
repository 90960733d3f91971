// SPDX-License-Identifier: Apache-2.0
#include "views/stats_view.h"

#include <array>
#include <stdexcept>

#include "views/table.h"

namespace nwbpf::views {

namespace {

struct CounterDef {
  const char* name;
  const char* help;
};

#define NWBPF_X_DEF(e, n, h) CounterDef{n, h},
constexpr std::array kStatDefs{NWBPF_STAT_LIST(NWBPF_X_DEF)};
constexpr std::array kDropDefs{NWBPF_DROP_LIST(NWBPF_X_DEF)};
#undef NWBPF_X_DEF
static_assert(kStatDefs.size() == NWBPF_STAT_MAX && kDropDefs.size() == NWBPF_DROP_MAX);

template <size_t N>
std::vector<CounterRow> sum(const std::array<CounterDef, N>& defs,
                            const std::vector<std::vector<nwbpf_counter>>& per_cpu,
                            const char* map) {
  if (per_cpu.size() != N)
    throw std::invalid_argument(std::string("map ") + map + " has " +
                                std::to_string(per_cpu.size()) + " entries, expected " +
                                std::to_string(N));
  std::vector<CounterRow> rows;
  for (size_t i = 0; i < N; ++i) {
    CounterRow row{defs[i].name, defs[i].help};
    for (const auto& cpu : per_cpu[i]) {
      row.packets += cpu.packets;
      row.bytes += cpu.bytes;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string section(const char* title, const std::vector<CounterRow>& rows, bool all,
                    const char* when_empty) {
  Table table({{title}, {"PACKETS", Align::right}, {"BYTES", Align::right}, {"DESCRIPTION"}});
  for (const auto& row : rows)
    if (all || row.packets || row.bytes)
      table.add_row({row.name, std::to_string(row.packets), std::to_string(row.bytes), row.help});
  return table.empty() ? std::string(when_empty) + " (--all lists them)\n" : table.render();
}

}  // namespace

StatsView sum_stats(const std::vector<std::vector<nwbpf_counter>>& per_cpu_stats,
                    const std::vector<std::vector<nwbpf_counter>>& per_cpu_drops) {
  return {sum(kStatDefs, per_cpu_stats, "stats"), sum(kDropDefs, per_cpu_drops, "drops")};
}

std::string stats_table(const StatsView& view, bool all) {
  return section("COUNTER", view.counters, all, "all counters are zero") + "\n" +
         section("DROP REASON", view.drops, all, "no drops");
}

nlohmann::ordered_json stats_json(const StatsView& view) {
  auto list = [](const std::vector<CounterRow>& rows) {
    auto j = nlohmann::ordered_json::array();
    for (const auto& row : rows)
      j.push_back({{"name", row.name},
                   {"description", row.help},
                   {"packets", row.packets},
                   {"bytes", row.bytes}});
    return j;
  };
  return {{"stats", list(view.counters)}, {"drops", list(view.drops)}};
}

}  // namespace nwbpf::views
