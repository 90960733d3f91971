// SPDX-License-Identifier: Apache-2.0
// `nwbpf show acl [vlan N] [-j]`: the request it sends nwbpfd, the text it
// prints from the answer, and its usage errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_test_support.h"

namespace nwbpf::cli {
namespace {

using testing::run_nwbpf;
using testing::ScriptedAgent;

const std::string kAnswer =
    R"({"ok": true, "result": {"source": null, "vlans": [{"vlan": 10, "mac_filter":)"
    R"( {"rules": [{"index": 0, "position": 0, "mac": "02:00:00:00:00:01", "action": "permit",)"
    R"( "packets": 3, "bytes": 180}], "default": {"index": 1, "action": "deny", "packets": 1,)"
    R"( "bytes": 60}}}]}})"
    "\n";

TEST(CliShowAcl, SendsTheVlan) {
  auto request_for = [&](std::vector<std::string> words) {
    ScriptedAgent agent(kAnswer);
    std::vector<std::string> args{"--socket", agent.path(), "show", "acl"};
    args.insert(args.end(), words.begin(), words.end());
    auto r = run_nwbpf(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return agent.request();
  };
  EXPECT_EQ(request_for({}), "{\"command\":\"show\",\"object\":\"acl\"}\n");
  EXPECT_EQ(request_for({"vlan", "10"}), "{\"command\":\"show\",\"object\":\"acl\",\"vlan\":10}\n");
  EXPECT_EQ(request_for({"-j", "vlan", "4094"}),
            "{\"command\":\"show\",\"object\":\"acl\",\"vlan\":4094}\n");
}

TEST(CliShowAcl, PrintsTheTablesOrTheJson) {
  {
    ScriptedAgent agent(kAnswer);
    auto r = run_nwbpf({"show", "acl", "vlan", "10", "--socket", agent.path()});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out,
              "VLAN 10 mac-filter\n"
              "INDEX  MAC                ACTION  PACKETS  BYTES\n"
              "    0  02:00:00:00:00:01  permit        3    180\n"
              "    1  default            deny          1     60\n");
  }
  ScriptedAgent agent(kAnswer);
  auto r = run_nwbpf({"show", "acl", "-j", "--socket", agent.path()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out), nlohmann::json::parse(kAnswer)["result"]);
}

TEST(CliShowAcl, BadFilterExitsTwo) {
  auto error = [](std::vector<std::string> words) {
    std::vector<std::string> args{"--socket", "/nonexistent.sock", "show", "acl"};
    args.insert(args.end(), words.begin(), words.end());
    auto r = run_nwbpf(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.out, "");
    return r.err.substr(0, r.err.find('\n'));
  };
  EXPECT_EQ(error({"vni", "10"}), "FILTER: unknown filter \"vni\" (vlan N)");
  EXPECT_EQ(error({"vlan"}), "FILTER: \"vlan\" needs a value");
  EXPECT_EQ(error({"vlan", "0"}), "FILTER: VLAN \"0\" is not a number from 1 to 4094");
  EXPECT_EQ(error({"vlan", "4095"}), "FILTER: VLAN \"4095\" is not a number from 1 to 4094");
  EXPECT_EQ(error({"vlan", "10x"}), "FILTER: VLAN \"10x\" is not a number from 1 to 4094");
  EXPECT_EQ(error({"vlan", "10", "20"}), "FILTER: unexpected \"20\" after vlan N");
}

}  // namespace
}  // namespace nwbpf::cli
