// SPDX-License-Identifier: Apache-2.0
// EVPN NLRI (RFC 7432 §7, RFC 9136 §3.1): every route type decoded from and
// encoded to exact bytes, lists with unknown types, withdrawals.
#include <gtest/gtest.h>

#include "evpn/nlri.h"
#include "evpn/route_text.h"
#include "evpn_test_support.h"

namespace nwbpf::evpn {
namespace {

using test::decode;
using test::encode;
using test::hex;
using test::mac;
using test::v4;
using test::v6;

const auto rd = RouteDistinguisher::from_ipv4(v4("10.0.0.1"), 2);
const auto rd_bytes = "0001 0a000001 0002";
const auto zero_esi = "00000000000000000000";
// ESI type 3 (MAC based): system MAC aa:bb:cc:dd:ee:ff, discriminator 100.
const Esi mac_esi = Esi::parse("03:aa:bb:cc:dd:ee:ff:00:00:64").value();
const auto mac_esi_bytes = "03 aabbccddeeff 000064";

std::string cat(std::initializer_list<std::string> parts) {
  std::string s;
  for (const auto& p : parts) s += p + " ";
  return s;
}

// Decodes as the only route of a list, encodes back to the same bytes and
// has the expected text.
void expect_golden(const Route& route, const wire::Bytes& bytes, const std::string& text) {
  auto routes = decode(bytes);
  ASSERT_EQ(routes.size(), 1u);
  EXPECT_EQ(routes[0], route);
  EXPECT_EQ(encode(route), bytes);
  EXPECT_EQ(to_string(route), text);
}

TEST(EvpnNlri, Type1EthernetAutoDiscoveryPerEs) {
  EthernetAdRoute route{{rd, mac_esi, 0xffffffff}, 0};
  expect_golden(route, hex(cat({"01 19", rd_bytes, mac_esi_bytes, "ffffffff", "000000"})),
                "[1]:[4294967295]:[03:aa:bb:cc:dd:ee:ff:00:00:64]:[32]:[0.0.0.0]:[0]");
}

TEST(EvpnNlri, Type2MacOnly) {
  MacIpRoute route{{rd, 0, mac("aa:bb:cc:dd:ee:ff"), std::nullopt}, Esi{}, 100, std::nullopt};
  expect_golden(route,
                hex(cat({"02 21", rd_bytes, zero_esi, "00000000 30 aabbccddeeff 00 000064"})),
                "[2]:[0]:[48]:[aa:bb:cc:dd:ee:ff]");
}

TEST(EvpnNlri, Type2MacOnlyWithTwoLabels) {
  MacIpRoute route{{rd, 0, mac("aa:bb:cc:dd:ee:ff"), std::nullopt}, Esi{}, 100, 5000};
  expect_golden(
      route, hex(cat({"02 24", rd_bytes, zero_esi, "00000000 30 aabbccddeeff 00 000064 001388"})),
      "[2]:[0]:[48]:[aa:bb:cc:dd:ee:ff]");
}

TEST(EvpnNlri, Type2MacAndIpv4) {
  MacIpRoute route{{rd, 0, mac("aa:bb:cc:dd:ee:ff"), v4("10.0.0.1")}, Esi{}, 100, std::nullopt};
  expect_golden(
      route, hex(cat({"02 25", rd_bytes, zero_esi, "00000000 30 aabbccddeeff 20 0a000001 000064"})),
      "[2]:[0]:[48]:[aa:bb:cc:dd:ee:ff]:[32]:[10.0.0.1]");
}

TEST(EvpnNlri, Type2MacAndIpv4WithTwoLabels) {
  MacIpRoute route{{rd, 7, mac("aa:bb:cc:dd:ee:ff"), v4("10.0.0.1")}, mac_esi, 100, 5000};
  expect_golden(route,
                hex(cat({"02 28", rd_bytes, mac_esi_bytes,
                         "00000007 30 aabbccddeeff 20 0a000001 000064 001388"})),
                "[2]:[7]:[48]:[aa:bb:cc:dd:ee:ff]:[32]:[10.0.0.1]");
}

TEST(EvpnNlri, Type2MacAndIpv6) {
  MacIpRoute route{{rd, 0, mac("02:00:00:00:00:01"), v6("2001:db8::1")}, Esi{}, 100, std::nullopt};
  expect_golden(route,
                hex(cat({"02 31", rd_bytes, zero_esi,
                         "00000000 30 020000000001 80 20010db8000000000000000000000001 000064"})),
                "[2]:[0]:[48]:[02:00:00:00:00:01]:[128]:[2001:db8::1]");
}

TEST(EvpnNlri, Type2MacAndIpv6WithTwoLabels) {
  MacIpRoute route{{rd, 0, mac("02:00:00:00:00:01"), v6("2001:db8::1")}, Esi{}, 100, 0xffffff};
  expect_golden(
      route,
      hex(cat({"02 34", rd_bytes, zero_esi,
               "00000000 30 020000000001 80 20010db8000000000000000000000001 000064 ffffff"})),
      "[2]:[0]:[48]:[02:00:00:00:00:01]:[128]:[2001:db8::1]");
}

TEST(EvpnNlri, Type3InclusiveMulticastIpv4AndIpv6) {
  expect_golden(InclusiveMulticastRoute{{rd, 0, v4("10.0.0.2")}},
                hex(cat({"03 11", rd_bytes, "00000000 20 0a000002"})), "[3]:[0]:[32]:[10.0.0.2]");
  expect_golden(InclusiveMulticastRoute{{rd, 5, v6("2001:db8::2")}},
                hex(cat({"03 1d", rd_bytes, "00000005 80 20010db8000000000000000000000002"})),
                "[3]:[5]:[128]:[2001:db8::2]");
}

TEST(EvpnNlri, Type4EthernetSegmentIpv4AndIpv6) {
  expect_golden(EthernetSegmentRoute{{rd, mac_esi, v4("10.0.0.1")}},
                hex(cat({"04 17", rd_bytes, mac_esi_bytes, "20 0a000001"})),
                "[4]:[03:aa:bb:cc:dd:ee:ff:00:00:64]:[32]:[10.0.0.1]");
  expect_golden(EthernetSegmentRoute{{rd, mac_esi, v6("2001:db8::1")}},
                hex(cat({"04 23", rd_bytes, mac_esi_bytes, "80 20010db8000000000000000000000001"})),
                "[4]:[03:aa:bb:cc:dd:ee:ff:00:00:64]:[128]:[2001:db8::1]");
}

TEST(EvpnNlri, Type5IpPrefixIpv4Is34Bytes) {
  IpPrefixRoute route{{rd, 0, 24, v4("10.1.1.0")}, Esi{}, v4("10.0.0.1"), 5000};
  expect_golden(route,
                hex(cat({"05 22", rd_bytes, zero_esi, "00000000 18 0a010100 0a000001 001388"})),
                "[5]:[0]:[24]:[10.1.1.0]");
}

TEST(EvpnNlri, Type5IpPrefixIpv6Is58Bytes) {
  IpPrefixRoute route{{rd, 0, 64, v6("2001:db8:1::")}, Esi{}, v6("::"), 5000};
  expect_golden(
      route,
      hex(cat({"05 3a", rd_bytes, zero_esi, "00000000 40 20010db8000100000000000000000000",
               "00000000000000000000000000000000 001388"})),
      "[5]:[0]:[64]:[2001:db8:1::]");
}

TEST(EvpnNlri, UnknownTypesAreSkippedByLengthAndKept) {
  auto bytes = hex(cat({"09 03 010203", "03 11", rd_bytes, "00000000 20 0a000002", "00 00"}));
  auto routes = decode(bytes);
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0], Route(UnknownRoute{{9, {1, 2, 3}}}));
  EXPECT_EQ(routes[1], Route(InclusiveMulticastRoute{{rd, 0, v4("10.0.0.2")}}));
  EXPECT_EQ(routes[2], Route(UnknownRoute{{0, {}}}));
  EXPECT_EQ(route_type(routes[0]), 9);
  EXPECT_EQ(route_type(routes[1]), inclusive_multicast);
  EXPECT_EQ(to_string(routes[0]), "[9]:[unknown]:[010203]");
  EXPECT_EQ(to_string(routes[2]), "[0]:[unknown]:[]");
  wire::Bytes again;
  for (const auto& r : routes) ASSERT_TRUE(encode_route(r, again));
  EXPECT_EQ(again, bytes);
}

