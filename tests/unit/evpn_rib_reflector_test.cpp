// SPDX-License-Identifier: Apache-2.0
// The route-server role (RFC 4456): client routes reflected to every other
// client with ORIGINATOR_ID and CLUSTER_LIST, never back to their sender,
// loops dropped, the table dumped to a new client with End-of-RIB, and
// ROUTE-REFRESH answered.
#include "evpn_rib_test_support.h"

namespace nwbpf::evpn {
namespace {

using namespace test;
using std::chrono::seconds;

const char* kA = "192.0.2.11";  // client sessions; router ids 10.0.0.11..13
const char* kB = "192.0.2.12";
const char* kC = "192.0.2.13";

class EvpnReflector : public ::testing::Test {
 protected:
  Speaker rr{rr_config("10.0.0.1")};
  void SetUp() override {
    for (auto [peer, id] :
         {std::pair{kA, "10.0.0.11"}, std::pair{kB, "10.0.0.12"}, std::pair{kC, "10.0.0.13"}}) {
      auto out = rr.peer_up(v4(peer), session(id), at(seconds(0)));
      EXPECT_EQ(read_sent(out, peer).end_of_rib, 1u);  // empty table: End-of-RIB alone
      EXPECT_EQ(out.send.size(), 1u);
    }
  }
  SpeakerOutput from(const char* peer, const bgp::Update& update) {
    return ok(rr.receive(v4(peer), update, at(seconds(1))));
  }
};

const MacIpRoute kRoute = mac_route("10.0.0.11:1", "02:00:00:00:00:01", 100);

TEST_F(EvpnReflector, AClientRouteGoesToEveryOtherClientWithReflectorAttributes) {
  const auto attrs = vtep_attributes("10.0.0.11", {auto_rt(100), vxlan()});
  auto out = from(kA, announce({kRoute}, attrs));
  EXPECT_TRUE(sent_to(out, kA).empty());
  bgp::PathAttributes expected = attrs;
  expected.originator_id = v4("10.0.0.11");  // A's router id, not its address
  expected.cluster_list = {v4("10.0.0.1")};
  expected.mp_reach->nlri = nlri({kRoute});
  for (auto peer : {kB, kC}) {
    auto updates = sent_to(out, peer);
    ASSERT_EQ(updates.size(), 1u) << peer;
    EXPECT_EQ(updates[0].attributes, expected) << peer;
  }
  EXPECT_TRUE(out.import.empty());  // a route server installs nothing
}

TEST_F(EvpnReflector, AnOriginatorIdIsKeptAndTheClusterIdPrepended) {
  auto attrs = vtep_attributes("10.0.0.11", {auto_rt(100)});
  attrs.originator_id = v4("10.0.0.99");
  attrs.cluster_list = {v4("10.0.0.2")};
  auto out = from(kA, announce({kRoute}, attrs));
  auto updates = sent_to(out, kB);
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].attributes.originator_id, v4("10.0.0.99"));
  EXPECT_EQ(updates[0].attributes.cluster_list, (std::vector{v4("10.0.0.1"), v4("10.0.0.2")}));
}

TEST_F(EvpnReflector, ARouteThatLoopedIsDroppedAndReplacesTheOldOne) {
  auto attrs = vtep_attributes("10.0.0.11", {auto_rt(100)});
  from(kA, announce({kRoute}, attrs));
  attrs.cluster_list = {v4("10.0.0.1")};
  auto out = from(kA, announce({kRoute}, attrs));
  EXPECT_EQ(out.debug_notes, std::vector<std::string>{"peer 192.0.2.11: 1 routes withdrawn: "
                                                      "CLUSTER_LIST holds our cluster id 10.0.0.1 "
                                                      "(RFC 4456 §8)"});
  EXPECT_EQ(read_sent(out, kB).withdrawn, std::vector<Route>{kRoute});
  EXPECT_EQ(rr.route_count(), 0u);
}

TEST_F(EvpnReflector, WithdrawalsAreReflectedToo) {
  from(kA, announce({kRoute}, vtep_attributes("10.0.0.11", {auto_rt(100)})));
  auto out = from(kA, withdraw({kRoute}));
  EXPECT_TRUE(sent_to(out, kA).empty());
  EXPECT_EQ(read_sent(out, kB).withdrawn, std::vector<Route>{kRoute});
  EXPECT_EQ(read_sent(out, kC).withdrawn, std::vector<Route>{kRoute});
}

