// SPDX-License-Identifier: Apache-2.0
// OPEN (RFC 4271 §4.2, §6.2) and capabilities (RFC 5492, 4760, 2918, 6793,
// 4724; extended parameters RFC 9072).
#include <set>

#include "bgp_codec_test_support.h"

namespace nwbpf::bgp {
namespace {

using test::framed;
using test::hex;

// AS 4208914177 (0xfadeef01) needs 4 octets: My AS is AS_TRANS (0x5ba0).
const wire::Bytes kOurCapabilities =
    hex("01 04 0019 00 46"         // multiprotocol L2VPN EVPN
        "02 00"                    // route refresh
        "41 04 fadeef01"           // 4-octet AS
        "40 06 8078 0019 46 80");  // graceful restart: R, 120 s, EVPN forwarding kept
const wire::Bytes kOurOpenBody =
    test::cat({hex("04 5ba0 005a c0000201 18 02 16"), kOurCapabilities});

Open our_open() {
  Capabilities caps;
  caps.multiprotocol = {kL2vpnEvpn};
  caps.route_refresh = true;
  caps.graceful_restart = GracefulRestart{true, false, 120, {{kL2vpnEvpn, true}}};
  return make_open(4208914177u, 90, *Ipv4::parse("192.0.2.1"), caps);
}

// Laid out as FRR 8.4 bgpd sends it to an EVPN neighbor (one optional
// parameter per capability): MP L2VPN EVPN, route refresh (old code 128 and
// 2), enhanced route refresh (70), 4-octet AS 65000, FQDN (73, "leaf1"),
// graceful restart in helper mode (N bit, 120 s, no families), extended
// message (6). AS 65000, hold time 180, router id 192.0.2.11.
const wire::Bytes kFrrOpenBody =
    hex("04 fde8 00b4 c000020b 31"
        "02 06 01 04 0019 00 46"
        "02 02 80 00"
        "02 02 02 00"
        "02 02 46 00"
        "02 06 41 04 0000fde8"
        "02 09 49 07 05 6c65616631 00"
        "02 04 40 02 4078"
        "02 02 06 00");

Error open_error(const wire::Bytes& body) {
  return test::decode_error(framed(MessageType::open, body));
}

void expect_unspecific(const Error& e, size_t offset, const std::string& text) {
  EXPECT_EQ(e.code, ErrorCode::open_message);
  EXPECT_EQ(e.subcode, kUnspecific);
  EXPECT_EQ(e.offset, offset);
  EXPECT_TRUE(e.data.empty());
  EXPECT_EQ(e.text, text);
}

TEST(BgpOpen, EncodesOurOpenExactly) {
  const Open open = our_open();
  EXPECT_EQ(open.my_as, kAsTrans);
  EXPECT_EQ(open.as_number(), 4208914177u);
  EXPECT_EQ(encode_message(open, {}), framed(MessageType::open, kOurOpenBody));
}

TEST(BgpOpen, DecodesOurOpenToTheSameFields) {
  EXPECT_EQ(test::decode_ok<Open>(framed(MessageType::open, kOurOpenBody)), our_open());
}

TEST(BgpOpen, TwoOctetAsGoesInMyAs) {
  const Open open = make_open(65001, 180, *Ipv4::parse("10.0.0.1"), {});
  EXPECT_EQ(open.my_as, 65001);
  EXPECT_EQ(open.capabilities.four_octet_as, 65001u);
  EXPECT_EQ(encode_message(open, {}),
            framed(MessageType::open, hex("04 fde9 00b4 0a000001 08 02 06 41 04 0000fde9")));
}

TEST(BgpOpen, NoCapabilitiesMeansNoOptionalParameters) {
  Open open;
  open.my_as = 100;
  open.hold_time = 3;
  const auto bytes = framed(MessageType::open, hex("04 0064 0003 00000000 00"));
  EXPECT_EQ(encode_message(open, {}), bytes);
  const Open back = test::decode_ok<Open>(bytes);
  EXPECT_EQ(back, open);
  EXPECT_EQ(back.as_number(), 100u);
}

TEST(BgpOpen, DecodesAnFrrOpen) {
  const Open open = test::decode_ok<Open>(framed(MessageType::open, kFrrOpenBody));
  EXPECT_EQ(open.version, 4);
  EXPECT_EQ(open.my_as, 65000);
  EXPECT_EQ(open.hold_time, 180);
  EXPECT_EQ(open.bgp_id.str(), "192.0.2.11");
  const Capabilities& caps = open.capabilities;
  EXPECT_EQ(caps.multiprotocol, std::vector<Family>{kL2vpnEvpn});
  EXPECT_TRUE(caps.route_refresh);
  EXPECT_EQ(caps.four_octet_as, 65000u);
  EXPECT_EQ(caps.graceful_restart, (GracefulRestart{false, true, 120, {}}));
  EXPECT_EQ(caps.unknown, (std::vector<UnknownCapability>{
                              {128, {}}, {70, {}}, {73, hex("05 6c65616631 00")}, {6, {}}}));
}

TEST(BgpOpen, RepeatedMultiprotocolCapabilitiesAddFamilies) {
  const auto body = hex("04 fde8 00b4 c000020b 0e 02 0c 01 04 0001 00 01 01 04 0019 00 46");
  const Open open = test::decode_ok<Open>(framed(MessageType::open, body));
  EXPECT_EQ(open.capabilities.multiprotocol, (std::vector<Family>{kIpv4Unicast, kL2vpnEvpn}));
}

TEST(BgpOpen, ExtendedOptionalParametersOfRfc9072) {
  const auto body = hex("04 fde8 00b4 c000020b ff ff 0009 02 0006 01 04 0019 00 46");
  const Open open = test::decode_ok<Open>(framed(MessageType::open, body));
  EXPECT_EQ(open.capabilities.multiprotocol, std::vector<Family>{kL2vpnEvpn});
}

TEST(BgpOpen, OtherVersionsAreUnsupportedWithVersion4AsData) {
  const Error e = open_error(hex("03 fde8 00b4 c000020b 00"));
  EXPECT_EQ(e.code, ErrorCode::open_message);
  EXPECT_EQ(e.subcode, uint8_t(OpenError::unsupported_version_number));
  EXPECT_EQ(e.offset, 19u);
  EXPECT_EQ(e.data, hex("0004"));
  EXPECT_EQ(e.text, "OPEN: unsupported BGP version 3 (only 4)");
}

TEST(BgpOpen, ParametersOtherThanCapabilitiesAreUnsupported) {
  const Error e = open_error(hex("04 fde8 00b4 c000020b 04 01 02 abcd"));
  EXPECT_EQ(e.code, ErrorCode::open_message);
  EXPECT_EQ(e.subcode, uint8_t(OpenError::unsupported_optional_parameter));
  EXPECT_EQ(e.offset, 29u);
  EXPECT_EQ(e.text, "OPEN: unsupported optional parameter 1");
}

TEST(BgpOpen, OptionalParametersLengthMustMatchTheMessage) {
  expect_unspecific(open_error(hex("04 fde8 00b4 c000020b 03 02 00")), 28,
                    "OPEN: optional parameters length 3 does not match the 2 octets after it");
  expect_unspecific(open_error(hex("04 fde8 00b4 c000020b 01 02 00")), 28,
                    "OPEN: optional parameters length 1 does not match the 2 octets after it");
  expect_unspecific(open_error(hex("04 fde8 00b4 c000020b 01 02")), 29,
                    "OPEN: optional parameter header truncated");
  expect_unspecific(open_error(hex("04 fde8 00b4 c000020b 03 02 02 00")), 29,
                    "OPEN: optional parameter length 2 overruns the parameters");
  expect_unspecific(open_error(hex("04 fde8 00b4 c000020b ff ff 00")), 28,
                    "OPEN: extended optional parameters length truncated");
}

TEST(BgpOpen, CapabilitiesWithTheWrongLengthAreMalformed) {
  struct Case {
    const char* capability;
    const char* text;
  } cases[] = {
      {"01 03 0019 46", "OPEN: capability 1 has bad length 3"},
      {"01 05 0019 00 46 00", "OPEN: capability 1 has bad length 5"},
      {"02 01 00", "OPEN: capability 2 has bad length 1"},
      {"41 02 fde8", "OPEN: capability 65 has bad length 2"},
      {"40 01 80", "OPEN: capability 64 has bad length 1"},
      {"40 05 0078 0019 46", "OPEN: capability 64 has bad length 5"},
      {"41 05 0000fde8", "OPEN: capability 65 length 5 overruns its parameter"},
      {"41", "OPEN: capability header truncated"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.capability);
    const auto cap = hex(c.capability);
    const auto body = test::cat(
        {hex("04 fde8 00b4 c000020b"), {uint8_t(cap.size() + 2), 0x02, uint8_t(cap.size())}, cap});
    expect_unspecific(open_error(body), 31, c.text);
  }
}

// The body cut at every length, with the header length following: below the
// 10 fixed octets it is a header error, after them the parameters no longer
// add up. Never a success.
TEST(BgpOpen, EveryTruncationFails) {
  for (size_t n = 0; n < kOurOpenBody.size(); ++n) {
    SCOPED_TRACE(n);
    const Error e =
        open_error(wire::Bytes(kOurOpenBody.begin(), kOurOpenBody.begin() + std::ptrdiff_t(n)));
    if (n < 10) {
      EXPECT_EQ(e.code, ErrorCode::message_header);
      EXPECT_EQ(e.subcode, uint8_t(HeaderError::bad_message_length));
    } else {
      EXPECT_EQ(e.code, ErrorCode::open_message);
      EXPECT_EQ(e.subcode, kUnspecific);
    }
  }
}

// The capabilities cut at every length with both enclosing lengths
// following: only cuts between capabilities decode.
TEST(BgpOpen, EveryCapabilityTruncationFailsBetweenBoundaries) {
  const std::set<size_t> boundaries{0, 6, 8, 14, 22};
  for (size_t n = 0; n < kOurCapabilities.size(); ++n) {
    SCOPED_TRACE(n);
    const auto body = test::cat(
        {hex("04 5ba0 005a c0000201"),
         {uint8_t(n + 2), 0x02, uint8_t(n)},
         wire::Bytes(kOurCapabilities.begin(), kOurCapabilities.begin() + std::ptrdiff_t(n))});
    auto result = decode_message(framed(MessageType::open, body), {});
    if (boundaries.count(n)) {
      EXPECT_TRUE(std::holds_alternative<Message>(result));
      continue;
    }
    ASSERT_TRUE(std::holds_alternative<Error>(result));
    EXPECT_EQ(std::get<Error>(result).code, ErrorCode::open_message);
    EXPECT_EQ(std::get<Error>(result).subcode, kUnspecific);
  }
}

TEST(BgpOpen, EncodeRefusesCapabilitiesOverOneParameter) {
  Open open = our_open();
  open.capabilities.unknown.push_back({200, wire::Bytes(240, 0)});
  EXPECT_THROW(encode_message(open, {}), EncodeError);
  open = our_open();
  open.capabilities.graceful_restart->restart_time = 4096;
  EXPECT_THROW(encode_message(open, {}), EncodeError);
}

}  // namespace
}  // namespace nwbpf::bgp
