// SPDX-License-Identifier: Apache-2.0
// VICI packets (strongSwan vici/README.md "Transport protocol", "Packet
// layer"): the packets the IKE controller sends and receives, byte for byte,
// every type, truncation at every field, and each malformed packet.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "ipsec/vici_packet.h"
#include "ipsec_vici_test_support.h"

namespace nwbpf::ipsec::vici {
namespace {

using test::hex;

// Golden packets, the length field first (kVersionRequest, kIkeUpdown from
// the support header: the client tests send them too).
using test::kIkeUpdown;
using test::kVersionRequest;

constexpr const char* kLoadShared =
    "00000047  00 0b 6c6f61642d736861726564"       // CMD_REQUEST load-shared
    "03 04 74797065 0003 494b45"                   // type = IKE
    "03 04 64617461 0006 733363723374"             // data = s3cr3t
    "04 06 6f776e657273"                           // owners = [
    "05 0009 3139322e302e322e31"                   //   192.0.2.1
    "05 0009 3139322e302e322e32"                   //   192.0.2.2
    "06";                                          // ]

Packet load_shared() {
  return {PacketType::cmd_request, "load-shared",
          Message{}.add("type", "IKE").add("data", "s3cr3t").add(
              "owners", List{"192.0.2.1", "192.0.2.2"})};
}

Packet ike_updown() {
  return {PacketType::event, "ike-updown",
          Message{}.add("up", "yes").add("rs1", Section{}.add("state", "ESTABLISHED"))};
}

std::span<const uint8_t> segment_of(const wire::Bytes& packet) {
  return std::span(packet).subspan(4);
}

void expect_golden(const Packet& packet, const char* golden) {
  auto encoded = encode_packet(packet);
  ASSERT_TRUE(encoded) << encoded.error().message;
  EXPECT_EQ(encoded.value(), hex(golden));
  const auto bytes = hex(golden);
  auto decoded = decode_packet(segment_of(bytes));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded.value(), packet);
}

Error decode_error(std::string_view segment) {
  auto decoded = decode_packet(hex(segment));
  EXPECT_FALSE(decoded) << segment;
  return decoded ? Error{} : decoded.error();
}

Error encode_error(const Packet& packet) {
  auto encoded = encode_packet(packet);
  EXPECT_FALSE(encoded);
  return encoded ? Error{} : encoded.error();
}

TEST(IpsecViciPacket, Commands) {
  expect_golden({PacketType::cmd_request, "version", {}}, kVersionRequest);
  expect_golden(load_shared(), kLoadShared);
  expect_golden({PacketType::cmd_response, "", Message{}.add("success", "yes")},
                "0000000f  01  03 07 73756363657373 0003 796573");
  expect_golden({PacketType::cmd_unknown, "", {}}, "00000001 02");
}

TEST(IpsecViciPacket, Events) {
  expect_golden({PacketType::event_register, "ike-updown", {}},
                "0000000c  03 0a 696b652d7570646f776e");
  expect_golden({PacketType::event_unregister, "ike-updown", {}},
                "0000000c  04 0a 696b652d7570646f776e");
  expect_golden({PacketType::event_confirm, "", {}}, "00000001 05");
  expect_golden({PacketType::event_unknown, "", {}}, "00000001 06");
  expect_golden(ike_updown(), kIkeUpdown);
  EXPECT_EQ(*ike_updown().message.section("rs1")->value("state"), "ESTABLISHED");
}

// Each prefix of the segment (after the length field) decodes as the table says.
void expect_cuts(const char* golden, const std::vector<test::Cut>& cuts) {
  const auto bytes = hex(golden);
  test::expect_cuts(segment_of(bytes), cuts,
                    [](std::span<const uint8_t> prefix) { return decode_packet(prefix); });
}

TEST(IpsecViciPacket, TruncationAtEveryField) {
  expect_cuts(kVersionRequest, {
                                   {0, 0, Error{0, "packet type: truncated"}},
                                   {1, 1, Error{1, "CMD_REQUEST name length: truncated"}},
                                   {2, 8, Error{2, "CMD_REQUEST name: truncated"}},
                                   {9, 9, std::nullopt},
                               });
  const std::string inside_rs1 = "message ends inside section \"rs1\"";
  expect_cuts(kIkeUpdown, {
                              {0, 0, Error{0, "packet type: truncated"}},
                              {1, 1, Error{1, "EVENT name length: truncated"}},
                              {2, 11, Error{2, "EVENT name: truncated"}},
                              {12, 12, std::nullopt},
                              {13, 13, Error{13, "KEY_VALUE name length: truncated"}},
                              {14, 15, Error{14, "KEY_VALUE name: truncated"}},
                              {16, 17, Error{16, "KEY_VALUE value length: truncated"}},
                              {18, 20, Error{18, "KEY_VALUE value: truncated"}},
                              {21, 21, std::nullopt},
                              {22, 22, Error{22, "SECTION_START name length: truncated"}},
                              {23, 25, Error{23, "SECTION_START name: truncated"}},
                              {26, 26, Error{26, inside_rs1}},
                              {27, 27, Error{27, "KEY_VALUE name length: truncated"}},
                              {28, 32, Error{28, "KEY_VALUE name: truncated"}},
                              {33, 34, Error{33, "KEY_VALUE value length: truncated"}},
                              {35, 45, Error{35, "KEY_VALUE value: truncated"}},
                              {46, 46, Error{46, inside_rs1}},
                              {47, 47, std::nullopt},
                          });
  expect_cuts("00000001 05", {
                                 {0, 0, Error{0, "packet type: truncated"}},
                                 {1, 1, std::nullopt},
                             });
}

TEST(IpsecViciPacket, MalformedPackets) {
  EXPECT_EQ(decode_error("08"), (Error{0, "unknown packet type 8"}));
  EXPECT_EQ(decode_error("ff 00"), (Error{0, "unknown packet type 255"}));
  EXPECT_EQ(decode_error("00 00"), (Error{2, "CMD_REQUEST name: empty"}));
  EXPECT_EQ(decode_error("07 02 69 00"),
            (Error{3, "EVENT name: byte 0x00 is not printable ASCII"}));
  EXPECT_EQ(decode_error("05 00"),
            (Error{1, "EVENT_CONFIRM carries no message but 1 more byte(s) follow"}));
  EXPECT_EQ(decode_error("03 01 61 0302"),
            (Error{3, "EVENT_REGISTER carries no message but 2 more byte(s) follow"}));
  // Message errors count from the type byte too.
  EXPECT_EQ(decode_error("00 01 61 02"), (Error{3, "SECTION_END without SECTION_START"}));
  EXPECT_EQ(decode_error("01 04 01 6c"), (Error{4, "message ends inside list \"l\""}));
}

TEST(IpsecViciPacket, EncodeRefusesMalformedPackets) {
  EXPECT_EQ(encode_error({PacketType::cmd_response, "x", {}}),
            (Error{5, "CMD_RESPONSE carries no name"}));
  EXPECT_EQ(encode_error({PacketType::event_confirm, "", Message{}.add("k", "v")}),
            (Error{5, "EVENT_CONFIRM carries no message"}));
  EXPECT_EQ(encode_error({PacketType::event_register, "ike-updown", Message{}.add("k", "v")}),
            (Error{5, "EVENT_REGISTER carries no message"}));
  EXPECT_EQ(encode_error({PacketType::cmd_request, "", {}}),
            (Error{6, "CMD_REQUEST name: empty"}));
  // Message errors count from the length field: the element is at 4 + 3.
  EXPECT_EQ(encode_error({PacketType::cmd_request, "x", Message{}.add("", "v")}),
            (Error{9, "KEY_VALUE name: empty"}));
}

TEST(IpsecViciPacket, SegmentLimit) {
  // Type and name "x", then eight keys of 65535-byte values:
  // 3 + 8 * (1 + 1 + 1 + 2 + 65535) bytes.
  Packet packet{PacketType::cmd_request, "x", {}};
  for (char key = 'a'; key < 'a' + 8; ++key)
    packet.message.add(std::string(1, key), std::string(65535, 'v'));
  EXPECT_EQ(encode_error(packet), (Error{0, "CMD_REQUEST of 524323 bytes, at most 524288"}));
  // 35 bytes fewer fit exactly.
  packet.message.entries().back().content = std::string(65535 - 35, 'v');
  auto encoded = encode_packet(packet);
  ASSERT_TRUE(encoded) << encoded.error().message;
  EXPECT_EQ(encoded.value().size(), 4 + kMaxSegmentLength);
  EXPECT_EQ(wire::Bytes(encoded.value().begin(), encoded.value().begin() + 4), hex("00080000"));
  EXPECT_EQ(decode_packet(segment_of(encoded.value())).value(), packet);
}

}  // namespace
}  // namespace nwbpf::ipsec::vici