TEST_F(EvpnReflector, WhenTheBestMovesToAnotherClientItsSenderGetsAWithdrawal) {
  // A and B advertise one key (an anycast RD); A's path wins on router id.
  from(kA, announce({kRoute}, vtep_attributes("10.0.0.11", {auto_rt(100)})));
  auto b_out = from(kB, announce({kRoute}, vtep_attributes("10.0.0.12", {auto_rt(100)})));
  EXPECT_TRUE(b_out.send.empty());
  auto out = from(kA, withdraw({kRoute}));
  // B now holds the best path: A and C get B's, B (which had A's) a withdrawal.
  EXPECT_EQ(read_sent(out, kA).announced, std::vector<Route>{kRoute});
  EXPECT_EQ(sent_to(out, kA)[0].attributes.originator_id, v4("10.0.0.12"));
  EXPECT_EQ(read_sent(out, kC).announced, std::vector<Route>{kRoute});
  EXPECT_EQ(read_sent(out, kB).withdrawn, std::vector<Route>{kRoute});
  EXPECT_TRUE(read_sent(out, kB).announced.empty());
}

TEST_F(EvpnReflector, ANewClientGetsTheTableThenEndOfRibAndRefreshesGetItAgain) {
  from(kA, announce({kRoute}, vtep_attributes("10.0.0.11", {auto_rt(100)})));
  auto out = rr.peer_up(v4("192.0.2.14"), session("10.0.0.14"), at(seconds(2)));
  auto sent = read_sent(out, "192.0.2.14");
  EXPECT_EQ(sent.announced, std::vector<Route>{kRoute});
  EXPECT_EQ(sent.end_of_rib, 1u);
  EXPECT_EQ(bgp::end_of_rib_family(out.send.back().update), bgp::kL2vpnEvpn);
  // RFC 2918: the Adj-RIB-Out again, without End-of-RIB; A's own route is not in A's.
  auto refreshed = read_sent(rr.route_refresh(v4("192.0.2.14")), "192.0.2.14");
  EXPECT_EQ(refreshed.announced, std::vector<Route>{kRoute});
  EXPECT_EQ(refreshed.end_of_rib, 0u);
  EXPECT_TRUE(rr.route_refresh(v4(kA)).send.empty());
}

TEST_F(EvpnReflector, AClientGoingDownWithoutGracefulRestartIsWithdrawn) {
  from(kA, announce({kRoute}, vtep_attributes("10.0.0.11", {auto_rt(100)})));
  auto out = rr.peer_down(v4(kA), std::nullopt, at(seconds(3)));
  EXPECT_EQ(read_sent(out, kB).withdrawn, std::vector<Route>{kRoute});
  EXPECT_TRUE(sent_to(out, kA).empty());
  EXPECT_THROW(rr.receive(v4(kA), withdraw({kRoute}), at(seconds(4))), std::logic_error);
  EXPECT_THROW(rr.peer_up(v4(kB), session("10.0.0.12"), at(seconds(4))), std::logic_error);
  EXPECT_THROW(rr.peer_up(kLocalPeer, session("10.0.0.12"), at(seconds(4))), std::invalid_argument);
}

TEST_F(EvpnReflector, AnUndecodableNlriResetsTheSession) {
  auto attrs = vtep_attributes("10.0.0.11", {});
  attrs.mp_reach->nlri = hex("02 05 0000");
  bgp::Update update;
  update.attributes = attrs;
  auto result = rr.receive(v4(kA), update, at(seconds(1)));
  ASSERT_TRUE(std::holds_alternative<bgp::Error>(result));
  EXPECT_EQ(std::get<bgp::Error>(result).subcode,
            uint8_t(bgp::UpdateError::optional_attribute_error));
}

TEST_F(EvpnReflector, ExternalPeersGetOurAsAndNoInternalAttributes) {
  auto external = session("10.0.0.50");
  external.peer_as = 65100;
  external.internal = false;
  rr.peer_up(v4("198.51.100.50"), external, at(seconds(0)));
  auto attrs = vtep_attributes("10.0.0.11", {auto_rt(100)});
  attrs.med = 7;
  auto out = from(kA, announce({kRoute}, attrs));
  auto updates = sent_to(out, "198.51.100.50");
  ASSERT_EQ(updates.size(), 1u);
  const auto& sent = updates[0].attributes;
  EXPECT_EQ(sent.as_path, (bgp::AsPath{{bgp::AsSegment::Type::as_sequence, {kAs}}}));
  EXPECT_FALSE(sent.local_pref);
  EXPECT_FALSE(sent.originator_id);
  EXPECT_TRUE(sent.cluster_list.empty());
  EXPECT_EQ(sent.med, 7u);  // learned inside our AS: passed on
  EXPECT_EQ(sent.mp_reach->next_hop, address("10.0.0.11"));
}

}  // namespace
}  // namespace nwbpf::evpn