TEST(EvpnNlri, AnEmptyListIsValid) {
  // An MP_UNREACH_NLRI with no routes is the EVPN End-of-RIB (RFC 4724 §2).
  auto routes = decode_routes({});
  ASSERT_TRUE(routes);
  EXPECT_TRUE(routes.value().empty());
}

TEST(EvpnNlri, WithdrawalsDecodeWhateverTheLabelsHold) {
  // RFC 7432 §7.2: the label fields of a withdrawn route are ignored; the
  // key is what the RIB withdraws by.
  auto withdrawn =
      decode(hex(cat({"02 24", rd_bytes, zero_esi, "00000000 30 aabbccddeeff 00 ffffff 000000"})));
  ASSERT_EQ(withdrawn.size(), 1u);
  const auto& r = std::get<MacIpRoute>(withdrawn[0]);
  EXPECT_EQ(r.label1, 0xffffffu);
  EXPECT_EQ(r.label2, 0u);
  MacIpRoute advertised{
      {rd, 0, mac("aa:bb:cc:dd:ee:ff"), std::nullopt}, mac_esi, 100, std::nullopt};
  EXPECT_EQ(key_of(withdrawn[0]), key_of(Route(advertised)));
}

// Bytes GoBGP 3.10 (Debian bookworm gobgpd) put in its RIB for routes added
// with its CLI, read back from its MRT table dump (RIB_GENERIC entries), e.g.
//   gobgp global rib -a evpn add macadv aa:bb:cc:dd:ee:ff 10.1.1.1 etag 0
//     label 100 rd 10.0.0.1:2 rt 65000:100 encap vxlan nexthop 10.0.0.1
// "label 100" is on the wire as 00 00 64: the whole field, as we read a VNI.
TEST(EvpnNlri, BytesFromGoBgpDecodeAndEncodeBackExactly) {
  struct Capture {
    const char* command;  // after "gobgp global rib -a evpn add"
    const char* bytes;
    const char* text;
  };
  const Capture captures[] = {
      {"macadv aa:bb:cc:dd:ee:ff 0.0.0.0 etag 0 label 100 rd 10.0.0.1:2",
       "02 21 0001 0a000001 0002 00000000000000000000 00000000 30 aabbccddeeff 00 000064",
       "[2]:[0]:[48]:[aa:bb:cc:dd:ee:ff]"},
      {"macadv aa:bb:cc:dd:ee:ff 10.1.1.1 etag 0 label 100 rd 10.0.0.1:2",
       "02 25 0001 0a000001 0002 00000000000000000000 00000000 30 aabbccddeeff 20 0a010101 000064",
       "[2]:[0]:[48]:[aa:bb:cc:dd:ee:ff]:[32]:[10.1.1.1]"},
      {"macadv 02:00:00:00:00:01 2001:db8::1 etag 0 label 100 rd 10.0.0.1:2",
       "02 31 0001 0a000001 0002 00000000000000000000 00000000 30 020000000001 "
       "80 20010db8000000000000000000000001 000064",
       "[2]:[0]:[48]:[02:00:00:00:00:01]:[128]:[2001:db8::1]"},
      {"multicast 10.0.0.1 etag 0 rd 10.0.0.1:2", "03 11 0001 0a000001 0002 00000000 20 0a000001",
       "[3]:[0]:[32]:[10.0.0.1]"},
      {"multicast 2001:db8::2 etag 0 rd 10.0.0.1:2",
       "03 1d 0001 0a000001 0002 00000000 80 20010db8000000000000000000000002",
       "[3]:[0]:[128]:[2001:db8::2]"},
      {"a-d esi MAC aa:bb:cc:dd:ee:ff 100 etag 4294967295 label 0 rd 10.0.0.1:3",
       "01 19 0001 0a000001 0003 03aabbccddeeff000064 ffffffff 000000",
       "[1]:[4294967295]:[03:aa:bb:cc:dd:ee:ff:00:00:64]:[32]:[0.0.0.0]:[0]"},
      {"esi 10.0.0.1 esi MAC aa:bb:cc:dd:ee:ff 100 rd 10.0.0.1:4",
       "04 17 0001 0a000001 0004 03aabbccddeeff000064 20 0a000001",
       "[4]:[03:aa:bb:cc:dd:ee:ff:00:00:64]:[32]:[10.0.0.1]"},
      {"prefix 10.1.1.0/24 gw 10.0.0.1 etag 0 label 5000 rd 10.0.0.1:5",
       "05 22 0001 0a000001 0005 00000000000000000000 00000000 18 0a010100 0a000001 001388",
       "[5]:[0]:[24]:[10.1.1.0]"},
  };
  for (const auto& c : captures) {
    SCOPED_TRACE(c.command);
    auto bytes = hex(c.bytes);
    auto routes = decode(bytes);
    ASSERT_EQ(routes.size(), 1u);
    EXPECT_EQ(to_string(routes[0]), c.text);
    EXPECT_EQ(encode(routes[0]), bytes);
  }
  auto mac_ip = decode(hex(captures[1].bytes));
  EXPECT_EQ(std::get<MacIpRoute>(mac_ip[0]).label1, 100u);
  auto prefix = decode(hex(captures[7].bytes));
  EXPECT_EQ(std::get<IpPrefixRoute>(prefix[0]).label, 5000u);
  EXPECT_EQ(std::get<IpPrefixRoute>(prefix[0]).gateway, IpAddress(v4("10.0.0.1")));
}

TEST(EvpnNlri, ErrorOffsetsCountFromTheCallersBase) {
  auto bytes = hex(cat({"02 21", rd_bytes, zero_esi, "00000000 2f aabbccddeeff 00 000064"}));
  auto routes = decode_routes(bytes, 100);
  ASSERT_FALSE(routes);
  EXPECT_EQ(routes.error().code, Errc::bad_mac_length);
  EXPECT_EQ(routes.error().offset, 124u);
  EXPECT_EQ(routes.error().message,
            "EVPN type-2 route at offset 100: MAC address length 47 at offset 124 is not 48");
}

}  // namespace
}  // namespace nwbpf::evpn
