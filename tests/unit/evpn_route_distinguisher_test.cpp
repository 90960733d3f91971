// SPDX-License-Identifier: Apache-2.0
// Route distinguisher (RFC 4364 §4.2) bytes and FRR's text forms.
#include <gtest/gtest.h>

#include <map>

#include "evpn/route_distinguisher.h"
#include "evpn_test_support.h"

namespace nwbpf::evpn {
namespace {

using test::hex;
using test::v4;

wire::Bytes bytes_of(const RouteDistinguisher& rd) { return {rd.bytes.begin(), rd.bytes.end()}; }

TEST(EvpnRouteDistinguisher, EachTypeHasItsLayoutAndText) {
  auto as2 = RouteDistinguisher::from_as2(65000, 100);
  EXPECT_EQ(bytes_of(as2), hex("0000 fde8 00000064"));
  EXPECT_EQ(as2.type(), RouteDistinguisher::as2);
  EXPECT_EQ(as2.str(), "65000:100");

  auto ip = RouteDistinguisher::from_ipv4(v4("10.0.0.1"), 3);
  EXPECT_EQ(bytes_of(ip), hex("0001 0a000001 0003"));
  EXPECT_EQ(ip.type(), RouteDistinguisher::ipv4);
  EXPECT_EQ(ip.str(), "10.0.0.1:3");

  auto as4 = RouteDistinguisher::from_as4(4200000000, 7);
  EXPECT_EQ(bytes_of(as4), hex("0002 fa56ea00 0007"));
  EXPECT_EQ(as4.type(), RouteDistinguisher::as4);
  EXPECT_EQ(as4.str(), "4200000000:7");
}

TEST(EvpnRouteDistinguisher, AutomaticIsRouterIdColonIndexLikeFrr) {
  auto rd = RouteDistinguisher::automatic(v4("192.0.2.7"), 2);
  EXPECT_EQ(bytes_of(rd), hex("0001 c0000207 0002"));
  EXPECT_EQ(rd.str(), "192.0.2.7:2");
}

TEST(EvpnRouteDistinguisher, ExtremesOfEachField) {
  EXPECT_EQ(RouteDistinguisher::from_as2(65535, 4294967295).str(), "65535:4294967295");
  EXPECT_EQ(RouteDistinguisher::from_as2(0, 0).str(), "0:0");
  EXPECT_EQ(RouteDistinguisher::from_ipv4(v4("255.255.255.255"), 65535).str(),
            "255.255.255.255:65535");
  EXPECT_EQ(RouteDistinguisher::from_as4(4294967295, 65535).str(), "4294967295:65535");
}

TEST(EvpnRouteDistinguisher, UnknownTypeIsShownAsHex) {
  RouteDistinguisher rd;
  auto b = hex("0003 0102030405 06");
  std::copy(b.begin(), b.end(), rd.bytes.begin());
  EXPECT_EQ(rd.type(), 3);
  EXPECT_EQ(rd.str(), "unknown:0003010203040506");
}

TEST(EvpnRouteDistinguisher, ParseRoundTripsEveryType) {
  for (const char* text : {"65000:100", "0:0", "65535:4294967295", "10.0.0.1:3", "0.0.0.0:65535",
                           "65536:0", "4200000000:7", "4294967295:65535"}) {
    auto rd = RouteDistinguisher::parse(text);
    ASSERT_TRUE(rd) << text << ": " << rd.error().message;
    EXPECT_EQ(rd.value().str(), text);
  }
}

TEST(EvpnRouteDistinguisher, ParseChoosesTheTypeByTheAdministratorLikeFrr) {
  EXPECT_EQ(RouteDistinguisher::parse("65535:70000").value().type(), RouteDistinguisher::as2);
  EXPECT_EQ(RouteDistinguisher::parse("65536:1").value().type(), RouteDistinguisher::as4);
  EXPECT_EQ(RouteDistinguisher::parse("10.0.0.1:1").value().type(), RouteDistinguisher::ipv4);
  EXPECT_EQ(RouteDistinguisher::parse("065000:0100").value(),
            RouteDistinguisher::from_as2(65000, 100));
}

TEST(EvpnRouteDistinguisher, ParseErrorsSayWhatIsWrong) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", "route distinguisher '': expected ADMIN:NUMBER (AS:number or IPv4:number)"},
      {"65000", "route distinguisher '65000': expected ADMIN:NUMBER (AS:number or IPv4:number)"},
      {"1:2:3", "route distinguisher '1:2:3': expected ADMIN:NUMBER (AS:number or IPv4:number)"},
      {"65000:", "route distinguisher '65000:': '' is not a decimal number"},
      {"65000:-1", "route distinguisher '65000:-1': '-1' is not a decimal number"},
      {"65000: 1", "route distinguisher '65000: 1': ' 1' is not a decimal number"},
      {"as1:1", "route distinguisher 'as1:1': 'as1' is not an AS number or IPv4 address"},
      {":1", "route distinguisher ':1': '' is not an AS number or IPv4 address"},
      {"10.0.0:1", "route distinguisher '10.0.0:1': '10.0.0' is not an IPv4 address"},
      {"10.0.0.256:1", "route distinguisher '10.0.0.256:1': '10.0.0.256' is not an IPv4 address"},
      {"10.0.0.1:65536",
       "route distinguisher '10.0.0.1:65536': number 65536 is out of range for an IPv4 "
       "administrator "
       "(0..65535)"},
      {"65000:4294967296",
       "route distinguisher '65000:4294967296': number 4294967296 is out of range for a 2-byte AS "
       "(0..4294967295)"},
      {"65536:65536",
       "route distinguisher '65536:65536': number 65536 is out of range for a 4-byte AS "
       "(0..65535)"},
      {"4294967296:1",
       "route distinguisher '4294967296:1': AS 4294967296 is out of range (0..4294967295)"},
      {"99999999999999999999999:1",
       "route distinguisher '99999999999999999999999:1': AS 99999999999999999999999 is out of "
       "range "
       "(0..4294967295)"},
  };
  for (const auto& c : cases) {
    auto rd = RouteDistinguisher::parse(c.text);
    ASSERT_FALSE(rd) << c.text;
    EXPECT_EQ(rd.error().code, Errc::bad_text);
    EXPECT_EQ(rd.error().message, c.message);
  }
}

TEST(EvpnRouteDistinguisher, OrdersAsItsBytesForUseAsAMapKey) {
  std::map<RouteDistinguisher, int> m;
  m[RouteDistinguisher::from_ipv4(v4("10.0.0.2"), 1)] = 3;
  m[RouteDistinguisher::from_as2(65000, 2)] = 2;
  m[RouteDistinguisher::from_as2(65000, 1)] = 1;
  std::vector<int> order;
  for (const auto& [rd, v] : m) order.push_back(v);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

}  // namespace
}  // namespace nwbpf::evpn
