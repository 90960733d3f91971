// SPDX-License-Identifier: Apache-2.0
// The text of `show bgp summary` and `show bgp evpn` from the agent's
// answers, and the pieces that read like FRR's.
#include <gtest/gtest.h>

#include "cli/agent_view.h"
#include "cli/bgp_view.h"

namespace nwbpf::cli {
namespace {

using nlohmann::json;

const json kSummary = json::parse(R"({
  "router_id": "10.0.0.11", "as": 65000, "cluster_id": null, "rib_routes": 7,
  "peers": [
    {"address": "192.168.0.10", "dynamic": false, "passive": false, "stopped": false,
     "state": "Established", "up_down_s": 3725, "msg_rcvd": 30, "msg_sent": 28,
     "updates_rcvd": 4, "updates_sent": 3, "connect_retries": 0,
     "session": {"remote_as": 65000}, "last_down": null, "paths_rcvd": 4,
     "stale_paths": 0, "end_of_rib_rcvd": true},
    {"address": "192.168.0.11", "dynamic": true, "passive": true, "stopped": false,
     "state": "Active", "up_down_s": 90061, "msg_rcvd": 0, "msg_sent": 0,
     "updates_rcvd": 0, "updates_sent": 0, "connect_retries": 2, "session": null,
     "last_down": "hold timer expired", "paths_rcvd": 0, "stale_paths": 0,
     "end_of_rib_rcvd": false},
    {"address": "192.168.0.12", "dynamic": false, "passive": false, "stopped": true,
     "state": "Idle", "up_down_s": 1209600, "msg_rcvd": 0, "msg_sent": 0,
     "updates_rcvd": 0, "updates_sent": 0, "connect_retries": 0, "session": null,
     "last_down": null, "paths_rcvd": 0, "stale_paths": 0, "end_of_rib_rcvd": false}]})");

TEST(CliBgpView, Summary) {
  // clang-format off
  EXPECT_EQ(bgp_summary_text(kSummary),
            "BGP summary: local router ID is 10.0.0.11, local AS 65000\n"
            "RIB entries 7\n"
            "\n"
            "NEIGHBOR          AS  MSGRCVD  MSGSENT   UP/DOWN  STATE/PFXRCD  EOR  LAST DOWN\n"
            "192.168.0.10   65000       30       28  01:02:05             4  yes  -\n"
            "*192.168.0.11      -        0        0  1d01h01m        Active  no   hold timer expired\n"
            "192.168.0.12       -        0        0  02w0d00h  Idle (Admin)  no   -\n"
            "\n"
            "Total number of neighbors 3\n");
  // clang-format on
  json rr = kSummary;
  rr["cluster_id"] = "10.0.0.1";
  rr["peers"] = json::array();
  EXPECT_NE(bgp_summary_text(rr).find("Route reflector, cluster-id 10.0.0.1\n"), std::string::npos);
}

const json kRoutes = json::parse(R"({
  "router_id": "10.0.0.11", "as": 65000, "prefixes": 2, "paths": 3,
  "routes": [
    {"rd": "10.0.0.11:1", "prefix": "[3]:[0]:[32]:[10.0.0.11]", "type": 3,
     "paths": [{"best": true, "stale": false, "from": "local", "peer": null,
                "next_hop": "10.0.0.11", "metric": null, "local_pref": null, "weight": 32768,
                "as_path": "", "origin": "i", "ext_communities": ["RT:65000:100", "ET:8"]}]},
    {"rd": "10.0.0.12:1", "prefix": "[2]:[0]:[48]:[02:00:00:00:00:01]", "type": 2,
     "paths": [{"best": true, "stale": false, "from": "internal", "peer": "10.0.0.1",
                "next_hop": "10.0.0.12", "metric": 0, "local_pref": 100, "weight": 0,
                "as_path": "", "origin": "i", "ext_communities": ["RT:65000:100", "ET:8", "MM:3"]},
               {"best": false, "stale": true, "from": "external", "peer": "10.0.0.2",
                "next_hop": "10.0.0.12", "metric": null, "local_pref": null, "weight": 0,
                "as_path": "65001", "origin": "?", "ext_communities": []}]}]})");

