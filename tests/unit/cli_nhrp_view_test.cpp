// SPDX-License-Identifier: Apache-2.0
// The text of `show nhrp [cache|nhs|shortcut]` from the agent's answers: a
// CE behind NAT (NHSes, shortcuts in every state), a route server (its
// registration cache), empty and left-out lists, answers of the wrong shape.
#include <gtest/gtest.h>

#include "cli/agent_view.h"
#include "cli/nhrp_view.h"

namespace nwbpf::cli {
namespace {

using nlohmann::json;

// A CE whose NHSes see it NAT'd: one NHS registered, one never answered, one
// registered but refusing the re-registration; shortcuts resolved (one to a
// NAT'd target), pending (no NBMA yet) and negative.
const json kCe = json::parse(R"({
  "overlay": "10.0.0.1", "nbma": "192.168.0.1", "nat_nbma": "203.0.113.5", "roles": ["ce"],
  "nhs": [
    {"nbma": "192.168.0.10", "protocol": "10.0.0.10", "registered": true, "expires_in_s": 7000,
     "nat_nbma": "203.0.113.5", "retry_s": 1, "last_error": ""},
    {"nbma": "192.168.0.11", "protocol": null, "registered": false, "expires_in_s": null,
     "nat_nbma": null, "retry_s": 8, "last_error": "no reply"},
    {"nbma": "192.168.0.12", "protocol": "10.0.0.12", "registered": true, "expires_in_s": 130,
     "nat_nbma": "203.0.113.5", "retry_s": 2,
     "last_error": "registration refused with CIE code 14"}],
  "shortcuts": [
    {"protocol": "10.0.0.3", "state": "resolved", "nbma": "192.168.0.3", "natted": false,
     "nat_port": null, "holding_time_s": 7200, "expires_in_s": 7100, "refresh_in_s": 4700, "used": true,
     "via": "192.168.0.10"},
    {"protocol": "10.0.0.4", "state": "resolved", "nbma": "198.51.100.7", "natted": true,
     "nat_port": 24017, "holding_time_s": 600, "expires_in_s": 590, "refresh_in_s": 390, "used": false,
     "via": "192.168.0.10"},
    {"protocol": "10.0.0.5", "state": "pending", "nbma": null, "natted": false,
     "nat_port": null, "holding_time_s": 0, "expires_in_s": 28, "refresh_in_s": null, "used": false,
     "via": "192.168.0.12"},
    {"protocol": "10.0.0.6", "state": "negative", "nbma": null, "natted": false,
     "nat_port": null, "holding_time_s": 7200, "expires_in_s": 7190, "refresh_in_s": null, "used": false,
     "via": "192.168.0.10"}],
  "nat_probes": {"targets": 3, "sent": 41, "send_failed": 1},
  "counters": {"received": 10, "sent": 12, "malformed": 1, "auth_failed": 0, "errors_sent": 1,
               "errors_received": 2, "traffic_indications_sent": 0}})");

// A route server: one client behind NAT, one about to expire, one
// registered without the unique flag.
const json kRouteServer = json::parse(R"({
  "overlay": "10.0.0.10", "nbma": "192.168.0.10", "nat_nbma": null, "roles": ["route-server"],
  "cache": [
    {"protocol": "10.0.0.1", "nbma": "192.168.0.1", "nat_nbma": "203.0.113.5", "nat_port": 20001,
     "holding_time_s": 7200, "expires_in_s": 7100, "unique": true, "mtu": 0},
    {"protocol": "10.0.0.2", "nbma": "192.168.0.2", "nat_nbma": null, "nat_port": null,
     "holding_time_s": 7200, "expires_in_s": 5, "unique": true, "mtu": 1400},
    {"protocol": "10.0.0.3", "nbma": "192.168.0.3", "nat_nbma": null, "nat_port": null,
     "holding_time_s": 7200, "expires_in_s": 7200, "unique": false, "mtu": 0}],
  "counters": {"received": 3, "sent": 3, "malformed": 0, "auth_failed": 1, "errors_sent": 1,
               "errors_received": 0, "traffic_indications_sent": 4}})");

// clang-format off
const std::string kCeNhs =
    "NBMA          PROTOCOL   STATE         EXPIRES  NAT          RETRY  LAST ERROR\n"
    "192.168.0.10  10.0.0.10  registered   01:56:40  203.0.113.5      -  -\n"
    "192.168.0.11  -          registering         -  -               8s  no reply\n"
    "192.168.0.12  10.0.0.12  registered   00:02:10  203.0.113.5     2s  registration refused with CIE code 14\n";

// A NAT'd target's NBMA carries the port the data plane learned.
const std::string kCeShortcuts =
    "PROTOCOL  STATE     NBMA                NAT'D  VIA            EXPIRES   REFRESH  USED\n"
    "10.0.0.3  resolved  192.168.0.3         no     192.168.0.10  01:58:20  01:18:20  yes\n"
    "10.0.0.4  resolved  198.51.100.7:24017  yes    192.168.0.10  00:09:50  00:06:30  no\n"
    "10.0.0.5  pending   -                   -      192.168.0.12  00:00:28         -  no\n"
    "10.0.0.6  negative  -                   -      192.168.0.10  01:59:50         -  no\n";

