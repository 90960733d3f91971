// SPDX-License-Identifier: Apache-2.0
// VICI messages (strongSwan vici/README.md "Message format"): the README's
// own encoding example byte for byte, truncation of it at every field, and
// every malformed element sequence with its exact error and offset.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "ipsec/vici_message.h"
#include "ipsec_vici_test_support.h"

namespace nwbpf::ipsec::vici {
namespace {

using test::Cut;
using test::hex;

// README "Encoding example", the C array transcribed.
constexpr const char* kSpecExample =
    "03 04 6b657931 0006 76616c756531"  // key1 = value1
    "01 08 73656374696f6e31"            // section1 {
    "01 0b 7375622d73656374696f6e"      //   sub-section {
    "03 04 6b657932 0006 76616c756532"  //     key2 = value2
    "02"                                //   }
    "04 05 6c69737431"                  //   list1 = [
    "05 0005 6974656d31"                //     item1
    "05 0005 6974656d32"                //     item2
    "06"                                //   ]
    "02";                               // }

Message spec_example() {
  return Message{}.add("key1", "value1").add(
      "section1", Section{}
                      .add("sub-section", Section{}.add("key2", "value2"))
                      .add("list1", List{"item1", "item2"}));
}

wire::Bytes encode_ok(const Message& message) {
  wire::Bytes out;
  auto done = encode_message(message, out);
  EXPECT_TRUE(done) << done.error().message;
  return out;
}

Error decode_error(std::string_view bytes, size_t base = 0) {
  auto decoded = decode_message(hex(bytes), base);
  EXPECT_FALSE(decoded) << bytes;
  return decoded ? Error{} : decoded.error();
}

Error encode_error(const Message& message) {
  wire::Bytes out = hex("aa");  // encode_message appends; a failure leaves this alone
  auto done = encode_message(message, out);
  EXPECT_FALSE(done);
  EXPECT_EQ(out, hex("aa"));
  return done ? Error{} : done.error();
}

TEST(IpsecViciMessage, SpecExample) {
  EXPECT_EQ(encode_ok(spec_example()), hex(kSpecExample));
  auto decoded = decode_message(hex(kSpecExample));
  ASSERT_TRUE(decoded) << decoded.error().message;
  const Message& message = decoded.value();
  EXPECT_EQ(message, spec_example());
  EXPECT_EQ(*message.value("key1"), "value1");
  const Section* section1 = message.section("section1");
  ASSERT_NE(section1, nullptr);
  EXPECT_EQ(*section1->section("sub-section")->value("key2"), "value2");
  EXPECT_EQ(*section1->list("list1"), (List{"item1", "item2"}));
  // A lookup of the wrong kind, or of a name only a child holds, finds nothing.
  EXPECT_EQ(message.list("key1"), nullptr);
  EXPECT_EQ(message.value("key2"), nullptr);
}

TEST(IpsecViciMessage, EmptyPieces) {
  EXPECT_EQ(encode_ok(Message{}), wire::Bytes{});
  EXPECT_EQ(decode_message({}).value(), Message{});
  // An empty list, an empty section and an empty value are all valid.
  const auto message = Message{}.add("l", List{}).add("s", Section{}).add("k", "");
  const auto bytes = hex("04 01 6c 06  01 01 73 02  03 01 6b 0000");
  EXPECT_EQ(encode_ok(message), bytes);
  EXPECT_EQ(decode_message(bytes).value(), message);
}

TEST(IpsecViciMessage, ValuesAreBlobsAndLimitsAreInclusive) {
  const auto message = Message{}.add("k", std::string("\x00\xff", 2));
  EXPECT_EQ(encode_ok(message), hex("03 01 6b 0002 00ff"));
  EXPECT_EQ(decode_message(hex("03 01 6b 0002 00ff")).value(), message);
  const auto largest = Message{}.add(std::string(255, 'n'), std::string(65535, 'v'));
  const auto bytes = encode_ok(largest);
  ASSERT_EQ(bytes.size(), 1 + 1 + 255 + 2 + 65535u);
  EXPECT_EQ(decode_message(bytes).value(), largest);
}

TEST(IpsecViciMessage, SameNameInDifferentSectionsAndListItems) {
  const auto message = Message{}
                           .add("a", Section{}.add("k", "1"))
                           .add("b", Section{}.add("k", "1"))
                           .add("l", List{"x", "x"});
  const auto bytes = hex(
      "01 01 61 03 01 6b 0001 31 02  01 01 62 03 01 6b 0001 31 02"
      "04 01 6c 05 0001 78 05 0001 78 06");
  EXPECT_EQ(encode_ok(message), bytes);
  EXPECT_EQ(decode_message(bytes).value(), message);
}

// Each prefix of the README example (test::Cut says how to read the table).
TEST(IpsecViciMessage, TruncationAtEveryField) {
  const auto inside = [](const char* what, const char* name) {
    return std::string("message ends inside ") + what + " \"" + name + "\"";
  };
  const std::vector<Cut> cuts = {
      {0, 0, std::nullopt},
      {1, 1, Error{1, "KEY_VALUE name length: truncated"}},
      {2, 5, Error{2, "KEY_VALUE name: truncated"}},
      {6, 7, Error{6, "KEY_VALUE value length: truncated"}},
      {8, 13, Error{8, "KEY_VALUE value: truncated"}},
      {14, 14, std::nullopt},
      {15, 15, Error{15, "SECTION_START name length: truncated"}},
      {16, 23, Error{16, "SECTION_START name: truncated"}},
      {24, 24, Error{24, inside("section", "section1")}},
      {25, 25, Error{25, "SECTION_START name length: truncated"}},
      {26, 36, Error{26, "SECTION_START name: truncated"}},
      {37, 37, Error{37, inside("section", "sub-section")}},
      {38, 38, Error{38, "KEY_VALUE name length: truncated"}},
      {39, 42, Error{39, "KEY_VALUE name: truncated"}},
      {43, 44, Error{43, "KEY_VALUE value length: truncated"}},
      {45, 50, Error{45, "KEY_VALUE value: truncated"}},
      {51, 51, Error{51, inside("section", "sub-section")}},
      {52, 52, Error{52, inside("section", "section1")}},
      {53, 53, Error{53, "LIST_START name length: truncated"}},
      {54, 58, Error{54, "LIST_START name: truncated"}},
      {59, 59, Error{59, inside("list", "list1")}},
      {60, 61, Error{60, "LIST_ITEM value length: truncated"}},
      {62, 66, Error{62, "LIST_ITEM value: truncated"}},
      {67, 67, Error{67, inside("list", "list1")}},
      {68, 69, Error{68, "LIST_ITEM value length: truncated"}},
      {70, 74, Error{70, "LIST_ITEM value: truncated"}},
      {75, 75, Error{75, inside("list", "list1")}},
      {76, 76, Error{76, inside("section", "section1")}},
      {77, 77, std::nullopt},
  };
  const auto bytes = hex(kSpecExample);
  ASSERT_EQ(bytes.size(), 77u);
  test::expect_cuts(bytes, cuts, [](std::span<const uint8_t> prefix) {
    return decode_message(prefix);
  });
}

TEST(IpsecViciMessage, MalformedElementSequences) {
  const std::vector<std::pair<std::string, Error>> cases = {
      {"00", {0, "unknown element type 0"}},
      {"03 01 6b 0000 07", {5, "unknown element type 7"}},
      {"02", {0, "SECTION_END without SECTION_START"}},
      {"01 01 73 02 02", {4, "SECTION_END without SECTION_START"}},
      {"06", {0, "LIST_END without LIST_START"}},
      {"05 0000", {0, "LIST_ITEM outside a list"}},
      {"01 01 73 05 0000 02", {3, "LIST_ITEM outside a list"}},
      // README "Lists": only items between LIST_START and LIST_END, no nesting.
      {"04 01 6c 03 01 6b 0000 06", {3, "KEY_VALUE inside list \"l\""}},
      {"04 01 6c 04 01 6d 06 06", {3, "LIST_START inside list \"l\""}},
      {"04 01 6c 01 01 73 02 06", {3, "SECTION_START inside list \"l\""}},
      {"01 01 73 04 01 6c 02", {6, "SECTION_END inside list \"l\""}},
      // README "Key/Values": unique names; we extend it to lists and sections.
      {"03 01 6b 0000 03 01 6b 0000", {5, "KEY_VALUE \"k\": duplicate name in the root section"}},
      {"01 01 73 03 01 6b 0000 04 01 6b 06 02",
       {8, "LIST_START \"k\": duplicate name in section \"s\""}},
      {"04 01 73 06 01 01 73 02", {4, "SECTION_START \"s\": duplicate name in the root section"}},
      {"03 00 0000", {2, "KEY_VALUE name: empty"}},
      {"01 02 61 0a 02", {3, "SECTION_START name: byte 0x0a is not printable ASCII"}},
      {"04 01 80 06", {2, "LIST_START name: byte 0x80 is not printable ASCII"}},
      {"01 01 73", {3, "message ends inside section \"s\""}},
      {"04 01 6c 05 0000", {6, "message ends inside list \"l\""}},
  };
  for (const auto& [bytes, error] : cases) EXPECT_EQ(decode_error(bytes), error) << bytes;
  // Offsets count from where the message sits in its packet.
  EXPECT_EQ(decode_error("02", 12), (Error{12, "SECTION_END without SECTION_START"}));
}

std::string nested_sections(size_t depth) {
  std::string bytes;
  for (size_t i = 0; i < depth; ++i) bytes += "01 01 73 ";
  for (size_t i = 0; i < depth; ++i) bytes += "02 ";
  return bytes;
}

Message nested_message(size_t depth) {
  Message message;
  for (size_t i = 0; i < depth; ++i) message = Section{}.add("s", message);
  return message;
}

TEST(IpsecViciMessage, NestingDepthLimit) {
  EXPECT_EQ(decode_message(hex(nested_sections(kMaxDepth))).value(), nested_message(kMaxDepth));
  EXPECT_EQ(encode_ok(nested_message(kMaxDepth)), hex(nested_sections(kMaxDepth)));
  const Error too_deep{3 * kMaxDepth, "SECTION_START \"s\": nesting deeper than 32 sections"};
  EXPECT_EQ(decode_error(nested_sections(kMaxDepth + 1)), too_deep);
  // The encoder's offsets count in its output, which starts after "aa".
  EXPECT_EQ(encode_error(nested_message(kMaxDepth + 1)),
            (Error{too_deep.offset + 1, too_deep.message}));
}

TEST(IpsecViciMessage, EncodeRefusesWhatDecodeWould) {
  EXPECT_EQ(encode_error(Message{}.add("", "v")), (Error{3, "KEY_VALUE name: empty"}));
  EXPECT_EQ(encode_error(Message{}.add(std::string(256, 'n'), Section{})),
            (Error{3, "SECTION_START name: 256 bytes, at most 255"}));
  EXPECT_EQ(encode_error(Message{}.add("a\tb", List{})),
            (Error{4, "LIST_START name: byte 0x09 is not printable ASCII"}));
  EXPECT_EQ(encode_error(Message{}.add("k", std::string(65536, 'v'))),
            (Error{4, "KEY_VALUE \"k\": value of 65536 bytes, at most 65535"}));
  EXPECT_EQ(encode_error(Message{}.add("l", List{"x", std::string(65536, 'v')})),
            (Error{9, "LIST_ITEM \"l\": value of 65536 bytes, at most 65535"}));
  EXPECT_EQ(encode_error(Message{}.add("k", "a").add("k", List{})),
            (Error{7, "LIST_START \"k\": duplicate name in the root section"}));
  EXPECT_EQ(encode_error(Message{}.add("s", Section{}.add("k", "").add("k", ""))),
            (Error{9, "KEY_VALUE \"k\": duplicate name in section \"s\""}));
}

}  // namespace
}  // namespace nwbpf::ipsec::vici
