// SPDX-License-Identifier: Apache-2.0
// KEEPALIVE (RFC 4271 §4.4), NOTIFICATION (§4.5, RFC 8203/9003), ROUTE-REFRESH
// (RFC 2918, RFC 7313) and End-of-RIB (RFC 4724 §2).
#include "bgp_codec_test_support.h"

namespace nwbpf::bgp {
namespace {

using test::framed;
using test::hex;

TEST(BgpKeepalive, IsTheBareHeader) {
  const auto bytes = hex("ffffffffffffffffffffffffffffffff 0013 04");
  EXPECT_EQ(encode_message(Keepalive{}, {}), bytes);
  test::decode_ok<Keepalive>(bytes);
}

TEST(BgpNotification, EncodesAndDecodesCodeSubcodeData) {
  const Notification n{
      ErrorCode::open_message, uint8_t(OpenError::unsupported_version_number), {0x00, 0x04}};
  const auto bytes = framed(MessageType::notification, hex("02 01 0004"));
  EXPECT_EQ(encode_message(n, {}), bytes);
  EXPECT_EQ(test::decode_ok<Notification>(bytes), n);
}

TEST(BgpNotification, FromErrorCarriesWhatTheDecoderFound) {
  const Error e = test::decode_error(framed(MessageType::open, hex("03 fde9 005a 0a000001 00")));
  const auto bytes = encode_message(Notification::from(e), {});
  EXPECT_EQ(bytes, framed(MessageType::notification, hex("02 01 0004")));
}

TEST(BgpNotification, UnknownCodesAreKept) {
  const auto bytes = framed(MessageType::notification, hex("09 2a"));
  const auto n = test::decode_ok<Notification>(bytes);
  EXPECT_EQ(uint8_t(n.code), 9);
  EXPECT_EQ(n.subcode, 0x2a);
  EXPECT_EQ(encode_message(n, {}), bytes);
}

TEST(BgpNotification, ShutdownCommunication) {
  const auto n = Notification::shutdown(CeaseError::administrative_shutdown, "maintenance");
  const auto bytes = framed(MessageType::notification, hex("06 02 0b 6d61696e74656e616e6365"));
  EXPECT_EQ(encode_message(n, {}), bytes);
  EXPECT_EQ(test::decode_ok<Notification>(bytes).shutdown_communication(), "maintenance");
}

TEST(BgpNotification, ShutdownCommunicationIsCutAtACharacterBoundary) {
  std::string text(254, 'x');
  text += "\xc3\xa9";  // é across octets 255 and 256
  const auto n = Notification::shutdown(CeaseError::administrative_reset, text);
  EXPECT_EQ(n.data[0], 254);
  EXPECT_EQ(n.data.size(), 255u);
  EXPECT_EQ(n.shutdown_communication(), std::string(254, 'x'));
}

TEST(BgpNotification, NoShutdownCommunicationWhenAbsentOrOverrunning) {
  EXPECT_FALSE((Notification{ErrorCode::cease, 2, {}}).shutdown_communication());
  EXPECT_FALSE((Notification{ErrorCode::cease, 2, {0x05, 'a'}}).shutdown_communication());
  EXPECT_FALSE((Notification{ErrorCode::cease, 3, {0x01, 'a'}}).shutdown_communication());
  EXPECT_EQ((Notification{ErrorCode::cease, 4, {0x00}}).shutdown_communication(), "");
}

TEST(BgpRouteRefresh, EncodesAndDecodes) {
  const RouteRefresh r{kL2vpnEvpn, 0};
  const auto bytes = framed(MessageType::route_refresh, hex("0019 00 46"));
  EXPECT_EQ(encode_message(r, {}), bytes);
  EXPECT_EQ(test::decode_ok<RouteRefresh>(bytes), r);
  const RouteRefresh borr{kIpv4Unicast, 1};  // RFC 7313 BoRR
  EXPECT_EQ(test::decode_ok<RouteRefresh>(framed(MessageType::route_refresh, hex("0001 01 01"))),
            borr);
}

TEST(BgpRouteRefresh, EveryOtherLengthIsInvalidMessageLengthWithTheMessage) {
  const auto good = hex("0019 00 46 00");
  for (size_t n = 0; n <= good.size(); ++n) {
    if (n == 4) continue;
    SCOPED_TRACE(n);
    const auto bytes = framed(MessageType::route_refresh,
                              wire::Bytes(good.begin(), good.begin() + std::ptrdiff_t(n)));
    const Error e = test::decode_error(bytes);
    EXPECT_EQ(e.code, ErrorCode::route_refresh_message);
    EXPECT_EQ(e.subcode, uint8_t(RouteRefreshError::invalid_message_length));
    EXPECT_EQ(e.data, bytes);
    EXPECT_EQ(e.text, "ROUTE-REFRESH: length " + std::to_string(19 + n) + " is not 23");
  }
}

TEST(BgpEndOfRib, Ipv4UnicastIsTheEmptyUpdate) {
  const auto bytes = framed(MessageType::update, hex("0000 0000"));
  EXPECT_EQ(encode_message(make_end_of_rib(kIpv4Unicast), {}), bytes);
  EXPECT_EQ(end_of_rib_family(test::decode_ok<Update>(bytes)), kIpv4Unicast);
}

TEST(BgpEndOfRib, OtherFamiliesAreAnEmptyMpUnreach) {
  const auto bytes = framed(MessageType::update, hex("0000 0006 800f03 0019 46"));
  EXPECT_EQ(encode_message(make_end_of_rib(kL2vpnEvpn), {}), bytes);
  EXPECT_EQ(end_of_rib_family(test::decode_ok<Update>(bytes)), kL2vpnEvpn);
}

TEST(BgpEndOfRib, AnythingElseIsNotEndOfRib) {
  Update withdraw = make_end_of_rib(kL2vpnEvpn);
  withdraw.attributes.mp_unreach->withdrawn = {0x03};
  EXPECT_FALSE(end_of_rib_family(withdraw));
  Update with_origin = make_end_of_rib(kL2vpnEvpn);
  with_origin.attributes.origin = Origin::igp;
  EXPECT_FALSE(end_of_rib_family(with_origin));
  Update ipv4;
  ipv4.withdrawn.push_back({Ipv4{0x0000000a}, 8});
  EXPECT_FALSE(end_of_rib_family(ipv4));
}

}  // namespace
}  // namespace nwbpf::bgp