// The NHS whose protocol address is not learned yet is no binding.
const std::string kCeCache =
    "TYPE        PROTOCOL   NBMA                CLAIMED NBMA   EXPIRES  FLAGS\n"
    "local       10.0.0.1   203.0.113.5         192.168.0.1          -  N\n"
    "nhs         10.0.0.10  192.168.0.10        -                    -\n"
    "nhs         10.0.0.12  192.168.0.12        -                    -\n"
    "cached      10.0.0.3   192.168.0.3         -             01:58:20  T\n"
    "cached      10.0.0.4   198.51.100.7:24017  -             00:09:50  N\n"
    "incomplete  10.0.0.5   -                   -             00:00:28\n"
    "negative    10.0.0.6   -                   -             01:59:50\n"
    "Flags: U unique, N NAT'd, T used\n";

const std::string kRouteServerCache =
    "TYPE     PROTOCOL   NBMA               CLAIMED NBMA   EXPIRES  FLAGS\n"
    "local    10.0.0.10  192.168.0.10       -                    -\n"
    "dynamic  10.0.0.1   203.0.113.5:20001  192.168.0.1   01:58:20  UN\n"
    "dynamic  10.0.0.2   192.168.0.2        -             00:00:05  U\n"
    "dynamic  10.0.0.3   192.168.0.3        -             02:00:00\n"
    "Flags: U unique, N NAT'd, T used\n";
// clang-format on

TEST(CliNhrpView, CeNhsRegistrationsRetriesAndErrors) {
  EXPECT_EQ(nhrp_text(kCe, NhrpTable::nhs), kCeNhs);
}

TEST(CliNhrpView, CeShortcutsInEveryState) {
  EXPECT_EQ(nhrp_text(kCe, NhrpTable::shortcut), kCeShortcuts);
}

TEST(CliNhrpView, CeCacheHasLocalNhsAndShortcutBindings) {
  EXPECT_EQ(nhrp_text(kCe, NhrpTable::cache), kCeCache);
}

TEST(CliNhrpView, RouteServerCacheShowsRegistrationsAndClaimedNbma) {
  EXPECT_EQ(nhrp_text(kRouteServer, NhrpTable::cache), kRouteServerCache);
}

TEST(CliNhrpView, EverythingUnderHeadingsWithCounters) {
  EXPECT_EQ(nhrp_text(kCe, std::nullopt),
            "NHRP: overlay 10.0.0.1, NBMA 192.168.0.1, NAT'd as 203.0.113.5, roles ce\n"
            "NAT probes: 3 target(s), 41 sent, 1 failed\n"
            "\nCache:\n" +
                kCeCache + "\nNHS:\n" + kCeNhs + "\nShortcuts:\n" + kCeShortcuts +
                "\nCounters: received 10, sent 12, malformed 1, auth failed 0, errors sent 1, "
                "errors received 2, traffic indications sent 0\n");
  // A route server has neither NHSes nor shortcuts: no heading for them.
  EXPECT_EQ(nhrp_text(kRouteServer, std::nullopt),
            "NHRP: overlay 10.0.0.10, NBMA 192.168.0.10, roles route-server\n"
            "\nCache:\n" +
                kRouteServerCache +
                "\nCounters: received 3, sent 3, malformed 0, auth failed 1, errors sent 1, "
                "errors received 0, traffic indications sent 4\n");
}

TEST(CliNhrpView, ListsARoleDoesNotHaveSaySoInOneLine) {
  EXPECT_EQ(nhrp_text(kRouteServer, NhrpTable::nhs),
            "No NHS: only a ce registers with next hop servers (this node: route-server).\n");
  EXPECT_EQ(nhrp_text(kRouteServer, NhrpTable::shortcut),
            "No shortcuts: only a ce resolves shortcuts (this node: route-server).\n");
  json none = kRouteServer;
  none["roles"] = json::array();
  EXPECT_EQ(nhrp_text(none, NhrpTable::nhs),
            "No NHS: only a ce registers with next hop servers (this node: none).\n");
}

TEST(CliNhrpView, EmptyListsSaySoInOneLine) {
  json ce = kCe;
  ce["nat_nbma"] = nullptr;
  ce["nhs"] = json::array();
  ce["shortcuts"] = json::array();
  EXPECT_EQ(nhrp_text(ce, NhrpTable::nhs), "No NHS configured.\n");
  EXPECT_EQ(nhrp_text(ce, NhrpTable::shortcut),
            "No shortcuts: traffic to other CEs goes through the route server.\n");
  // clang-format off
  EXPECT_EQ(nhrp_text(ce, NhrpTable::cache),
            "TYPE   PROTOCOL  NBMA         CLAIMED NBMA  EXPIRES  FLAGS\n"
            "local  10.0.0.1  192.168.0.1  -                   -\n"
            "Flags: U unique, N NAT'd, T used\n");
  json rs = kRouteServer;
  rs["cache"] = json::array();
  EXPECT_EQ(nhrp_text(rs, NhrpTable::cache),
            "TYPE   PROTOCOL   NBMA          CLAIMED NBMA  EXPIRES  FLAGS\n"
            "local  10.0.0.10  192.168.0.10  -                   -\n"
            "No client has registered.\n"
            "Flags: U unique, N NAT'd, T used\n");
  // clang-format on
}

