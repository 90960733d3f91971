// SPDX-License-Identifier: Apache-2.0
// The GRE header NHRP travels in (RFC 2784, RFC 2890): the key-only form FRR
// nhrpd and Linux ip_gre send, checksum and sequence number, and the headers
// a receiver must drop.
#include "nhrp/gre.h"
#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp {
namespace {

using test::hex;

TEST(NhrpGre, KeyedNhrpHeader) {
  const auto payload = hex(test::kRegistrationRequest);
  const auto bytes = encode_gre({kGreProtocolNhrp, false, 42, {}}, payload);
  EXPECT_EQ(wire::Bytes(bytes.begin(), bytes.begin() + 8), hex("2000 2001 0000002a"));
  auto frame = decode_gre(bytes);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame.value().header, (GreHeader{kGreProtocolNhrp, false, 42, {}}));
  EXPECT_EQ(wire::Bytes(frame.value().payload.begin(), frame.value().payload.end()), payload);
  EXPECT_EQ(
      test::decode_ok(wire::Bytes(frame.value().payload.begin(), frame.value().payload.end())),
      test::registration_request());
}

TEST(NhrpGre, NoKey) {
  const auto bytes = encode_gre({}, hex("ab"));
  EXPECT_EQ(bytes, hex("0000 2001 ab"));
  EXPECT_EQ(decode_gre(bytes).value().header, GreHeader{});
}

TEST(NhrpGre, ChecksumKeyAndSequence) {
  const GreHeader header{kGreProtocolNhrp, true, 0x01020304, 7};
  const auto bytes = encode_gre(header, hex("abcd"));
  EXPECT_EQ(bytes, hex("b000 2001 8023 0000 01020304 00000007 abcd"));
  EXPECT_EQ(decode_gre(bytes).value().header, header);
  auto bad = bytes;
  bad.back() ^= 1;
  EXPECT_EQ(decode_gre(bad).error(), (GreError{4, "GRE checksum does not verify"}));
}

TEST(NhrpGre, VersionAndReservedBits) {
  EXPECT_EQ(decode_gre(hex("0001 2001")).error(), (GreError{0, "GRE version 1, only 0 is known"}));
  EXPECT_EQ(decode_gre(hex("4000 2001")).error(), (GreError{0, "GRE reserved flag bits set"}));
  EXPECT_EQ(decode_gre(hex("0800 2001")).error(), (GreError{0, "GRE reserved flag bits set"}));
  // RFC 2784 §2.3: bits 6-12 are ignored on receipt.
  EXPECT_EQ(decode_gre(hex("0008 2001")).value().header, GreHeader{});
}

TEST(NhrpGre, Truncation) {
  const auto bytes = hex("b000 2001 8023 0000 01020304 00000007");
  const std::pair<size_t, const char*> cuts[] = {
      {0, "flags"}, {2, "protocol type"}, {4, "checksum"}, {8, "key"}, {12, "sequence number"}};
  for (size_t n = 0; n < bytes.size(); ++n) {
    SCOPED_TRACE(n);
    size_t at = 0;
    const char* field = "";
    for (auto [start, name] : cuts)
      if (start <= n) at = start, field = name;
    auto result = decode_gre({bytes.data(), n});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), (GreError{at, std::string("GRE ") + field + ": truncated"}));
  }
}

}  // namespace
}  // namespace nwbpf::nhrp
