// SPDX-License-Identifier: Apache-2.0
// Malformed EVPN NLRI: truncation at every byte and every field, wrong
// lengths, wrong MAC/IP/prefix lengths; each fails the whole list with its
// code, offset and text (RFC 7606 §5.4). And values encode refuses.
#include <gtest/gtest.h>

#include "evpn/nlri.h"
#include "evpn_test_support.h"

namespace nwbpf::evpn {
namespace {

using test::hex;
using test::v4;
using test::v6;

// Type 2 with an IPv4 address (37 bytes of value), type 3 (17), type 5 (34).
const wire::Bytes type2 = hex(
    "02 25 0001 0a000001 0002 00000000000000000000 00000000 30 aabbccddeeff 20 0a000001 000064");
const wire::Bytes type3 = hex("03 11 0001 0a000001 0002 00000000 20 0a000002");
const wire::Bytes type5 =
    hex("05 22 0001 0a000001 0002 00000000000000000000 00000000 18 0a010100 0a000001 001388");

wire::Bytes join(std::initializer_list<wire::Bytes> parts) {
  wire::Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// The route's first `length` bytes of value, with its length octet saying so.
wire::Bytes cut_to(const wire::Bytes& route, size_t length) {
  wire::Bytes out(route.begin(), route.begin() + 2 + length);
  out[1] = uint8_t(length);
  return out;
}

// Decoding `bytes` fails the whole list with this code, offset and text.
void expect_error(const wire::Bytes& bytes, Errc code, size_t offset, const std::string& message) {
  auto routes = decode_routes(bytes);
  ASSERT_FALSE(routes) << "decoded " << routes.value().size() << " routes";
  EXPECT_EQ(routes.error().code, code);
  EXPECT_EQ(routes.error().offset, offset);
  EXPECT_EQ(routes.error().message, message);
}

// `route` with byte `at` set to `value`.
wire::Bytes with_byte(wire::Bytes route, size_t at, uint8_t value) {
  route[at] = value;
  return route;
}

std::string type2_error(const std::string& detail) {
  return "EVPN type-2 route at offset 0: " + detail;
}

TEST(EvpnNlriErrors, EveryPrefixOfAListFailsUnlessItEndsOnARoute) {
  auto list = join({type2, type3, type5});
  const size_t starts[] = {0, type2.size(), type2.size() + type3.size()};
  for (size_t n = 0; n < list.size(); ++n) {
    SCOPED_TRACE(n);
    auto routes = decode_routes(std::span(list).first(n));
    // Routes that end at or before n; the one cut, if any, starts at the last of them.
    size_t whole =
        std::upper_bound(std::begin(starts), std::end(starts), n) - std::begin(starts) - 1;
    if (n == starts[whole]) {
      ASSERT_TRUE(routes) << routes.error().message;
      EXPECT_EQ(routes.value().size(), whole);
    } else {
      ASSERT_FALSE(routes);
      EXPECT_EQ(routes.error().code, Errc::truncated);
      EXPECT_EQ(routes.error().offset, starts[whole]);
    }
  }
  ASSERT_TRUE(decode_routes(list));
}

TEST(EvpnNlriErrors, TruncationTextsNameTheRouteAndWhatIsLeft) {
  expect_error(hex("02"), Errc::truncated, 0,
               "EVPN NLRI at offset 0: route header needs 2 bytes, 1 left");
  expect_error(join({type3, hex("02")}), Errc::truncated, 19,
               "EVPN NLRI at offset 19: route header needs 2 bytes, 1 left");
  expect_error(wire::Bytes(type2.begin(), type2.begin() + 30), Errc::truncated, 0,
               "EVPN type-2 route at offset 0: length 37 runs past the end (28 bytes left)");
  // An unknown type is skipped by its length, which must still fit.
  expect_error(hex("09 04 010203"), Errc::truncated, 0,
               "EVPN type-9 route at offset 0: length 4 runs past the end (3 bytes left)");
}

TEST(EvpnNlriErrors, Type2CutAtEveryFieldIsAWrongLength) {
  // Shorter lengths that are type-2 lengths (33, 36) disagree with the IP
  // length the route carries; every other one is not a type-2 length.
  for (size_t length = 0; length < 37; ++length) {
    SCOPED_TRACE(length);
    auto n = std::to_string(length);
    if (length == 33 || length == 36)
      expect_error(cut_to(type2, length), Errc::bad_ip_length, 31,
                   type2_error("IP address length 32 at offset 31 does not match route length " +
                               n + " (37 or 40 with that IP)"));
    else
      expect_error(cut_to(type2, length), Errc::bad_length, 0,
                   type2_error("length " + n + " is not 33, 36, 37, 40, 49 or 52"));
  }
}

TEST(EvpnNlriErrors, FixedLengthTypesCutAtEveryFieldOrTooLong) {
  struct Case {
    wire::Bytes route;
    std::string lengths;
  };
  const Case cases[] = {
      {hex("01 19 0001 0a000001 0003 03aabbccddeeff000064 ffffffff 000000"), "25"},
      {type3, "17 or 29"},
      {hex("04 17 0001 0a000001 0004 03aabbccddeeff000064 20 0a000001"), "23 or 35"},
      {type5, "34 or 58"},
  };
  for (const auto& c : cases) {
    size_t full = c.route[1];
    for (size_t length = 0; length <= full + 1; ++length) {
      if (length == full) continue;
      SCOPED_TRACE(length);
      auto route = length < full ? cut_to(c.route, length) : join({c.route, hex("00")});
      route[1] = uint8_t(length);
      expect_error(route, Errc::bad_length, 0,
                   "EVPN type-" + std::to_string(c.route[0]) + " route at offset 0: length " +
                       std::to_string(length) + " is not " + c.lengths);
    }
  }
}

TEST(EvpnNlriErrors, Type2MacLengthMustBe48) {
  for (uint8_t bits : {0, 47, 49, 0xff})
    expect_error(
        with_byte(type2, 24, bits), Errc::bad_mac_length, 24,
        type2_error("MAC address length " + std::to_string(bits) + " at offset 24 is not 48"));
}

TEST(EvpnNlriErrors, Type2IpLengthMustBe0Or32Or128AndFitTheRoute) {
  for (uint8_t bits : {1, 24, 31, 33, 64, 127, 129, 0xff})
    expect_error(with_byte(type2, 31, bits), Errc::bad_ip_length, 31,
                 type2_error("IP address length " + std::to_string(bits) +
                             " at offset 31 is not 0, 32 or 128"));
  expect_error(with_byte(type2, 31, 128), Errc::bad_ip_length, 31,
               type2_error("IP address length 128 at offset 31 does not match route length 37 "
                           "(49 or 52 with that IP)"));
  expect_error(with_byte(type2, 31, 0), Errc::bad_ip_length, 31,
               type2_error("IP address length 0 at offset 31 does not match route length 37 "
                           "(33 or 36 with that IP)"));
}

TEST(EvpnNlriErrors, OriginatorLengthMustMatchTheRouteLength) {
  expect_error(with_byte(type3, 14, 128), Errc::bad_ip_length, 14,
               "EVPN type-3 route at offset 0: IP address length 128 at offset 14 is not 32 "
               "(route length 17)");
  expect_error(
      hex("04 23 0001 0a000001 0004 03aabbccddeeff000064 20 20010db8000000000000000000000001"),
      Errc::bad_ip_length, 20,
      "EVPN type-4 route at offset 0: IP address length 32 at offset 20 is not 128 "
      "(route length 35)");
}

TEST(EvpnNlriErrors, Type5PrefixLengthMustFitItsFamily) {
  expect_error(with_byte(type5, 24, 33), Errc::bad_prefix_length, 24,
               "EVPN type-5 route at offset 0: IP prefix length 33 at offset 24 is longer than 32");
  EXPECT_TRUE(decode_routes(with_byte(type5, 24, 32)));
}

TEST(EvpnNlriErrors, OneBadRouteFailsTheWholeList) {
  expect_error(join({type2, with_byte(type3, 14, 24), type5}), Errc::bad_ip_length,
               type2.size() + 14,
               "EVPN type-3 route at offset 39: IP address length 24 at offset 53 is not 32 "
               "(route length 17)");
}

TEST(EvpnNlriErrors, EncodeRefusesValuesThatDoNotFitAndLeavesTheOutputAlone) {
  const auto rd = RouteDistinguisher::from_as2(65000, 1);
  struct Case {
    Route route;
    const char* message;
  };
  const Case cases[] = {
      {EthernetAdRoute{{rd, Esi{}, 0}, 0x1000000},
       "EVPN type-1 route: label 16777216 does not fit in 3 bytes"},
      {MacIpRoute{{rd, 0, Mac{}, std::nullopt}, Esi{}, 0x1000000, std::nullopt},
       "EVPN type-2 route: label1 16777216 does not fit in 3 bytes"},
      {MacIpRoute{{rd, 0, Mac{}, std::nullopt}, Esi{}, 1, 0xffffffff},
       "EVPN type-2 route: label2 4294967295 does not fit in 3 bytes"},
      {IpPrefixRoute{{rd, 0, 33, v4("10.0.0.0")}, Esi{}, v4("0.0.0.0"), 1},
       "EVPN type-5 route: prefix length 33 is longer than 32"},
      {IpPrefixRoute{{rd, 0, 24, v4("10.0.0.0")}, Esi{}, v6("::"), 1},
       "EVPN type-5 route: gateway and prefix are of different address families"},
      {IpPrefixRoute{{rd, 0, 24, v4("10.0.0.0")}, Esi{}, v4("0.0.0.0"), 0x1000000},
       "EVPN type-5 route: label 16777216 does not fit in 3 bytes"},
      {UnknownRoute{{9, std::vector<uint8_t>(256, 0)}},
       "EVPN type-9 route: 256 bytes of value do not fit a 1-byte length"},
  };
  for (const auto& c : cases) {
    wire::Bytes out{0xaa, 0xbb};
    auto ok = encode_route(c.route, out);
    ASSERT_FALSE(ok) << c.message;
    EXPECT_EQ(ok.error().code, Errc::out_of_range);
    EXPECT_EQ(ok.error().message, c.message);
    EXPECT_EQ(out, (wire::Bytes{0xaa, 0xbb}));
  }
  wire::Bytes out;
  EXPECT_TRUE(encode_route(UnknownRoute{{9, std::vector<uint8_t>(255, 0)}}, out));
  EXPECT_EQ(out.size(), 257u);
}

}  // namespace
}  // namespace nwbpf::evpn
