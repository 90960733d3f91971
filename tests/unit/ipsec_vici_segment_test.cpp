// SPDX-License-Identifier: Apache-2.0
// SegmentReader: charon's byte stream, in whatever chunks the socket hands
// over, cut into VICI segments (strongSwan vici/README.md "Transport
// protocol"), and the lengths that lose the framing.
#include <gtest/gtest.h>

#include "hex_bytes.h"
#include "ipsec/vici_packet.h"

namespace nwbpf::ipsec::vici {
namespace {

using hex_bytes::hex;

// version request, EVENT_CONFIRM, CMD_RESPONSE success = yes.
constexpr const char* kStream =
    "00000009 00 07 76657273696f6e"
    "00000001 05"
    "0000000f 01 03 07 73756363657373 0003 796573";

const std::vector<wire::Bytes> kSegments = {
    hex("00 07 76657273696f6e"),
    hex("05"),
    hex("01 03 07 73756363657373 0003 796573"),
};

std::optional<wire::Bytes> next_ok(SegmentReader& reader) {
  auto next = reader.next();
  EXPECT_TRUE(next) << next.error().message;
  return next ? next.value() : std::nullopt;
}

TEST(IpsecViciSegment, WholeStreamAtOnce) {
  SegmentReader reader;
  reader.feed(hex(kStream));
  for (const auto& segment : kSegments) EXPECT_EQ(next_ok(reader), segment);
  EXPECT_EQ(next_ok(reader), std::nullopt);
  EXPECT_EQ(reader.buffered(), 0u);
  EXPECT_EQ(decode_packet(kSegments[0]).value(), (Packet{PacketType::cmd_request, "version", {}}));
}

// One byte at a time: every proper prefix of a segment, length field
// included, is incomplete, and the byte that completes it yields it.
TEST(IpsecViciSegment, ByteAtATime) {
  SegmentReader reader;
  std::vector<wire::Bytes> got;
  for (uint8_t byte : hex(kStream)) {
    reader.feed(std::span(&byte, 1));
    if (auto segment = next_ok(reader)) got.push_back(*segment);
    EXPECT_EQ(next_ok(reader), std::nullopt);
  }
  EXPECT_EQ(got, kSegments);
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(IpsecViciSegment, ChunksAcrossSegments) {
  const auto stream = hex(kStream);
  SegmentReader reader;
  reader.feed(std::span(stream).first(15));  // the first segment and 2 length bytes
  EXPECT_EQ(next_ok(reader), kSegments[0]);
  EXPECT_EQ(next_ok(reader), std::nullopt);
  EXPECT_EQ(reader.buffered(), 2u);
  reader.feed(std::span(stream).subspan(15));
  EXPECT_EQ(next_ok(reader), kSegments[1]);
  EXPECT_EQ(next_ok(reader), kSegments[2]);
}

TEST(IpsecViciSegment, ZeroLengthLosesTheFraming) {
  SegmentReader reader;
  reader.feed(hex("00000001 05  00000000  00000001 05"));
  EXPECT_EQ(next_ok(reader), hex("05"));
  const Error error{5, "segment length 0: no room for the packet type"};
  EXPECT_EQ(reader.next().error(), error);
  // For good: more bytes change nothing, and nothing is kept.
  reader.feed(hex("00000001 05"));
  EXPECT_EQ(reader.next().error(), error);
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(IpsecViciSegment, LengthLimit) {
  SegmentReader reader;
  reader.feed(hex("00000001 05  00080001"));
  EXPECT_EQ(next_ok(reader), hex("05"));
  EXPECT_EQ(reader.next().error(), (Error{5, "segment length 524289, at most 524288"}));

  // The maximum itself is accepted: it waits for the bytes.
  SegmentReader largest;
  largest.feed(hex("00080000"));
  EXPECT_EQ(next_ok(largest), std::nullopt);
  largest.feed(wire::Bytes(kMaxSegmentLength - 1, 0x05));
  EXPECT_EQ(next_ok(largest), std::nullopt);
  largest.feed(hex("05"));
  EXPECT_EQ(next_ok(largest), wire::Bytes(kMaxSegmentLength, 0x05));

  // A smaller limit, for a client that wants one; an absurd length fails
  // as soon as its four bytes are in, not after 4 GiB.
  SegmentReader small(16);
  small.feed(hex("ffffffff"));
  EXPECT_EQ(small.next().error(), (Error{0, "segment length 4294967295, at most 16"}));
}

// A segment decode_packet() refuses is the packet's problem, not the
// stream's: the next one still arrives.
TEST(IpsecViciSegment, BadPacketKeepsTheFraming) {
  SegmentReader reader;
  reader.feed(hex("00000001 08  00000001 05"));
  const auto bad = next_ok(reader);
  ASSERT_TRUE(bad);
  EXPECT_EQ(decode_packet(*bad).error(), (Error{0, "unknown packet type 8"}));
  EXPECT_EQ(next_ok(reader), hex("05"));
}

}  // namespace
}  // namespace nwbpf::ipsec::vici