// A node holding both roles shows its registrations and its shortcuts.
TEST(CliNhrpView, BothRolesShareTheCache) {
  json both = kRouteServer;
  both["roles"] = {"ce", "route-server"};
  both["nhs"] = json::array();
  both["shortcuts"] = {kCe["shortcuts"][0]};
  std::string text = nhrp_text(both, NhrpTable::cache);
  EXPECT_NE(text.find("dynamic  10.0.0.3   192.168.0.3        -             02:00:00\n"
                      "cached   10.0.0.3   192.168.0.3        -             01:58:20  T\n"),
            std::string::npos)
      << text;
  EXPECT_TRUE(nhrp_text(both, std::nullopt)
                  .starts_with("NHRP: overlay 10.0.0.10, NBMA 192.168.0.10, roles ce, "
                               "route-server\n"));
}

std::string error_of(const json& answer, std::optional<NhrpTable> table) {
  try {
    nhrp_text(answer, table);
  } catch (const AnswerError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CliNhrpView, AnswersOfTheWrongShapeAreOneClearLine) {
  const std::string prefix = "unexpected answer from nwbpfd: ";
  EXPECT_EQ(error_of(json::array(), NhrpTable::cache), prefix + "result is not an object");
  json a = kCe;
  a.erase("overlay");
  EXPECT_EQ(error_of(a, NhrpTable::cache), prefix + "result has no \"overlay\"");
  a = kCe;
  a["nbma"] = 7;
  EXPECT_EQ(error_of(a, NhrpTable::cache), prefix + "result.nbma is 7, not a string");
  a = kCe;
  a["nhs"] = json::object();
  EXPECT_EQ(error_of(a, NhrpTable::nhs), prefix + "result.nhs is not a list");
  a = kCe;
  a["nhs"][1].erase("nbma");
  EXPECT_EQ(error_of(a, NhrpTable::nhs), prefix + "nhs[1] has no \"nbma\"");
  a = kCe;
  a["nhs"][0]["retry_s"] = -1;
  EXPECT_EQ(error_of(a, NhrpTable::cache), prefix + "nhs[0].retry_s is -1, not a count");
  a = kCe;
  a["nhs"][2]["registered"] = "yes";
  EXPECT_EQ(error_of(a, NhrpTable::nhs), prefix + "nhs[2].registered is not a boolean");
  a = kCe;
  a["shortcuts"][3]["state"] = "stale";
  EXPECT_EQ(error_of(a, NhrpTable::shortcut),
            prefix + "shortcuts[3].state is \"stale\", not one of resolved, pending, negative");
  a = kCe;
  a["shortcuts"][0] = 5;
  EXPECT_EQ(error_of(a, NhrpTable::cache), prefix + "shortcuts[0] is not an object");
  a = kCe;
  a["shortcuts"][2]["expires_in_s"] = nullptr;
  EXPECT_EQ(error_of(a, NhrpTable::shortcut),
            prefix + "shortcuts[2].expires_in_s is null, not a count");
  json rs = kRouteServer;
  rs["cache"][1]["nat_nbma"] = json::array();
  EXPECT_EQ(error_of(rs, NhrpTable::cache), prefix + "cache[1].nat_nbma is [], not a string");
  rs = kRouteServer;
  rs["roles"] = {"route-server", 7};
  EXPECT_EQ(error_of(rs, std::nullopt), prefix + "result.roles holds 7");
  rs = kRouteServer;
  rs["counters"].erase("auth_failed");
  EXPECT_EQ(error_of(rs, std::nullopt), prefix + "counters has no \"auth_failed\"");
  rs = kRouteServer;
  rs.erase("counters");
  EXPECT_EQ(error_of(rs, std::nullopt), prefix + "result has no \"counters\"");
  // A table view reads only what it prints: no counters needed.
  EXPECT_EQ(error_of(rs, NhrpTable::cache), "no error");
}

TEST(CliNhrpView, TableWordsAsFrr) {
  for (NhrpTable t : {NhrpTable::cache, NhrpTable::nhs, NhrpTable::shortcut})
    EXPECT_EQ(parse_nhrp_table(nhrp_table_name(t)), t);
  EXPECT_EQ(nhrp_table_name(NhrpTable::shortcut), "shortcut");
  EXPECT_EQ(parse_nhrp_table("shortcuts"), std::nullopt);
  EXPECT_EQ(parse_nhrp_table("Cache"), std::nullopt);
  EXPECT_EQ(parse_nhrp_table(""), std::nullopt);
}

}  // namespace
}  // namespace nwbpf::cli
