// SPDX-License-Identifier: Apache-2.0
// Reading a decoded UPDATE for the EVPN RIB: routes and their shared
// attributes, withdrawals, RFC 7606 treat-as-withdraw, loop prevention
// (RFC 4456 §8, RFC 4271 §9.1.2), End-of-RIB and undecodable NLRI.
#include "evpn/received.h"
#include "evpn_rib_test_support.h"

namespace nwbpf::evpn {
namespace {

using namespace test;

const Sender kRr{v4("10.0.0.1"), v4("10.0.0.1"), true};
const LoopPolicy kCe{kAs, v4("10.0.0.11"), std::nullopt};
const LoopPolicy kReflector{kAs, v4("10.0.0.1"), v4("10.0.0.1")};

Received read(const bgp::Update& update, const Sender& sender = kRr,
              const LoopPolicy& policy = kCe) {
  auto result = read_update(update, sender, policy);
  if (auto* error = std::get_if<bgp::Error>(&result)) {
    ADD_FAILURE() << error->text;
    return {};
  }
  return std::get<Received>(result);
}

TEST(EvpnReceived, RoutesShareOneDecodedPathInfo) {
  auto attrs = vtep_attributes("192.0.2.1", {auto_rt(100), vxlan(), sequence(3)});
  attrs.pmsi_tunnel = bgp::PmsiTunnel{0, 6, 100, address("192.0.2.1")};
  auto r = read(announce({mac_route("192.0.2.1:1", "02:00:00:00:00:01", 100),
                          multicast_route("192.0.2.1:1", "192.0.2.1")},
                         attrs));
  ASSERT_EQ(r.announced.size(), 2u);
  EXPECT_EQ(r.announced[0], Route(mac_route("192.0.2.1:1", "02:00:00:00:00:01", 100)));
  EXPECT_TRUE(r.withdrawn.empty());
  EXPECT_FALSE(r.rejected);
  ASSERT_TRUE(r.info);
  EXPECT_EQ(r.info->next_hop, v4("192.0.2.1"));
  EXPECT_EQ(r.info->sender_id, v4("10.0.0.1"));
  EXPECT_TRUE(r.info->internal);
  EXPECT_EQ(r.info->route_targets, std::vector{RouteTarget::automatic(kAs, 100)});
  EXPECT_EQ(r.info->mobility, (MacMobility{false, 3}));
  EXPECT_EQ(r.info->pmsi, PmsiTunnel::for_ingress_replication(100, v4("192.0.2.1")));
  // The NLRI is not kept twice; the rest is as received.
  EXPECT_TRUE(r.info->attributes.mp_reach->nlri.empty());
  EXPECT_EQ(r.info->attributes.mp_reach->next_hop, address("192.0.2.1"));
  EXPECT_EQ(r.info->attributes.ext_communities, attrs.ext_communities);
}

TEST(EvpnReceived, AnIpv6NextHopIsKeptButNotAVtep) {
  auto attrs = vtep_attributes("192.0.2.1", {auto_rt(100)});
  attrs.mp_reach->next_hop = wire::Bytes(16, 0x20);
  auto r = read(announce({mac_route("192.0.2.1:1", "02:00:00:00:00:01", 100)}, attrs));
  ASSERT_EQ(r.announced.size(), 1u);
  EXPECT_FALSE(r.info->next_hop);
}

TEST(EvpnReceived, MpUnreachWithdraws) {
  auto r = read(withdraw({mac_route("192.0.2.1:1", "02:00:00:00:00:01", 0)}));
  EXPECT_TRUE(r.announced.empty());
  EXPECT_EQ(r.withdrawn,
            std::vector<RouteKey>{key_of(mac_route("192.0.2.1:1", "02:00:00:00:00:01", 0))});
}

TEST(EvpnReceived, TreatAsWithdrawWithdrawsTheAnnouncedRoutes) {
  auto update = announce({mac_route("192.0.2.1:1", "02:00:00:00:00:01", 100)},
                         vtep_attributes("192.0.2.1", {auto_rt(100)}));
  update.action = bgp::UpdateAction::treat_as_withdraw;
  update.errors.push_back(bgp::Error{bgp::ErrorCode::update_message, 11, {}, 23, "AS_PATH: bad"});
  auto r = read(update);
  EXPECT_TRUE(r.announced.empty());
  EXPECT_EQ(r.withdrawn.size(), 1u);
  EXPECT_EQ(r.rejected, "treat-as-withdraw (RFC 7606): AS_PATH: bad");
  EXPECT_FALSE(r.looped);  // an error: worth an info line
}

TEST(EvpnReceived, LoopPreventionRejectsOurOwnRoutes) {
  auto routes = std::vector<Route>{mac_route("10.0.0.11:1", "02:00:00:00:00:01", 100)};
  auto attrs = vtep_attributes("10.0.0.11", {auto_rt(100)});
  attrs.originator_id = v4("10.0.0.11");
  auto r = read(announce(routes, attrs));
  EXPECT_TRUE(r.announced.empty());
  EXPECT_EQ(r.withdrawn, std::vector<RouteKey>{key_of(routes[0])});
  EXPECT_EQ(r.rejected, "ORIGINATOR_ID 10.0.0.11 is our router id (RFC 4456 §8)");
  EXPECT_TRUE(r.looped);

  attrs.originator_id = v4("10.0.0.12");
  attrs.cluster_list = {v4("10.0.0.2"), v4("10.0.0.1")};
  EXPECT_EQ(read(announce(routes, attrs), kRr, kReflector).rejected,
            "CLUSTER_LIST holds our cluster id 10.0.0.1 (RFC 4456 §8)");
  // A client (no cluster id) accepts it.
  EXPECT_FALSE(read(announce(routes, attrs)).rejected);

  attrs.cluster_list.clear();
  attrs.as_path = bgp::AsPath{{bgp::AsSegment::Type::as_sequence, {65100, kAs}}};
  const Sender external{v4("10.0.0.5"), v4("10.0.0.5"), false};
  EXPECT_EQ(read(announce(routes, attrs), external).rejected,
            "AS_PATH holds our AS 65000 (RFC 4271 §9.1.2)");
  EXPECT_FALSE(read(announce(routes, attrs)).rejected);  // internal: not checked
}

TEST(EvpnReceived, EndOfRibAndOtherFamilies) {
  EXPECT_TRUE(read(bgp::make_end_of_rib(bgp::kL2vpnEvpn)).end_of_rib);
  EXPECT_FALSE(read(bgp::make_end_of_rib(bgp::kIpv4Unicast)).end_of_rib);
  bgp::Update ipv4;
  ipv4.attributes.mp_reach =
      bgp::MpReach{bgp::kIpv4Unicast, address("192.0.2.1"), {0x18, 10, 0, 0}};
  auto r = read(ipv4);
  EXPECT_TRUE(r.announced.empty());
  EXPECT_TRUE(r.withdrawn.empty());
}

TEST(EvpnReceived, UndecodableNlriIsAnOptionalAttributeError) {
  auto attrs = vtep_attributes("192.0.2.1", {});
  attrs.mp_reach->nlri = hex("02 05 0000");
  bgp::Update update;
  update.attributes = attrs;
  auto result = read_update(update, kRr, kCe);
  ASSERT_TRUE(std::holds_alternative<bgp::Error>(result));
  const auto& error = std::get<bgp::Error>(result);
  EXPECT_EQ(error.code, bgp::ErrorCode::update_message);
  EXPECT_EQ(error.subcode, uint8_t(bgp::UpdateError::optional_attribute_error));
  EXPECT_EQ(error.data, hex("80 0e 0d 0019 46 04 c0000201 00 02050000"));
  EXPECT_EQ(error.text,
            "MP_REACH_NLRI: EVPN NLRI: EVPN type-2 route at offset 0: length 5 runs past the end "
            "(2 bytes left)");

  update = withdraw({});
  update.attributes.mp_unreach->withdrawn = hex("03");
  result = read_update(update, kRr, kCe);
  ASSERT_TRUE(std::holds_alternative<bgp::Error>(result));
  EXPECT_EQ(std::get<bgp::Error>(result).data, hex("80 0f 04 0019 46 03"));
  EXPECT_EQ(std::get<bgp::Error>(result).text,
            "MP_UNREACH_NLRI: EVPN NLRI: EVPN NLRI at offset 0: route header needs 2 bytes, 1 "
            "left");
}

}  // namespace
}  // namespace nwbpf::evpn
