// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "cli/agent_view.h"

namespace nwbpf::cli {
namespace {

using nlohmann::json;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const AnswerError& e) {
    return e.what();
  }
  return "no exception";
}

TEST(CliAgentView, PortsTableFromTheAgentsAnswer) {
  auto result = json::parse(R"([
    {"name": "vetha", "ifindex": 3, "role": "edge", "state": "up", "tagged": false,
     "vlans": [99], "pvid": 99, "path": "xdp", "path_reason": "peer veth has an XDP program"},
    {"name": "trunk0", "ifindex": 5, "role": "edge", "state": "down", "tagged": true,
     "vlans": [12, 10, 11, 200, 300, 301], "pvid": 0, "path": "tc",
     "path_reason": "configured path = \"tc\""},
    {"name": "eth0", "ifindex": 2, "role": "wan", "state": "up", "tagged": false,
     "vlans": [], "pvid": 0, "path": "xdp", "path_reason": "native XDP"},
    {"name": "vethz", "ifindex": 0, "role": "edge", "state": "missing", "tagged": false,
     "vlans": [7], "pvid": 7, "path": "tc", "path_reason": ""}
  ])");
  // Table rows stay whole lines, as the operator sees them.
  // clang-format off
  EXPECT_EQ(ports_table(result),
            "PORT    IFINDEX  ROLE  STATE    VLANS              PVID  EGRESS    PATH  REASON\n"
            "vetha         3  edge  up       99                   99  untagged  xdp   peer veth has an XDP program\n"
            "trunk0        5  edge  down     10-12,200,300-301     -  tagged    tc    configured path = \"tc\"\n"
            "eth0          2  wan   up       -                     -  -         xdp   native XDP\n"
            "vethz         -  edge  missing  7                     7  untagged  tc    -\n");
  // clang-format on
}

TEST(CliAgentView, MissingOrNullFieldsPrintAsDash) {
  EXPECT_EQ(ports_table(json::parse(R"([{"name": "x", "pvid": null, "extra": {"a": 1}}])")),
            "PORT  IFINDEX  ROLE  STATE  VLANS  PVID  EGRESS  PATH  REASON\n"
            "x           -  -     -      -         -  -       -     -\n");
  EXPECT_EQ(ports_table(json::array()),
            "PORT  IFINDEX  ROLE  STATE  VLANS  PVID  EGRESS  PATH  REASON\n");
}

TEST(CliAgentView, PeersTable) {
  auto result = json::parse(R"([
    {"overlay": "10.0.0.2", "nbma": "192.168.0.2", "vnis": [99, 100], "origin": "static"},
    {"overlay": "10.0.0.10", "nbma": "192.168.0.10", "vnis": [], "origin": "static"}
  ])");
  EXPECT_EQ(peers_table(result),
            "OVERLAY    NBMA          VNIS    ORIGIN\n"
            "10.0.0.2   192.168.0.2   99-100  static\n"
            "10.0.0.10  192.168.0.10  -       static\n");
}

TEST(CliAgentView, IdRangesCollapseRunsAndDropDuplicates) {
  EXPECT_EQ(id_ranges(json::parse("[5, 1, 2, 3, 3, 9, 10]"), "x"), "1-3,5,9-10");
  EXPECT_EQ(id_ranges(json::parse("[4094]"), "x"), "4094");
  EXPECT_EQ(id_ranges(json::array(), "x"), "-");
}

TEST(CliAgentView, AnswersOfTheWrongShapeAreOneClearLine) {
  EXPECT_EQ(error_of([] { ports_table(json::object()); }),
            "unexpected answer from nwbpfd: show ports result is not a list");
  EXPECT_EQ(error_of([] { peers_table(json::parse(R"([{}, 3])")); }),
            "unexpected answer from nwbpfd: peers[1] is not an object");
  EXPECT_EQ(error_of([] { ports_table(json::parse(R"([{"vlans": "99"}])")); }),
            "unexpected answer from nwbpfd: ports[0].vlans is not a list");
  EXPECT_EQ(error_of([] { peers_table(json::parse(R"([{"vnis": [1, -2]}])")); }),
            "unexpected answer from nwbpfd: peers[0].vnis holds -2, not an ID");
}

}  // namespace
}  // namespace nwbpf::cli
