// SPDX-License-Identifier: Apache-2.0
// Route keys (RFC 7432 §7: the fields "part of the prefix for BGP route key
// processing", with the RD) as std::map keys for the RIB, and their text.
#include <gtest/gtest.h>

#include <map>

#include "evpn/route_text.h"
#include "evpn/route_types.h"
#include "evpn_test_support.h"

namespace nwbpf::evpn {
namespace {

using test::mac;
using test::v4;
using test::v6;

const auto rd1 = RouteDistinguisher::from_ipv4(v4("10.0.0.1"), 2);
const auto rd2 = RouteDistinguisher::from_ipv4(v4("10.0.0.2"), 2);
const Esi esi = Esi::parse("03:aa:bb:cc:dd:ee:ff:00:00:64").value();

TEST(EvpnRouteKey, Type2KeyLeavesOutEsiAndLabels) {
  MacIpRoute a{{rd1, 0, mac("aa:bb:cc:dd:ee:ff"), std::nullopt}, Esi{}, 100, std::nullopt};
  MacIpRoute b{{rd1, 0, mac("aa:bb:cc:dd:ee:ff"), std::nullopt}, esi, 200, 5000};
  EXPECT_EQ(key_of(a), key_of(b));
  auto with_ip = a;
  with_ip.key.ip = v4("10.1.1.1");
  EXPECT_NE(key_of(a), key_of(with_ip));
  auto other_rd = a;
  other_rd.key.rd = rd2;
  EXPECT_NE(key_of(a), key_of(other_rd));
}

TEST(EvpnRouteKey, Type1And5KeysLeaveOutTheirAttributes) {
  EXPECT_EQ(key_of(EthernetAdRoute{{rd1, esi, 0}, 1}), key_of(EthernetAdRoute{{rd1, esi, 0}, 2}));
  IpPrefixRoute p{{rd1, 0, 24, v4("10.1.1.0")}, Esi{}, v4("10.0.0.1"), 5000};
  IpPrefixRoute q{{rd1, 0, 24, v4("10.1.1.0")}, esi, v4("10.0.0.9"), 6000};
  EXPECT_EQ(key_of(p), key_of(q));
  q.key.prefix_length = 25;
  EXPECT_NE(key_of(p), key_of(q));
}

TEST(EvpnRouteKey, AMapHoldsOneEntryPerKeyInAStableOrder) {
  std::map<RouteKey, std::string> rib;
  auto put = [&](const Route& r) { rib[key_of(r)] = to_string(r); };
  put(InclusiveMulticastRoute{{rd2, 0, v4("10.0.0.2")}});
  put(MacIpRoute{{rd1, 0, mac("aa:bb:cc:dd:ee:ff"), v4("10.1.1.1")}, Esi{}, 100, std::nullopt});
  put(MacIpRoute{{rd1, 0, mac("aa:bb:cc:dd:ee:ff"), std::nullopt}, Esi{}, 100, std::nullopt});
  put(MacIpRoute{
      {rd1, 0, mac("aa:bb:cc:dd:ee:ff"), std::nullopt}, esi, 7, std::nullopt});  // replaces
  put(InclusiveMulticastRoute{{rd1, 0, v6("2001:db8::1")}});
  put(InclusiveMulticastRoute{{rd1, 0, v4("10.0.0.1")}});
  put(UnknownRoute{{9, {1}}});
  std::vector<std::string> order;
  for (const auto& [key, text] : rib) order.push_back(text);
  EXPECT_EQ(order, (std::vector<std::string>{
                       // Type 2 before type 3 before unknown; no IP before an IP; IPv4 before IPv6.
                       "[2]:[0]:[48]:[aa:bb:cc:dd:ee:ff]",
                       "[2]:[0]:[48]:[aa:bb:cc:dd:ee:ff]:[32]:[10.1.1.1]",
                       "[3]:[0]:[32]:[10.0.0.1]",
                       "[3]:[0]:[128]:[2001:db8::1]",
                       "[3]:[0]:[32]:[10.0.0.2]",
                       "[9]:[unknown]:[01]",
                   }));
}

TEST(EvpnRouteKey, RouteTypeOfEachKind) {
  EXPECT_EQ(route_type(Route(EthernetAdRoute{})), ethernet_auto_discovery);
  EXPECT_EQ(route_type(Route(MacIpRoute{})), mac_ip_advertisement);
  EXPECT_EQ(route_type(Route(InclusiveMulticastRoute{})), inclusive_multicast);
  EXPECT_EQ(route_type(Route(EthernetSegmentRoute{})), ethernet_segment);
  EXPECT_EQ(route_type(Route(IpPrefixRoute{})), ip_prefix);
  EXPECT_EQ(route_type(Route(UnknownRoute{{42, {}}})), 42);
  EXPECT_EQ(route_type(RouteKey(MacIpKey{})), mac_ip_advertisement);
  EXPECT_EQ(route_type(RouteKey(UnknownRouteKey{42, {}})), 42);
}

TEST(EvpnRouteKey, EthernetTagIsShownUnsigned) {
  // FRR prints types 2, 3 and 5 tags with %d (4294967295 as -1).
  EXPECT_EQ(to_string(RouteKey(InclusiveMulticastKey{rd1, 0xffffffff, v4("10.0.0.1")})),
            "[3]:[4294967295]:[32]:[10.0.0.1]");
  EXPECT_EQ(to_string(RouteKey(MacIpKey{rd1, 100, mac("aa:bb:cc:dd:ee:ff"), std::nullopt})),
            "[2]:[100]:[48]:[aa:bb:cc:dd:ee:ff]");
}

}  // namespace
}  // namespace nwbpf::evpn
