// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "views/stats_view.h"

namespace nwbpf::views {
namespace {

using PerCpu = std::vector<std::vector<nwbpf_counter>>;

// Two CPUs, every counter zero.
PerCpu zeros(size_t n) { return PerCpu(n, std::vector<nwbpf_counter>(2)); }

StatsView some_traffic() {
  PerCpu stats = zeros(NWBPF_STAT_MAX), drops = zeros(NWBPF_DROP_MAX);
  stats[NWBPF_STAT_EDGE_RX] = {{10, 1000}, {5, 500}};
  stats[NWBPF_STAT_ENCAP] = {{0, 0}, {1234567, 98765432}};
  drops[NWBPF_DROP_MTU_EXCEEDED] = {{1, 1514}, {2, 3028}};
  return sum_stats(stats, drops);
}

TEST(CliStatsView, SumsCpusAndHidesZeroRows) {
  EXPECT_EQ(stats_table(some_traffic(), false),
            "COUNTER  PACKETS     BYTES  DESCRIPTION\n"
            "edge_rx       15      1500  frames received on edge ports\n"
            "encap    1234567  98765432  unicast edge -> VTEP (encapsulated)\n"
            "\n"
            "DROP REASON   PACKETS  BYTES  DESCRIPTION\n"
            "mtu_exceeded        3   4542  too big for the WAN MTU after encapsulation\n");
}

TEST(CliStatsView, EmptySectionsSaySo) {
  EXPECT_EQ(stats_table(sum_stats(zeros(NWBPF_STAT_MAX), zeros(NWBPF_DROP_MAX)), false),
            "all counters are zero (--all lists them)\n"
            "\n"
            "no drops (--all lists them)\n");
}

TEST(CliStatsView, AllListsEveryCounterWithItsHelpInEnumOrder) {
  std::string text = stats_table(some_traffic(), true);
  EXPECT_NE(text.find("COUNTER         PACKETS     BYTES  DESCRIPTION\n"
                      "edge_rx              15      1500  frames received on edge ports\n"
                      "wan_rx                0         0  frames received on the WAN device\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("acl_unparsed          0         0  IPv4 frames into the overlay with a "
                      "truncated or malformed header: judged by the ip-filter's default\n\n"
                      "DROP REASON       PACKETS  BYTES  DESCRIPTION\n"
                      "malformed               0      0  truncated or malformed headers\n"),
            std::string::npos)
      << text;
  EXPECT_TRUE(text.ends_with(
      "no_sa                   0      0  encrypted overlay: no IPsec SA up with the peer, so "
      "nothing is sent to it or taken from it\n"))
      << text;
  // One line per counter and reason, plus two headers and the blank line.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'),
            int{NWBPF_STAT_MAX} + int{NWBPF_DROP_MAX} + 3);
}

TEST(CliStatsView, JsonListsEveryCounterInEnumOrder) {
  auto j = stats_json(some_traffic());
  EXPECT_EQ(j.begin().key(), "stats");
  ASSERT_EQ(j["stats"].size(), size_t{NWBPF_STAT_MAX});
  ASSERT_EQ(j["drops"].size(), size_t{NWBPF_DROP_MAX});
  EXPECT_EQ(
      j["stats"][0].dump(),
      R"({"name":"edge_rx","description":"frames received on edge ports","packets":15,"bytes":1500})");
  EXPECT_EQ(
      j["stats"][1].dump(),
      R"({"name":"wan_rx","description":"frames received on the WAN device","packets":0,"bytes":0})");
  EXPECT_EQ(j["drops"][NWBPF_DROP_MTU_EXCEEDED].dump(),
            R"({"name":"mtu_exceeded","description":"too big for the WAN MTU after encapsulation",)"
            R"("packets":3,"bytes":4542})");
}

TEST(CliStatsView, RejectsAMapOfTheWrongSize) {
  try {
    sum_stats(zeros(NWBPF_STAT_MAX - 1), zeros(NWBPF_DROP_MAX));
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "map stats has " + std::to_string(NWBPF_STAT_MAX - 1) +
                                         " entries, expected " + std::to_string(NWBPF_STAT_MAX));
  }
}

}  // namespace
}  // namespace nwbpf::views
