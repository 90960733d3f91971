// SPDX-License-Identifier: Apache-2.0
// Packets that fail the fixed header and mandatory part checks (RFC 2332
// §5.1, §5.2.0.1): each gives the Error Indication code, the offset of the
// offending field and the exact text. A doctored packet is re-sealed (size
// and checksum) so that the check under test is the one that fails.
#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp {
namespace {

using test::hex;
using test::sealed;

constexpr ErrorCode kProtocol = ErrorCode::protocol_error;

wire::Bytes golden() { return hex(test::kRegistrationRequest); }

wire::Bytes with(size_t at, std::initializer_list<uint8_t> values) {
  auto bytes = golden();
  for (uint8_t v : values) bytes[at++] = v;
  return sealed(bytes);
}

TEST(NhrpErrors, BadChecksum) {
  auto bytes = golden();
  bytes[13] ^= 1;
  EXPECT_EQ(test::decode_error(bytes),
            (Error{kProtocol, 12, "ar$chksum: checksum does not verify"}));
  bytes = golden();
  bytes[30] ^= 0x80;  // a flipped bit in the source NBMA address
  EXPECT_EQ(test::decode_error(bytes).offset, 12u);
}

TEST(NhrpErrors, PacketSizeMustBeWhatArrived) {
  auto bytes = golden();
  bytes[11] += 1;
  EXPECT_EQ(test::decode_error(bytes),
            (Error{kProtocol, 10, "ar$pktsz: 87 but 86 octets received"}));
  bytes = golden();
  bytes.push_back(0);  // trailing octet beyond ar$pktsz
  EXPECT_EQ(test::decode_error(bytes),
            (Error{kProtocol, 10, "ar$pktsz: 86 but 87 octets received"}));
}

TEST(NhrpErrors, VersionAndType) {
  EXPECT_EQ(test::decode_error(with(16, {2})),
            (Error{kProtocol, 16, "ar$op.version: 2, only 1 (RFC 2332) is known"}));
  EXPECT_EQ(test::decode_error(with(17, {9})),
            (Error{kProtocol, 17, "ar$op.type: unknown packet type 9"}));
  EXPECT_EQ(test::decode_error(with(17, {0})).offset, 17u);
}

TEST(NhrpErrors, AddressFamilyAndProtocolType) {
  EXPECT_EQ(test::decode_error(with(0, {0x00, 0x02})),
            (Error{kProtocol, 0, "ar$afn: address family 2, only 1 (IPv4 NBMA) is supported"}));
  EXPECT_EQ(test::decode_error(with(2, {0x86, 0xdd})),
            (Error{kProtocol, 2, "ar$pro.type: 0x86dd, only 0x0800 (IPv4) is supported"}));
}

TEST(NhrpErrors, HopCountZeroIsHopCountExceeded) {
  EXPECT_EQ(test::decode_error(with(9, {0})),
            (Error{ErrorCode::hop_count_exceeded, 9, "ar$hopcnt: hop count is 0"}));
  EXPECT_EQ(test::decode_ok(with(9, {1})).hop_count, 1);
}

TEST(NhrpErrors, SourceAddressTypeAndLength) {
  EXPECT_EQ(test::decode_error(with(18, {0x44})),
            (Error{kProtocol, 18,
                   "ar$shtl: E.164 subaddress type, an IPv4 address needs type 0 length 0 or 4"}));
  EXPECT_EQ(test::decode_error(with(18, {0x84})).message,
            "ar$shtl: reserved bit set, an IPv4 address needs type 0 length 0 or 4");
  EXPECT_EQ(test::decode_error(with(18, {16})).message,
            "ar$shtl: length 16, an IPv4 address needs type 0 length 0 or 4");
  EXPECT_EQ(test::decode_error(with(18, {0})),
            (Error{kProtocol, 18, "ar$shtl: no source NBMA address"}));
  EXPECT_EQ(test::decode_error(with(19, {4})),
            (Error{kProtocol, 19, "ar$sstl: DMVPN has no NBMA subaddress, length must be 0"}));
}

TEST(NhrpErrors, ProtocolAddressLengths) {
  EXPECT_EQ(test::decode_error(with(20, {16})),
            (Error{kProtocol, 20, "source protocol length: 16, an IPv4 protocol address is 4"}));
  EXPECT_EQ(
      test::decode_error(with(21, {0})),
      (Error{kProtocol, 21, "destination protocol length: 0, an IPv4 protocol address is 4"}));
}

TEST(NhrpErrors, ExtensionOffsetOutsideThePacket) {
  EXPECT_EQ(test::decode_error(with(14, {0x00, 0x57})),
            (Error{kProtocol, 14,
                   "ar$extoff: 87 outside the packet after the mandatory part (40 to 86)"}));
  EXPECT_EQ(test::decode_error(with(14, {0x00, 0x27})).offset, 14u);  // inside the mandatory part
}

TEST(NhrpErrors, CieAddressesInTheMandatoryPart) {
  // CIE 1 starts at 40: client NBMA type/length at 48, subaddress 49, protocol 50.
  EXPECT_EQ(test::decode_error(with(48, {0x44})),
            (Error{kProtocol, 48,
                   "CIE 1 client NBMA type/length: E.164 subaddress type, an IPv4 address needs "
                   "type 0 length 0 or 4"}));
  EXPECT_EQ(
      test::decode_error(with(49, {2})),
      (Error{kProtocol, 49, "CIE 1 client NBMA subaddress: DMVPN has none, length must be 0"}));
  EXPECT_EQ(test::decode_error(with(50, {16})),
            (Error{kProtocol, 50,
                   "CIE 1 client protocol length: 16, an IPv4 protocol address is 4 (0: none)"}));
}

TEST(NhrpErrors, ChecksAreOrderedAsAReceiverCanMakeThem) {
  // Size before checksum, checksum before anything inside.
  auto bytes = golden();
  bytes[16] = 2;  // version, not re-sealed
  EXPECT_EQ(test::decode_error(bytes).offset, 12u);
  bytes.push_back(0);
  EXPECT_EQ(test::decode_error(bytes).offset, 10u);
}

}  // namespace
}  // namespace nwbpf::nhrp
