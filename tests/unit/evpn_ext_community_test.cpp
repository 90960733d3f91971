// SPDX-License-Identifier: Apache-2.0
// Extended communities EVPN uses (RFC 4360, RFC 7153 registries): exact
// bytes both ways, FRR's text, FRR's automatic route target.
#include <gtest/gtest.h>

#include "evpn/ext_community.h"
#include "evpn_test_support.h"

namespace nwbpf::evpn {
namespace {

using test::hex;
using test::mac;
using test::v4;

std::array<uint8_t, 8> eight(std::string_view text) {
  auto b = hex(text);
  std::array<uint8_t, 8> out{};
  EXPECT_EQ(b.size(), 8u);
  std::copy_n(b.begin(), std::min<size_t>(8, b.size()), out.begin());
  return out;
}

// Decodes to `value`, encodes back to the same bytes, shows as `text`.
void expect_golden(const ExtCommunity& value, std::string_view bytes, const std::string& text) {
  auto raw = eight(bytes);
  EXPECT_EQ(decode_ext_community(raw), value);
  auto encoded = encode_ext_community(value);
  ASSERT_TRUE(encoded) << encoded.error().message;
  EXPECT_EQ(encoded.value(), raw);
  EXPECT_EQ(to_string(value), text);
}

TEST(EvpnExtCommunity, RouteTargetOfEachAdministratorType) {
  expect_golden(RouteTarget{RouteDistinguisher::from_as2(65000, 100)}, "00 02 fde8 00000064",
                "RT:65000:100");
  expect_golden(RouteTarget{RouteDistinguisher::from_ipv4(v4("10.0.0.1"), 5)},
                "01 02 0a000001 0005", "RT:10.0.0.1:5");
  expect_golden(RouteTarget{RouteDistinguisher::from_as4(4200000000, 7)}, "02 02 fa56ea00 0007",
                "RT:4200000000:7");
}

TEST(EvpnExtCommunity, RouteTargetTextParsesWithOrWithoutFrrsPrefix) {
  EXPECT_EQ(RouteTarget::parse("RT:65000:100").value(),
            RouteTarget{RouteDistinguisher::from_as2(65000, 100)});
  EXPECT_EQ(RouteTarget::parse("65000:100").value(),
            RouteTarget{RouteDistinguisher::from_as2(65000, 100)});
  EXPECT_EQ(RouteTarget::parse("10.0.0.1:5").value().value.type(), RouteDistinguisher::ipv4);
  auto bad = RouteTarget::parse("RT:65536:65536");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::bad_text);
  EXPECT_EQ(bad.error().message,
            "route target '65536:65536': number 65536 is out of range for a 4-byte AS (0..65535)");
}

TEST(EvpnExtCommunity, AutomaticRouteTargetIsFrrsAsColonVni) {
  expect_golden(RouteTarget::automatic(65000, 10100), "00 02 fde8 00002774", "RT:65000:10100");
  // A 4-byte AS: FRR keeps type 0x00 and the low 16 bits of the AS.
  expect_golden(RouteTarget::automatic(4200000001, 100), "00 02 ea01 00000064", "RT:59905:100");
  expect_golden(RouteTarget::automatic(65000, 0xffffff), "00 02 fde8 00ffffff",
                "RT:65000:16777215");
}

TEST(EvpnExtCommunity, EncapsulationVxlan) {
  expect_golden(Encapsulation{Encapsulation::vxlan}, "03 0c 00000000 0008", "ET:8");
  expect_golden(Encapsulation{10}, "03 0c 00000000 000a", "ET:10");
}

TEST(EvpnExtCommunity, MacMobilitySequenceAndStickyFlag) {
  expect_golden(MacMobility{false, 1}, "06 00 00 00 00000001", "MM:1");
  expect_golden(MacMobility{true, 0}, "06 00 01 00 00000000", "MM:0, sticky MAC");
  expect_golden(MacMobility{false, 0xffffffff}, "06 00 00 00 ffffffff", "MM:4294967295");
}

TEST(EvpnExtCommunity, EsiLabelRouterMacDefaultGateway) {
  expect_golden(EsiLabel{false, 200}, "06 01 00 0000 0000c8", "ESI-label-Rt:AA");
  expect_golden(EsiLabel{true, 0xffffff}, "06 01 01 0000 ffffff", "ESI-label-Rt:SA");
  expect_golden(RouterMac{mac("02:00:00:00:00:aa")}, "06 03 0200000000aa",
                "Rmac:02:00:00:00:00:aa");
  expect_golden(DefaultGateway{}, "03 0d 000000000000", "Default Gateway");
}

TEST(EvpnExtCommunity, OthersAreKeptAsTheirBytes) {
  // ES-Import RT (0x06/0x02), a non-transitive RT type, an unassigned type.
  for (const char* bytes : {"06 02 aabbccddeeff", "40 02 fde8 00000064", "ff ff 0102030405 06"}) {
    auto raw = eight(bytes);
    auto value = decode_ext_community(raw);
    ASSERT_TRUE(std::holds_alternative<OtherExtCommunity>(value)) << bytes;
    EXPECT_EQ(encode_ext_community(value).value(), raw);
  }
  EXPECT_EQ(to_string(decode_ext_community(eight("06 02 aabbccddeeff"))), "UNK:0602aabbccddeeff");
}

TEST(EvpnExtCommunity, ReservedBitsAreIgnoredOnReceipt) {
  EXPECT_EQ(decode_ext_community(eight("06 00 fe ff 00000003")),
            ExtCommunity(MacMobility{false, 3}));
  EXPECT_EQ(decode_ext_community(eight("06 00 ff 00 00000003")),
            ExtCommunity(MacMobility{true, 3}));
  EXPECT_EQ(decode_ext_community(eight("03 0c ffffffff 0008")), ExtCommunity(Encapsulation{8}));
  EXPECT_EQ(decode_ext_community(eight("06 01 fe ffff 000064")),
            ExtCommunity(EsiLabel{false, 100}));
  EXPECT_EQ(decode_ext_community(eight("03 0d 010203040506")), ExtCommunity(DefaultGateway{}));
}

// The extended communities GoBGP 3.10 attached to the routes captured in
// evpn_nlri_test.cpp ("rt 65000:100 encap vxlan", "router-mac ...",
// "default-gateway", "esi-label 200").
TEST(EvpnExtCommunity, BytesFromGoBgp) {
  EXPECT_EQ(decode_ext_community(eight("00 02 fd e8 00 00 00 64")),
            ExtCommunity(RouteTarget{RouteDistinguisher::from_as2(65000, 100)}));
  EXPECT_EQ(decode_ext_community(eight("03 0c 00 00 00 00 00 08")), ExtCommunity(Encapsulation{8}));
  EXPECT_EQ(decode_ext_community(eight("06 03 02 00 00 00 00 aa")),
            ExtCommunity(RouterMac{mac("02:00:00:00:00:aa")}));
  EXPECT_EQ(decode_ext_community(eight("03 0d 00 00 00 00 00 00")), ExtCommunity(DefaultGateway{}));
  EXPECT_EQ(decode_ext_community(eight("06 01 00 00 00 00 00 c8")),
            ExtCommunity(EsiLabel{false, 200}));
}

TEST(EvpnExtCommunity, EncodeRefusesWhatDoesNotFit) {
  RouteTarget odd;
  odd.value.bytes[1] = 3;
  auto e = encode_ext_community(odd);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, Errc::out_of_range);
  EXPECT_EQ(e.error().message, "route target of RD type 3: only types 0, 1 and 2 exist");
  e = encode_ext_community(EsiLabel{false, 0x1000000});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message, "ESI label 16777216 does not fit in 3 bytes");
}

}  // namespace
}  // namespace nwbpf::evpn
