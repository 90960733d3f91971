// SPDX-License-Identifier: Apache-2.0
// Extensions (RFC 2332 §5.3): the compulsory bit, unknown types, End of
// Extensions, Cisco cleartext Authentication as FRR nhrpd checks it, and CIEs
// inside extensions, with exact codes, offsets and texts.
#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp {
namespace {

using test::hex;
using test::sealed;

// The golden Registration Request's extensions start at 52; its
// Authentication extension at 68 and End of Extensions at 82.
constexpr size_t kAuthenticationAt = 68;

Packet with_extension(Extension extension, size_t at = 1) {
  auto p = test::registration_request();
  p.extensions.insert(p.extensions.begin() + std::ptrdiff_t(at), std::move(extension));
  return p;
}

TEST(NhrpExtensions, UnknownCompulsoryIsUnrecognizedExtension) {
  const auto bytes = test::encode_ok(with_extension({0x0100, true, hex("0102")}));
  EXPECT_EQ(test::decode_error(bytes), (Error{ErrorCode::unrecognized_extension, 56,
                                              "extension 2: compulsory type 256 not recognized"}));
}

TEST(NhrpExtensions, UnknownNonCompulsoryIsKeptAsBytes) {
  const auto p = with_extension({0x0100, false, hex("0102")});
  const auto bytes = test::encode_ok(p);
  EXPECT_EQ(wire::Bytes(bytes.begin() + 56, bytes.begin() + 62), hex("0100 0002 0102"));
  EXPECT_EQ(test::decode_ok(bytes), p);
}

TEST(NhrpExtensions, VendorPrivateIsKeptEvenWhenCompulsory) {
  // §5.3.5: the receiver tells by the vendor ID whether it applies.
  const auto p = with_extension({uint16_t(ExtensionType::vendor_private), true, hex("00000c 01")});
  EXPECT_EQ(test::decode_ok(test::encode_ok(p)), p);
}

TEST(NhrpExtensions, TheUnusedBitIsIgnored) {
  auto bytes = hex(test::kRegistrationRequest);
  bytes[64] |= 0x40;  // NAT Address extension type 0x4009
  EXPECT_EQ(test::decode_ok(sealed(bytes)), test::registration_request());
}

TEST(NhrpExtensions, EndOfExtensionsIsRequiredAndLast) {
  auto bytes = hex(test::kRegistrationRequest);
  bytes.resize(82);  // no End
  EXPECT_EQ(test::decode_error(sealed(bytes)),
            (Error{ErrorCode::protocol_error, 82, "extensions: no End of Extensions"}));
  bytes = hex(test::kRegistrationRequest);
  bytes.insert(bytes.end(), {0x00, 0x00});
  EXPECT_EQ(test::decode_error(sealed(bytes)),
            (Error{ErrorCode::protocol_error, 86, "2 octets after End of Extensions"}));
  bytes = hex(test::kRegistrationRequest);
  bytes[85] = 2;
  bytes.insert(bytes.end(), {0x00, 0x00});
  EXPECT_EQ(test::decode_error(sealed(bytes)),
            (Error{ErrorCode::protocol_error, 84, "extension 6: End of Extensions with length 2"}));
  // A non-compulsory End (RFC 2332 says compulsory) is still the end.
  bytes = hex(test::kRegistrationRequest);
  bytes[82] = 0x00;
  EXPECT_EQ(test::decode_ok(sealed(bytes)), test::registration_request());
}

TEST(NhrpExtensions, ExtensionLengthBeyondThePacket) {
  auto bytes = hex(test::kRegistrationRequest);
  bytes[71] = 0x20;  // Authentication length 32, 14 octets left
  EXPECT_EQ(test::decode_error(sealed(bytes)),
            (Error{ErrorCode::protocol_error, 72,
                   "extension 5 value: truncated, 32 octets needed, 14 left"}));
}

TEST(NhrpExtensions, BadCieInsideAnExtensionIsAProtocolError) {
  auto p = test::registration_request();
  p.extensions[3] = {uint16_t(ExtensionType::nat_address), false,
                     std::vector<Cie>{Cie{0, 32, 1400, 0, test::ip("192.0.2.7"), {}, 0}}};
  auto bytes = test::encode_ok(p);
  EXPECT_EQ(test::decode_ok(bytes), p);
  bytes[64 + 4 + 10] = 3;  // the CIE's protocol length
  EXPECT_EQ(test::decode_error(sealed(bytes)),
            (Error{ErrorCode::protocol_error, 78,
                   "CIE 1 client protocol length: 3, an IPv4 protocol address is 4 (0: none)"}));
}

TEST(NhrpExtensions, FilledResponderAddressInARequestIsInvalidExtension) {
  // §5.3.1: the requester sends it empty, the responder fills it in.
  auto p = test::registration_request();
  p.extensions[2] = {uint16_t(ExtensionType::responder_address), true,
                     std::vector<Cie>{test::registration_cie()}};
  EXPECT_EQ(test::decode_error(test::encode_ok(p)),
            (Error{ErrorCode::invalid_extension, 60,
                   "extension 3: Responder Address filled in a request"}));
  p.type = PacketType::registration_reply;
  EXPECT_EQ(test::decode_ok(test::encode_ok(p)), p);
}

const wire::Bytes kSecret{'s', 'e', 'c', 'r', 'e', 't'};

TEST(NhrpExtensions, AuthenticationWithTheRightPassword) {
  DecodeOptions options{std::span<const uint8_t>(kSecret)};
  EXPECT_EQ(test::decode_ok(hex(test::kRegistrationRequest), options),
            test::registration_request());
}

TEST(NhrpExtensions, AuthenticationFailures) {
  const wire::Bytes other{'s', 'e', 'c', 'r', 'e', 't', '2'};
  DecodeOptions options{std::span<const uint8_t>(other)};
  EXPECT_EQ(test::decode_error(hex(test::kRegistrationRequest), options),
            (Error{ErrorCode::authentication_failure, kAuthenticationAt + 8,
                   "authentication: wrong password"}));

  options.password = kSecret;
  auto p = test::registration_request();
  std::get<CiscoAuthentication>(p.extensions[4].value).type = 2;
  EXPECT_EQ(test::decode_error(test::encode_ok(p), options),
            (Error{ErrorCode::authentication_failure, kAuthenticationAt + 4,
                   "authentication: type 2, not cleartext (1)"}));

  p.extensions.pop_back();
  EXPECT_EQ(test::decode_error(test::encode_ok(p), options),
            (Error{ErrorCode::authentication_failure, 72,
                   "authentication: no Authentication extension"}));

  p.extensions.clear();
  EXPECT_EQ(test::decode_error(test::encode_ok(p), options),
            (Error{ErrorCode::authentication_failure, 14, "authentication: no extensions"}));
}

TEST(NhrpExtensions, AuthenticationShorterThanItsType) {
  auto p = test::registration_request();
  p.extensions[4] = {uint16_t(ExtensionType::authentication), true, hex("0000")};
  EXPECT_EQ(test::decode_error(test::encode_ok(p)),
            (Error{ErrorCode::protocol_error, 72,
                   "extension 5 authentication type: truncated, 4 octets needed, 2 left"}));
}

}  // namespace
}  // namespace nwbpf::nhrp
