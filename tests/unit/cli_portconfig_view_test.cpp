// SPDX-License-Identifier: Apache-2.0
// The text of `show portconfig` from the agent's answers: a CE whose last
// portconfig was rejected (the one before stays) beside an ebconfig source
// that cannot reach its server, a CE that has no file yet, and answers of
// the wrong shape.
#include <gtest/gtest.h>

#include "cli/agent_view.h"
#include "cli/portconfig_view.h"

namespace nwbpf::cli {
namespace {

using nlohmann::json;

const json kRejected = json::parse(R"json({
  "sources": [
    {"source": "portconfig", "url": "http://10.0.0.10/portconfig/10.0.0.1.json",
     "kick": {"address": "192.168.0.1", "port": 8080, "error": ""},
     "fetch": {"connect_address": "192.168.0.10",
               "last_attempt": {"at": "2026-11-22T16:40:01Z", "ago_s": 3},
               "last_result": "ok",
               "last_success": {"at": "2026-11-22T16:40:01Z", "ago_s": 3},
               "in_flight": false, "attempts": 5, "changed": 3, "unchanged": 1, "failures": 1,
               "kicks": 2},
     "file": {"origin": "server", "result": "rejected",
              "problems": ["ports[0].tagged: expected true or false, found \"no\"",
                           "ports[0].vlans[0]: 5000 is not a VLAN ID (1..4094)"],
              "warnings": ["ports[1]: unknown key \"pvid\" ignored (known: name, tagged, vlans)"],
              "applied_at": {"at": "2026-11-22T16:39:00Z", "ago_s": 64}}},
    {"source": "ebconfig", "url": "http://10.0.0.10/ebconfig/10.0.0.1.json",
     "kick": {"address": "192.168.0.1", "port": 8081,
              "error": "update-kick on 192.168.0.1:8081: Address already in use"},
     "fetch": {"connect_address": null,
               "last_attempt": {"at": "2026-11-22T16:40:02Z", "ago_s": 2},
               "last_result": "10.0.0.10 has no NBMA address from NHRP yet",
               "last_success": null,
               "in_flight": false, "attempts": 1, "changed": 0, "unchanged": 0, "failures": 1,
               "kicks": 1},
     "file": {"origin": "", "result": "", "problems": [], "warnings": [], "applied_at": null}}],
  "bridge": "bridge",
  "ports": [
    {"name": "vetha", "tagged": false, "vlans": [10, 11], "pvid": 11, "state": "up",
     "ifindex": 5},
    {"name": "vethc", "tagged": true, "vlans": [20, 21, 22, 30], "pvid": null,
     "state": "missing", "ifindex": 0}]})json");

TEST(CliPortconfigView, RejectedFileLastGoodStays) {
  EXPECT_EQ(portconfig_text(kRejected),
            "portconfig  http://10.0.0.10/portconfig/10.0.0.1.json\n"
            "  kick         listening on 192.168.0.1:8080\n"
            "  connect to   192.168.0.10\n"
            "  last fetch   2026-11-22T16:40:01Z (3 s ago): ok\n"
            "  last success 2026-11-22T16:40:01Z (3 s ago)\n"
            "  fetches      5: 3 changed, 1 unchanged, 1 failed; 2 kicks\n"
            "  file         rejected (from the server); the one applied 2026-11-22T16:39:00Z "
            "(64 s ago) stays\n"
            "    problem    ports[0].tagged: expected true or false, found \"no\"\n"
            "    problem    ports[0].vlans[0]: 5000 is not a VLAN ID (1..4094)\n"
            "    warning    ports[1]: unknown key \"pvid\" ignored (known: name, tagged, vlans)\n"
            "\n"
            "ebconfig  http://10.0.0.10/ebconfig/10.0.0.1.json\n"
            "  kick         not listening: update-kick on 192.168.0.1:8081: Address already in "
            "use\n"
            "  connect to   -\n"
            "  last fetch   2026-11-22T16:40:02Z (2 s ago): 10.0.0.10 has no NBMA address from "
            "NHRP yet\n"
            "  last success never\n"
            "  fetches      1: 0 changed, 0 unchanged, 1 failed; 1 kick\n"
            "  file         none yet\n"
            "\n"
            "bridge bridge (Nante-WAN's; nwbpf has none)\n"
            "PORT   TAGGED  VLANS     PVID  APPLIED\n"
            "vetha  no      10-11       11  up (ifindex 5)\n"
            "vethc  yes     20-22,30     -  missing\n");
}

// kRejected with only its portconfig source, whose "file" is `file`.
json portconfig_only(const char* file) {
  json answer = kRejected;
  answer["sources"].erase(1);
  answer["sources"][0]["file"] = json::parse(file);
  return answer;
}

TEST(CliPortconfigView, NoFileYet) {
  json answer = portconfig_only(
      R"({"origin": "", "result": "", "problems": [], "warnings": [], "applied_at": null})");
  answer["sources"][0]["fetch"] = nullptr;
  answer["bridge"] = nullptr;
  answer["ports"] = nullptr;
  EXPECT_EQ(portconfig_text(answer),
            "portconfig  http://10.0.0.10/portconfig/10.0.0.1.json\n"
            "  kick         listening on 192.168.0.1:8080\n"
            "  fetch        not started\n"
            "  file         none yet\n"
            "\n"
            "no portconfig in force\n");
}

TEST(CliPortconfigView, SavedCopyAndNoPorts) {
  json answer = portconfig_only(
      R"({"origin": "saved copy", "result": "applied", "problems": [], "warnings": [],
          "applied_at": {"at": "2026-11-22T16:39:00Z", "ago_s": 64}})");
  answer["ports"] = json::array();
  std::string text = portconfig_text(answer);
  EXPECT_NE(text.find("  file         applied 2026-11-22T16:39:00Z (64 s ago), the saved copy\n"),
            std::string::npos)
      << text;
  EXPECT_TRUE(text.ends_with("bridge bridge (Nante-WAN's; nwbpf has none)\nno ports\n")) << text;
}

TEST(CliPortconfigView, WrongShape) {
  json answer = kRejected;
  answer["sources"][0].erase("url");
  EXPECT_THROW(portconfig_text(answer), AnswerError);
  answer = kRejected;
  answer["ports"][1]["state"] = "gone";
  EXPECT_THROW(portconfig_text(answer), AnswerError);
}

}  // namespace
}  // namespace nwbpf::cli
