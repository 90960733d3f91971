// SPDX-License-Identifier: Apache-2.0
// The CE role (route-reflector client of two reflectors): what it
// originates, that it reflects nothing, the import diff when both
// reflectors carry a route, route-target filtering, and the `show` views.
#include "evpn_rib_test_support.h"

namespace nwbpf::evpn {
namespace {

using namespace test;
using std::chrono::seconds;

const char* kRr1 = "10.0.0.1";
const char* kRr2 = "10.0.0.2";
const MacKey kLocalMac{100, mac("02:00:00:00:00:aa")};
const MacIpRoute kRemote = mac_route("10.0.0.12:1", "02:00:00:00:00:01", 100);

// What a reflector passes on from CE 10.0.0.12.
bgp::PathAttributes reflected(const char* rr, std::vector<bgp::ExtCommunity> communities) {
  auto attrs = vtep_attributes("10.0.0.12", std::move(communities));
  attrs.originator_id = v4("10.0.0.12");
  attrs.cluster_list = {v4(rr)};
  return attrs;
}

class EvpnCe : public ::testing::Test {
 protected:
  Speaker ce{ce_config("10.0.0.11", {100, 200})};
  SpeakerOutput up1, up2;
  void SetUp() override {
    up1 = ce.peer_up(v4(kRr1), session(kRr1), at(seconds(0)));
    up2 = ce.peer_up(v4(kRr2), session(kRr2), at(seconds(0)));
  }
  SpeakerOutput from(const char* rr, const bgp::Update& update) {
    return ok(ce.receive(v4(rr), update, at(seconds(1))));
  }
};

TEST_F(EvpnCe, TheInitialTableIsOneType3PerVniThenEndOfRib) {
  auto updates = sent_to(up1, kRr1);
  ASSERT_EQ(updates.size(), 3u);  // the PMSI label differs per VNI: one UPDATE each
  EXPECT_EQ(read_sent(updates).announced,
            (std::vector<Route>{multicast_route("10.0.0.11:1", "10.0.0.11"),
                                multicast_route("10.0.0.11:2", "10.0.0.11")}));
  auto expected = vtep_attributes("10.0.0.11", {auto_rt(100), vxlan()});
  expected.pmsi_tunnel = bgp::PmsiTunnel{0, 6, 100, address("10.0.0.11")};
  expected.mp_reach->nlri = nlri({multicast_route("10.0.0.11:1", "10.0.0.11")});
  EXPECT_EQ(updates[0].attributes, expected);
  EXPECT_EQ(updates[1].attributes.pmsi_tunnel->label, 200u);
  EXPECT_EQ(bgp::end_of_rib_family(updates[2]), bgp::kL2vpnEvpn);
  EXPECT_EQ(sent_to(up2, kRr2).size(), 3u);
}

TEST_F(EvpnCe, LocalMacsGoToEveryReflectorAndAreWithdrawnWhenTheyAge) {
  auto out = ce.mac_learned(kLocalMac, at(seconds(1)));
  const Route route = mac_route("10.0.0.11:1", "02:00:00:00:00:aa", 100);
  for (auto rr : {kRr1, kRr2}) {
    auto updates = sent_to(out, rr);
    ASSERT_EQ(updates.size(), 1u);
    auto expected = vtep_attributes("10.0.0.11", {auto_rt(100), vxlan()});
    expected.mp_reach->nlri = nlri({route});
    EXPECT_EQ(updates[0].attributes, expected);  // no MAC Mobility at sequence 0
  }
  EXPECT_TRUE(out.import.empty());
  auto aged = ce.mac_removed(kLocalMac, at(seconds(300)));
  EXPECT_EQ(read_sent(aged, kRr1).withdrawn, std::vector{route});
  EXPECT_EQ(read_sent(aged, kRr2).withdrawn, std::vector{route});
  EXPECT_TRUE(ce.mac_removed(kLocalMac, at(seconds(301))).send.empty());
}

TEST_F(EvpnCe, ReceivedRoutesAreNotReflected) {
  auto out = from(kRr1, announce({kRemote}, reflected(kRr1, {auto_rt(100), vxlan()})));
  EXPECT_TRUE(out.send.empty());
  EXPECT_EQ(out.import.added, std::vector{remote(100, "02:00:00:00:00:01", "10.0.0.12")});
}

TEST_F(EvpnCe, WithdrawnByOneReflectorButStillCarriedByTheOtherChangesNothing) {
  from(kRr1, announce({kRemote}, reflected(kRr1, {auto_rt(100)})));
  auto second = from(kRr2, announce({kRemote}, reflected(kRr2, {auto_rt(100)})));
  EXPECT_TRUE(second.import.empty());
  auto first_gone = from(kRr1, withdraw({kRemote}));
  EXPECT_TRUE(first_gone.import.empty());
  EXPECT_EQ(ce.imports().macs(), std::vector{remote(100, "02:00:00:00:00:01", "10.0.0.12")});
  auto both_gone = from(kRr2, withdraw({kRemote}));
  EXPECT_EQ(both_gone.import.removed, (std::vector{MacKey{100, mac("02:00:00:00:00:01")}}));
}

TEST_F(EvpnCe, RoutesOfOtherRouteTargetsAreKeptButNotInstalled) {
  auto out = from(kRr1, announce({mac_route("10.0.0.12:9", "02:00:00:00:00:01", 300)},
                                 reflected(kRr1, {auto_rt(300)})));
  EXPECT_TRUE(out.import.empty());
  EXPECT_EQ(ce.routes({2, 300}).size(), 1u);
}

TEST_F(EvpnCe, Type3BuildsTheFloodList) {
  auto attrs = reflected(kRr1, {auto_rt(200), vxlan()});
  attrs.pmsi_tunnel = bgp::PmsiTunnel{0, 6, 200, address("10.0.0.12")};
  auto out = from(kRr1, announce({multicast_route("10.0.0.12:2", "10.0.0.12")}, attrs));
  EXPECT_EQ(out.import.flood_added, (std::vector{FloodMember{200, v4("10.0.0.12")}}));
  EXPECT_EQ(ce.imports().flood(), (std::vector{FloodMember{200, v4("10.0.0.12")}}));
}

TEST_F(EvpnCe, OurOwnRoutesComingBackAreDropped) {
  auto attrs = vtep_attributes("10.0.0.11", {auto_rt(100)});
  attrs.originator_id = v4("10.0.0.11");
  auto out = from(kRr1, announce({mac_route("10.0.0.11:1", "02:00:00:00:00:aa", 100)}, attrs));
  EXPECT_TRUE(out.notes.empty());  // routine with FRR: a debug line only
  EXPECT_EQ(out.debug_notes, std::vector<std::string>{"peer 10.0.0.1: 1 routes withdrawn: "
                                                      "ORIGINATOR_ID 10.0.0.11 is our router id "
                                                      "(RFC 4456 §8)"});
  EXPECT_EQ(ce.route_count(), 2u);  // our two type-3 routes only
}

TEST_F(EvpnCe, ShowViewsListPathsBestAndPeers) {
  from(kRr1, announce({kRemote}, reflected(kRr1, {auto_rt(100), sequence(2)})));
  from(kRr2, announce({kRemote}, reflected(kRr2, {auto_rt(100), sequence(2)})));
  auto type2 = ce.routes({2, std::nullopt});
  ASSERT_EQ(type2.size(), 1u);
  EXPECT_EQ(type2[0].key, key_of(kRemote));
  ASSERT_EQ(type2[0].paths.size(), 2u);
  // Equal but for the cluster list's content and the peer: 10.0.0.1 wins.
  EXPECT_EQ(type2[0].paths[type2[0].best].peer, v4(kRr1));
  EXPECT_EQ(type2[0].paths[0].sequence(), 2u);
  EXPECT_EQ(type2[0].paths[0].info->next_hop, v4("10.0.0.12"));
  EXPECT_EQ(ce.routes({3, std::nullopt}).size(), 2u);
  EXPECT_EQ(ce.routes({3, 200}).size(), 1u);
  EXPECT_EQ(ce.routes().size(), 3u);

  auto peers = ce.peers();
  ASSERT_EQ(peers.size(), 2u);
  EXPECT_EQ(peers[0].address, v4(kRr1));
  EXPECT_TRUE(peers[0].established);
  EXPECT_EQ(peers[0].paths, 1u);
  EXPECT_EQ(peers[0].stale, 0u);
  EXPECT_FALSE(peers[0].end_of_rib_received);
}

}  // namespace
}  // namespace nwbpf::evpn
