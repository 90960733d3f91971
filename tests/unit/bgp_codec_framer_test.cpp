// SPDX-License-Identifier: Apache-2.0
// RFC 4271 §4.1, §6.1: splitting the stream and checking headers.
#include "bgp/framer.h"
#include "bgp_codec_test_support.h"

namespace nwbpf::bgp {
namespace {

using test::framed;
using test::hex;

const wire::Bytes kKeepalive = hex("ffffffffffffffffffffffffffffffff 0013 04");

wire::Bytes next_ok(Framer& framer) {
  auto next = framer.next();
  if (!next) {
    ADD_FAILURE() << "no message";
    return {};
  }
  if (auto* error = std::get_if<Error>(&*next)) {
    ADD_FAILURE() << error->text;
    return {};
  }
  return std::get<wire::Bytes>(*next);
}

Error header_error(const wire::Bytes& bytes) {
  Framer framer;
  framer.feed(bytes);
  auto next = framer.next();
  if (!next || !std::holds_alternative<Error>(*next)) {
    ADD_FAILURE() << "no header error";
    return {};
  }
  return std::get<Error>(*next);
}

TEST(BgpFramer, SplitsMessagesFedOneOctetAtATime) {
  const auto refresh = framed(MessageType::route_refresh, hex("0019 00 46"));
  const auto stream = test::cat({kKeepalive, refresh, kKeepalive});
  Framer framer;
  std::vector<wire::Bytes> got;
  for (uint8_t byte : stream) {
    framer.feed(std::span(&byte, 1));
    while (auto next = framer.next()) got.push_back(std::get<wire::Bytes>(*next));
  }
  EXPECT_EQ(got, (std::vector<wire::Bytes>{kKeepalive, refresh, kKeepalive}));
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(BgpFramer, ReturnsEveryMessageOfOneFeedAndKeepsTheRest) {
  Framer framer;
  const auto stream = test::cat({kKeepalive, kKeepalive, hex("ffff ffff")});
  framer.feed(stream);
  EXPECT_EQ(next_ok(framer), kKeepalive);
  EXPECT_EQ(next_ok(framer), kKeepalive);
  EXPECT_FALSE(framer.next());
  EXPECT_EQ(framer.buffered(), 4u);
}

TEST(BgpFramer, MarkerNotAllOnesIsConnectionNotSynchronized) {
  auto bytes = kKeepalive;
  bytes[7] = 0xfe;
  const Error e = header_error(bytes);
  EXPECT_EQ(e.code, ErrorCode::message_header);
  EXPECT_EQ(e.subcode, uint8_t(HeaderError::connection_not_synchronized));
  EXPECT_EQ(e.offset, 0u);
  EXPECT_TRUE(e.data.empty());
  EXPECT_EQ(e.text, "message header: marker is not all ones");
}

struct LengthCase {
  const char* length_and_type;  // hex of the last 3 header octets
  const char* text;
};

TEST(BgpFramer, BadLengthsCarryTheLengthField) {
  const LengthCase cases[] = {
      {"0012 04", "message header: length 18 is below the 19-byte header"},
      {"1001 02", "message header: length 4097 is above the 4096-byte maximum"},
      {"0014 04", "message header: length 20 is not 19 for a KEEPALIVE"},
      {"001c 01", "message header: length 28 is below the 29-byte minimum of type 1"},
      {"0016 02", "message header: length 22 is below the 23-byte minimum of type 2"},
      {"0014 03", "message header: length 20 is below the 21-byte minimum of type 3"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.length_and_type);
    const auto bytes = test::cat({wire::Bytes(16, 0xff), hex(c.length_and_type)});
    const Error e = header_error(bytes);
    EXPECT_EQ(e.code, ErrorCode::message_header);
    EXPECT_EQ(e.subcode, uint8_t(HeaderError::bad_message_length));
    EXPECT_EQ(e.offset, 16u);
    EXPECT_EQ(e.data, wire::Bytes(bytes.begin() + 16, bytes.begin() + 18));
    EXPECT_EQ(e.text, c.text);
  }
}

TEST(BgpFramer, UnknownTypeIsBadMessageTypeWithTheType) {
  for (uint8_t type : {0, 6, 255}) {
    auto bytes = kKeepalive;
    bytes[18] = type;
    const Error e = header_error(bytes);
    EXPECT_EQ(e.code, ErrorCode::message_header);
    EXPECT_EQ(e.subcode, uint8_t(HeaderError::bad_message_type));
    EXPECT_EQ(e.offset, 18u);
    EXPECT_EQ(e.data, wire::Bytes{type});
    EXPECT_EQ(e.text, "message header: unknown message type " + std::to_string(type));
  }
}

TEST(BgpFramer, ErrorIsFinalAndFurtherBytesAreIgnored) {
  Framer framer;
  framer.feed(hex("00000000000000000000000000000000 0013 04"));
  ASSERT_TRUE(framer.next());
  framer.feed(kKeepalive);
  auto again = framer.next();
  ASSERT_TRUE(again);
  EXPECT_EQ(std::get<Error>(*again).subcode, uint8_t(HeaderError::connection_not_synchronized));
}

TEST(BgpFramer, WaitsForTheWholeBodyOfALongMessage) {
  const auto open_body = hex("04 fde9 005a 0a000001 00");
  const auto open = framed(MessageType::open, open_body);
  Framer framer;
  framer.feed(std::span(open).first(open.size() - 1));
  EXPECT_FALSE(framer.next());
  framer.feed(std::span(open).last(1));
  EXPECT_EQ(next_ok(framer), open);
}

TEST(BgpMessage, DecodeChecksTheHeaderLengthAgainstTheBytesGiven) {
  auto bytes = test::cat({kKeepalive, hex("00")});
  const Error e = test::decode_error(bytes);
  EXPECT_EQ(e.subcode, uint8_t(HeaderError::bad_message_length));
  EXPECT_EQ(e.text, "message header: length 19 but 20 octets given");
  const Error shorter = test::decode_error(hex("ffff"));
  EXPECT_EQ(shorter.subcode, uint8_t(HeaderError::bad_message_length));
  EXPECT_EQ(shorter.text, "message header: 2 octets, shorter than the 19-byte header");
}

}  // namespace
}  // namespace nwbpf::bgp
