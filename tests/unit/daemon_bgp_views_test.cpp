// SPDX-License-Identifier: Apache-2.0
// The JSON of `show bgp summary` and `show bgp evpn`, built from a speaker
// driven through real UPDATEs and from session states as the manager
// reports them.
#include <gtest/gtest.h>

#include "daemon/bgp_views.h"
#include "evpn_rib_test_support.h"

namespace nwbpf::daemon {
namespace {

using namespace evpn::test;
using nlohmann::json;
using std::chrono::seconds;

const BgpIdentity kCe{kAs, v4("10.0.0.11"), std::nullopt};

class BgpViews : public ::testing::Test {
 protected:
  evpn::Speaker ce{ce_config("10.0.0.11", {100})};
  void SetUp() override {
    ce.peer_up(v4("10.0.0.1"), session("10.0.0.1"), at(seconds(0)));
    auto attrs = vtep_attributes("10.0.0.12", {auto_rt(100), vxlan(), sequence(3)});
    attrs.originator_id = v4("10.0.0.12");
    attrs.cluster_list = {v4("10.0.0.1")};
    ok(ce.receive(v4("10.0.0.1"), announce({mac_route("10.0.0.12:1", "02:00:00:00:00:01", 100)}, attrs),
                  at(seconds(1))));
  }
};

TEST_F(BgpViews, SummaryJoinsSessionsWithTheRib) {
  bgp::PeerStatus up;
  up.address = v4("10.0.0.1");
  up.state = bgp::State::established;
  up.session = session("10.0.0.1", graceful_restart(120, true));
  up.since = at(seconds(0));
  up.messages = {5, 4, 2, 1};
  bgp::PeerStatus down;
  down.address = v4("10.0.0.2");
  down.state = bgp::State::active;
  down.since = at(seconds(30));
  down.connect_retry_counter = 3;
  down.last_down = bgp::DownReason{bgp::DownCause::hold_timer_expired, std::nullopt,
                                   "hold timer expired"};
  json j = bgp_summary_json(kCe, {up, down}, ce, at(seconds(3725)));
  EXPECT_EQ(j["router_id"], "10.0.0.11");
  EXPECT_EQ(j["as"], kAs);
  EXPECT_EQ(j["cluster_id"], nullptr);
  EXPECT_EQ(j["rib_routes"], 2);  // ours (type 3) and the remote MAC
  ASSERT_EQ(j["peers"].size(), 2u);
  EXPECT_EQ(j["peers"][0], json::parse(R"({
    "address": "10.0.0.1", "dynamic": false, "passive": false, "stopped": false,
    "state": "Established", "up_down_s": 3725, "msg_rcvd": 5, "msg_sent": 4,
    "updates_rcvd": 2, "updates_sent": 1, "connect_retries": 0,
    "session": {"remote_as": 65000, "remote_id": "10.0.0.1", "internal": true,
                "hold_time_s": 90, "keepalive_s": 0, "families": ["l2vpn evpn"],
                "peer_restart_time_s": 120},
    "last_down": null, "paths_rcvd": 1, "stale_paths": 0, "end_of_rib_rcvd": false})"));
  EXPECT_EQ(j["peers"][1]["state"], "Active");
  EXPECT_EQ(j["peers"][1]["up_down_s"], 3695);
  EXPECT_EQ(j["peers"][1]["session"], nullptr);
  EXPECT_EQ(j["peers"][1]["last_down"], "hold timer expired");
  EXPECT_EQ(j["peers"][1]["connect_retries"], 3);
  EXPECT_EQ(j["peers"][1]["paths_rcvd"], 0);  // the speaker has never seen it
}

TEST_F(BgpViews, ReflectorShowsItsClusterId) {
  evpn::Speaker rr{rr_config("10.0.0.1")};
  json j = bgp_summary_json({kAs, v4("10.0.0.1"), v4("10.0.0.1")}, {}, rr, at(seconds(0)));
  EXPECT_EQ(j["cluster_id"], "10.0.0.1");
  EXPECT_EQ(j["peers"], json::array());
  EXPECT_EQ(j["rib_routes"], 0);
}

TEST_F(BgpViews, EvpnRoutesWithEveryFieldOrderedByRd) {
  json j = bgp_evpn_json(kCe, ce, {});
  EXPECT_EQ(j["prefixes"], 2);
  EXPECT_EQ(j["paths"], 2);
  ASSERT_EQ(j["routes"].size(), 2u);
  // By RD first: our type 3 (10.0.0.11:1) before the remote type 2, though
  // the RIB orders type 2 first.
  EXPECT_EQ(j["routes"][0]["rd"], "10.0.0.11:1");
  EXPECT_EQ(j["routes"][0]["prefix"], "[3]:[0]:[32]:[10.0.0.11]");
  EXPECT_EQ(j["routes"][0]["type"], 3);
  const json& ours = j["routes"][0]["paths"][0];
  EXPECT_EQ(ours["from"], "local");
  EXPECT_EQ(ours["peer"], nullptr);
  EXPECT_EQ(ours["weight"], 32768);
  EXPECT_EQ(ours["next_hop"], "10.0.0.11");
  EXPECT_EQ(ours["pmsi_tunnel"], (json{{"tunnel_type", 6}, {"label", 100}, {"flags", 0}}));
  EXPECT_EQ(ours["originator"], "10.0.0.11");

  EXPECT_EQ(j["routes"][1], json::parse(R"({
    "rd": "10.0.0.12:1", "prefix": "[2]:[0]:[48]:[02:00:00:00:00:01]", "type": 2,
    "paths": [{"best": true, "stale": false, "from": "internal", "peer": "10.0.0.1",
               "next_hop": "10.0.0.12", "metric": null, "local_pref": 100, "weight": 0,
               "as_path": "", "origin": "i",
               "ext_communities": ["RT:65000:100", "ET:8", "MM:3"],
               "originator_id": "10.0.0.12", "cluster_list": ["10.0.0.1"],
               "pmsi_tunnel": null, "mac": "02:00:00:00:00:01", "ip": null,
               "ethernet_tag": 0, "esi": "00:00:00:00:00:00:00:00:00:00", "vni": 100,
               "vni2": null}]})"));
}

TEST_F(BgpViews, EvpnFilterByTypeAndVni) {
  EXPECT_EQ(bgp_evpn_json(kCe, ce, {2, std::nullopt})["prefixes"], 1);
  EXPECT_EQ(bgp_evpn_json(kCe, ce, {3, 100})["prefixes"], 1);
  EXPECT_EQ(bgp_evpn_json(kCe, ce, {std::nullopt, 200})["routes"], json::array());
  EXPECT_EQ(bgp_evpn_json(kCe, ce, {5, std::nullopt})["paths"], 0);
}

TEST_F(BgpViews, AsPathAndOriginText) {
  auto attrs = vtep_attributes("10.0.0.13", {auto_rt(100), vxlan()});
  attrs.as_path = bgp::AsPath{{bgp::AsSegment::Type::as_sequence, {65001, 65002}},
                              {bgp::AsSegment::Type::as_set, {7, 8}}};
  attrs.origin = bgp::Origin::incomplete;
  attrs.med = 5;
  ok(ce.receive(v4("10.0.0.1"), announce({mac_route("10.0.0.13:1", "02:00:00:00:00:02", 100)}, attrs),
                at(seconds(2))));
  json j = bgp_evpn_json(kCe, ce, {2, std::nullopt});
  const json& path = j["routes"][1]["paths"][0];
  EXPECT_EQ(path["as_path"], "65001 65002 {7,8}");
  EXPECT_EQ(path["origin"], "?");
  EXPECT_EQ(path["metric"], 5);
}

}  // namespace
}  // namespace nwbpf::daemon
