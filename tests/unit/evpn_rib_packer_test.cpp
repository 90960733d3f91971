// SPDX-License-Identifier: Apache-2.0
// Packing EVPN routes into UPDATEs: exact bytes of a small one (decoded
// back with the codecs), how many routes fit under 4096 octets, grouping
// by attributes, End-of-RIB last.
#include "bgp/message.h"
#include "evpn/update_packer.h"
#include "evpn_rib_test_support.h"

namespace nwbpf::evpn {
namespace {

using namespace test;

std::shared_ptr<const bgp::PathAttributes> ce_attributes() {
  return std::make_shared<const bgp::PathAttributes>(
      vtep_attributes("10.0.0.11", {auto_rt(100), vxlan()}));
}

size_t routes_in(const bgp::Update& update) {
  const auto& nlri = update.attributes.mp_reach ? update.attributes.mp_reach->nlri
                                                : update.attributes.mp_unreach->withdrawn;
  return decode(nlri).size();
}

// The number of routes in each UPDATE, and the size of the first encoded.
std::pair<std::vector<size_t>, size_t> shape(const std::vector<bgp::Update>& updates) {
  std::vector<size_t> counts;
  for (const auto& update : updates) counts.push_back(routes_in(update));
  return {counts, updates.empty() ? 0 : bgp::encode_message(updates[0], {}).size()};
}

TEST(EvpnUpdatePacker, OneType2RouteGoldenBytes) {
  UpdatePacker packer({});
  const auto route = mac_route("10.0.0.11:1", "02:00:00:00:00:01", 100);
  packer.announce(route, ce_attributes());
  auto updates = packer.take();
  ASSERT_EQ(updates.size(), 1u);
  const auto bytes = bgp::encode_message(updates[0], {});
  EXPECT_EQ(bytes, hex("ffffffffffffffffffffffffffffffff 0067 02"
                       "0000 0050"
                       // MP_REACH_NLRI first (RFC 7606 §5.1): L2VPN EVPN and the next hop,
                       "80 0e 2c 0019 46 04 0a00000b 00"
                       // a type-2 route: RD 10.0.0.11:1, ESI 0, tag 0, MAC, no IP, VNI 100
                       "02 21 0001 0a00000b 0001 00000000000000000000 00000000"
                       "30 020000000001 00 000064"
                       "40 01 01 00"                                    // ORIGIN IGP
                       "40 02 00"                                       // AS_PATH, empty (iBGP)
                       "40 05 04 00000064"                              // LOCAL_PREF 100
                       "c0 10 10 0002fde800000064 030c000000000008"));  // RT 65000:100, VXLAN
  auto decoded = bgp::decode_message(bytes, {});
  ASSERT_TRUE(std::holds_alternative<bgp::Message>(decoded));
  const auto& update = std::get<bgp::Update>(std::get<bgp::Message>(decoded));
  EXPECT_EQ(update, updates[0]);
  EXPECT_EQ(decode(update.attributes.mp_reach->nlri), std::vector<Route>{route});
}

TEST(EvpnUpdatePacker, AnnouncementsFillMessagesToTheLimit) {
  // 45 octets of attributes, 35 per route, one more length octet once
  // MP_REACH_NLRI passes 255: 19 + 4 + 46 + 115 * 35 = 4094 <= 4096.
  UpdatePacker packer({});
  const auto attributes = ce_attributes();
  for (uint32_t n = 0; n < 300; ++n) packer.announce(nth_mac("10.0.0.11:1", n), attributes);
  auto updates = packer.take();
  EXPECT_EQ(shape(updates), std::pair(std::vector<size_t>{115, 115, 70}, size_t(4094)));
  EXPECT_EQ(decode(updates[2].attributes.mp_reach->nlri).back(),
            Route(nth_mac("10.0.0.11:1", 299)));
  EXPECT_TRUE(packer.take().empty());
}

TEST(EvpnUpdatePacker, WithdrawalsFillMessagesToTheLimit) {
  // MP_UNREACH_NLRI alone: 19 + 4 + 4 + 3 + 116 * 35 = 4090.
  UpdatePacker packer({});
  for (uint32_t n = 0; n < 300; ++n) packer.withdraw(nth_mac("10.0.0.11:1", n));
  auto updates = packer.take();
  EXPECT_EQ(shape(updates), std::pair(std::vector<size_t>{116, 116, 68}, size_t(4090)));
  bgp::PathAttributes only;  // nothing but the withdrawals
  only.mp_unreach = updates[2].attributes.mp_unreach;
  EXPECT_EQ(updates[2].attributes, only);
}

TEST(EvpnUpdatePacker, WithdrawalsThenGroupsInFirstSeenOrderThenEndOfRib) {
  UpdatePacker packer({});
  const auto a = ce_attributes();
  auto b_attrs = vtep_attributes("10.0.0.11", {auto_rt(100), vxlan(), sequence(2)});
  const auto b = std::make_shared<const bgp::PathAttributes>(b_attrs);
  packer.end_of_rib();
  packer.announce(nth_mac("10.0.0.11:1", 1), a);
  packer.announce(nth_mac("10.0.0.11:1", 2), b);
  packer.announce(nth_mac("10.0.0.11:1", 3), a);
  packer.withdraw(nth_mac("10.0.0.11:1", 4));
  auto updates = packer.take();
  ASSERT_EQ(updates.size(), 4u);
  EXPECT_EQ(decode(updates[0].attributes.mp_unreach->withdrawn),
            std::vector<Route>{nth_mac("10.0.0.11:1", 4)});
  EXPECT_EQ(decode(updates[1].attributes.mp_reach->nlri),
            (std::vector<Route>{nth_mac("10.0.0.11:1", 1), nth_mac("10.0.0.11:1", 3)}));
  EXPECT_EQ(updates[1].attributes.ext_communities, a->ext_communities);
  EXPECT_EQ(decode(updates[2].attributes.mp_reach->nlri),
            std::vector<Route>{nth_mac("10.0.0.11:1", 2)});
  EXPECT_EQ(updates[2].attributes.ext_communities, b_attrs.ext_communities);
  EXPECT_EQ(bgp::end_of_rib_family(updates[3]), bgp::kL2vpnEvpn);
}

TEST(EvpnUpdatePacker, ARouteThatCannotBeEncodedThrows) {
  UpdatePacker packer({});
  auto route = nth_mac("10.0.0.11:1", 1);
  route.label1 = 0x1000000;
  EXPECT_THROW(packer.announce(route, ce_attributes()), bgp::EncodeError);
}

}  // namespace
}  // namespace nwbpf::evpn