TEST(CliBgpView, EvpnRoutesReadLikeFrr) {
  std::string text = bgp_evpn_text(kRoutes);
  // clang-format off
  const std::string body =
      "   Network          Next Hop            Metric LocPrf Weight Path\n"
      "                    Extended Community\n"
      "Route Distinguisher: 10.0.0.11:1\n"
      "*> [3]:[0]:[32]:[10.0.0.11]\n"
      "                    10.0.0.11                          32768 i\n"
      "                    RT:65000:100 ET:8\n"
      "Route Distinguisher: 10.0.0.12:1\n"
      "*>i[2]:[0]:[48]:[02:00:00:00:00:01]\n"
      "                    10.0.0.12                0    100      0 i\n"
      "                    RT:65000:100 ET:8 MM:3\n"
      "S  [2]:[0]:[48]:[02:00:00:00:00:01]\n"
      "                    10.0.0.12                              0 65001 ?\n"
      "\n"
      "Displayed 2 prefixes (3 paths)\n";
  // clang-format on
  EXPECT_TRUE(text.starts_with("BGP table: local router ID is 10.0.0.11, local AS 65000\n"))
      << text;
  EXPECT_TRUE(text.ends_with(body)) << text;
}

TEST(CliBgpView, AnswersOfTheWrongShapeAreOneClearLine) {
  auto error_of = [](auto render, const json& answer) {
    try {
      render(answer);
    } catch (const AnswerError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of(bgp_summary_text, json::array()),
            "unexpected answer from nwbpfd: result has no \"router_id\"");
  json s = kSummary;
  s["peers"][1].erase("state");
  EXPECT_EQ(error_of(bgp_summary_text, s),
            "unexpected answer from nwbpfd: peers[1] has no \"state\"");
  s = kSummary;
  s["peers"][0]["up_down_s"] = "long";
  EXPECT_EQ(error_of(bgp_summary_text, s),
            "unexpected answer from nwbpfd: peers[0].up_down_s is not a number");
  s = kSummary;
  s["peers"][0]["dynamic"] = 1;
  EXPECT_EQ(error_of(bgp_summary_text, s),
            "unexpected answer from nwbpfd: peers[0].dynamic is not a boolean");
  json r = kRoutes;
  r["routes"][1]["paths"][0]["ext_communities"] = json::array({7});
  EXPECT_EQ(error_of(bgp_evpn_text, r),
            "unexpected answer from nwbpfd: routes[1].paths[0].ext_communities holds 7");
  r = kRoutes;
  r["routes"][0]["paths"] = json::object();
  EXPECT_EQ(error_of(bgp_evpn_text, r),
            "unexpected answer from nwbpfd: routes[0].paths is not a list");
  r = kRoutes;
  r["routes"][0]["prefix"] = json::array();
  EXPECT_EQ(error_of(bgp_evpn_text, r), "unexpected answer from nwbpfd: routes[0].prefix is []");
}

TEST(CliBgpView, UpDownLikeFrr) {
  EXPECT_EQ(up_down_text(0), "00:00:00");
  EXPECT_EQ(up_down_text(86399), "23:59:59");
  EXPECT_EQ(up_down_text(86400), "1d00h00m");
  EXPECT_EQ(up_down_text(7 * 86400 - 1), "6d23h59m");
  EXPECT_EQ(up_down_text(7 * 86400), "01w0d00h");
  EXPECT_EQ(up_down_text(-5), "00:00:00");
}

TEST(CliBgpView, RouteTypeWords) {
  EXPECT_EQ(parse_route_type("2"), 2);
  EXPECT_EQ(parse_route_type("macip"), 2);
  EXPECT_EQ(parse_route_type("multicast"), 3);
  EXPECT_EQ(parse_route_type("ead"), 1);
  EXPECT_EQ(parse_route_type("es"), 4);
  EXPECT_EQ(parse_route_type("prefix"), 5);
  EXPECT_EQ(parse_route_type("0"), std::nullopt);
  EXPECT_EQ(parse_route_type("6"), std::nullopt);
  EXPECT_EQ(parse_route_type("22"), std::nullopt);
  EXPECT_EQ(parse_route_type("MACIP"), std::nullopt);
  EXPECT_EQ(parse_route_type(""), std::nullopt);
}

}  // namespace
}  // namespace nwbpf::cli
