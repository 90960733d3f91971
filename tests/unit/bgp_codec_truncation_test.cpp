// SPDX-License-Identifier: Apache-2.0
// Good messages cut at every length, with the enclosing lengths following the
// cut, so each field's own check is what fails: the right code and subcode,
// never a crash, success only where the cut falls between whole elements.
#include <cstdint>
#include <set>

#include "bgp_codec_test_support.h"

namespace nwbpf::bgp {
namespace {

using test::framed;
using test::hex;

struct Verdict {
  UpdateAction action;
  uint8_t subcode;  // of the reset's Error or the Update's first error
};

Verdict judge(const wire::Bytes& body, SessionOptions options = {}) {
  auto result = decode_message(framed(MessageType::update, body), options);
  if (auto* error = std::get_if<Error>(&result))
    return {UpdateAction::session_reset, error->subcode};
  const auto& u = std::get<Update>(std::get<Message>(result));
  return {u.action, u.errors.empty() ? uint8_t(0) : u.errors.front().subcode};
}

wire::Bytes prefix(const wire::Bytes& bytes, size_t n) {
  return wire::Bytes(bytes.begin(), bytes.begin() + std::ptrdiff_t(n));
}

TEST(BgpTruncation, EvpnUpdateBody) {
  const auto body =
      hex("0000 0027 80 0e 1c 0019 46 04 c0000201 00 03 11 0001c0000201 0002 00000000 20 c0000201"
          "40 01 01 00 40 02 00");
  for (size_t n = 0; n < body.size(); ++n) {
    SCOPED_TRACE(n);
    auto result = decode_message(framed(MessageType::update, prefix(body, n)), {});
    ASSERT_TRUE(std::holds_alternative<Error>(result));
    const Error& e = std::get<Error>(result);
    if (n < 4) {
      EXPECT_EQ(e.code, ErrorCode::message_header);
      EXPECT_EQ(e.subcode, uint8_t(HeaderError::bad_message_length));
    } else {
      EXPECT_EQ(e.code, ErrorCode::update_message);
      EXPECT_EQ(e.subcode, uint8_t(UpdateError::malformed_attribute_list));
    }
  }
}

TEST(BgpTruncation, Ipv4UpdateBody) {
  const auto body =
      hex("0003 10 0a01 000e 40 01 01 00 40 02 00 40 03 04 c0000201"
          "10 0a02 19 0a030180 20 c0000201");
  const std::set<size_t> whole_prefixes{21, 24, 29};  // 0, 1 or 2 NLRI prefixes left
  for (size_t n = 0; n < body.size(); ++n) {
    SCOPED_TRACE(n);
    if (n < 4) continue;  // header errors, as above
    const Verdict v = judge(prefix(body, n));
    if (whole_prefixes.count(n)) {
      EXPECT_EQ(v.action, UpdateAction::none);
      continue;
    }
    EXPECT_EQ(v.action, UpdateAction::session_reset);
    // Withdrawn routes and the attribute length overrun: Malformed Attribute
    // List; inside the NLRI: Invalid Network Field.
    EXPECT_EQ(v.subcode, n < 21 ? uint8_t(UpdateError::malformed_attribute_list)
                                : uint8_t(UpdateError::invalid_network_field));
  }
}

struct AttributeCase {
  uint8_t flags;
  uint8_t type;
  const char* value;
  Verdict cut;             // what any cut other than `whole` gives
  std::set<size_t> whole;  // cut lengths that are a valid shorter value
  bool four_octet = true;
  size_t nlri_at = SIZE_MAX;  // cuts from here on fall inside NLRI we parse...
  uint8_t nlri_subcode = 0;   // ...and give this subcode instead
};

TEST(BgpTruncation, EveryAttributeValue) {
  constexpr auto kWithdraw = UpdateAction::treat_as_withdraw;
  constexpr auto kDiscard = UpdateAction::attribute_discard;
  constexpr auto kReset = UpdateAction::session_reset;
  constexpr uint8_t kLength = uint8_t(UpdateError::attribute_length_error);
  const AttributeCase cases[] = {
      {0x40, 1, "00", {kWithdraw, kLength}, {}},
      {0x40,
       2,
       "02 02 0000fde9 0000fdea",
       {kWithdraw, uint8_t(UpdateError::malformed_as_path)},
       {0}},
      {0x40,
       2,
       "02 02 fde9 fdea",
       {kWithdraw, uint8_t(UpdateError::malformed_as_path)},
       {0},
       false},
      {0x40, 3, "c0000201", {kWithdraw, kLength}, {}},
      {0x80, 4, "00000064", {kWithdraw, kLength}, {}},
      {0x40, 5, "00000064", {kWithdraw, kLength}, {}},
      {0xc0, 7, "0000fde9 c0000209", {kDiscard, kLength}, {}},
      {0xc0, 7, "fde9 c0000209", {kDiscard, kLength}, {}, false},
      {0xc0, 8, "fde90064 fde90065", {kWithdraw, kLength}, {4}},
      {0x80, 9, "c0000201", {kWithdraw, kLength}, {}},
      {0x80, 10, "c0000201 c00002fe", {kWithdraw, kLength}, {4}},
      {0x80,
       14,
       "0019 46 04 c0000201 00 03 11 0001c0000201 0002 00000000 20 c0000201",
       {kReset, kLength},
       {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27}},
      {0x80,
       14,
       "0001 01 04 c0000201 00 18 0a0102",
       {kReset, kLength},
       {9},
       true,
       10,
       uint8_t(UpdateError::optional_attribute_error)},
      {0x80,
       15,
       "0019 46 03 11 0001c0000201 0002 00000000 20 c0000201",
       {kReset, kLength},
       {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21}},
      {0xc0, 16, "0002fde900000064 030c000000000008", {kWithdraw, kLength}, {8}},
      {0xc0, 17, "02 01 fa56ea01", {kDiscard, uint8_t(UpdateError::malformed_as_path)}, {0}, false},
      {0xc0, 18, "fa56ea01 c0000209", {kDiscard, kLength}, {}, false},
      {0xc0, 22, "00 06 000064 c0000201", {kWithdraw, kLength}, {5, 6, 7, 8}},
  };
  for (const auto& c : cases) {
    const auto value = hex(c.value);
    for (size_t n = 0; n < value.size(); ++n) {
      SCOPED_TRACE(std::string(c.value) + " cut to " + std::to_string(n));
      // ORIGIN, AS_PATH and NEXT_HOP, with the attribute under test in place
      // of its own type; no NLRI, so nothing is missing.
      wire::Bytes attrs;
      const auto cut = test::cat({{c.flags, c.type, uint8_t(n)}, prefix(value, n)});
      for (uint8_t base : {1, 2, 3}) {
        if (base == c.type) attrs = test::cat({attrs, cut});
        if (base == 1 && c.type != 1) attrs = test::cat({attrs, hex("40 01 01 00")});
        if (base == 2 && c.type != 2) attrs = test::cat({attrs, hex("40 02 00")});
        if (base == 3 && c.type != 3) attrs = test::cat({attrs, hex("40 03 04 c0000201")});
      }
      if (c.type > 3) attrs = test::cat({attrs, cut});
      const Verdict v = judge(test::update_body(attrs), SessionOptions{c.four_octet});
      if (c.whole.count(n)) {
        EXPECT_EQ(v.action, UpdateAction::none);
        continue;
      }
      EXPECT_EQ(v.action, c.cut.action);
      EXPECT_EQ(v.subcode, n >= c.nlri_at ? c.nlri_subcode : c.cut.subcode);
    }
  }
}

}  // namespace
}  // namespace nwbpf::bgp
