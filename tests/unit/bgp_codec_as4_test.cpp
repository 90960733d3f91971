// SPDX-License-Identifier: Apache-2.0
// 4-octet ASes toward and from a 2-octet speaker (RFC 6793 §4.2).
#include "bgp_codec_test_support.h"

namespace nwbpf::bgp {
namespace {

using test::framed;
using test::hex;
using Seg = AsSegment::Type;

constexpr SessionOptions kTwoOctet{false};
constexpr uint32_t kBig1 = 4200000001;  // fa56ea01
constexpr uint32_t kBig2 = 4200000002;  // fa56ea02

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

Update route(AsPath path) {
  Update u;
  u.attributes.origin = Origin::igp;
  u.attributes.as_path = std::move(path);
  u.attributes.next_hop = ip("192.0.2.1");
  u.nlri = {{ip("10.0.0.0"), 8}};
  return u;
}

// ORIGIN, AS_PATH and NEXT_HOP of route(), then `more` attributes, NLRI 10/8.
wire::Bytes route_body(const wire::Bytes& as_path, const wire::Bytes& more = {}) {
  const auto attrs = test::cat({hex("40 01 01 00"), as_path, hex("40 03 04 c0000201"), more});
  return test::update_body(attrs, hex("08 0a"));
}

TEST(BgpAs4, TwoOctetPeerGetsAsTransPlusAs4Attributes) {
  Update u = route({{Seg::as_sequence, {65001, kBig1}}});
  u.attributes.aggregator = Aggregator{kBig1, ip("192.0.2.9")};
  const auto body =
      test::update_body(hex("40 01 01 00"
                            "40 02 06 02 02 fde9 5ba0"  // AS_PATH 65001 AS_TRANS
                            "40 03 04 c0000201"
                            "c0 07 06 5ba0 c0000209"            // AGGREGATOR AS_TRANS
                            "c0 11 0a 02 02 0000fde9 fa56ea01"  // AS4_PATH 65001 4200000001
                            "c0 12 08 fa56ea01 c0000209"),      // AS4_AGGREGATOR
                        hex("08 0a"));
  EXPECT_EQ(encode_message(u, kTwoOctet), framed(MessageType::update, body));
  EXPECT_EQ(test::decode_ok<Update>(framed(MessageType::update, body), kTwoOctet), u);
}

TEST(BgpAs4, TwoOctetPathWithoutBigAsesHasNoAs4Path) {
  const Update u = route({{Seg::as_sequence, {65001, 65002}}});
  EXPECT_EQ(encode_message(u, kTwoOctet),
            framed(MessageType::update, route_body(hex("40 02 06 02 02 fde9 fdea"))));
}

TEST(BgpAs4, AsesPrependedByTheTwoOctetSpeakerLeadTheMergedPath) {
  // 65010 (2-octet) prepended itself; AS4_PATH covers the two it passed on.
  const auto body =
      route_body(hex("40 02 08 02 03 fdf2 5ba0 5ba0"), hex("c0 11 0a 02 02 fa56ea01 fa56ea02"));
  const Update u = test::decode_ok<Update>(framed(MessageType::update, body), kTwoOctet);
  EXPECT_EQ(u.attributes.as_path, (AsPath{{Seg::as_sequence, {65010, kBig1, kBig2}}}));
}

TEST(BgpAs4, AsSetCountsAsOneAs) {
  const auto body = route_body(hex("40 02 0a 02 01 fdf2 01 02 5ba0 fdfc"),
                               hex("c0 11 0a 01 02 fa56ea01 0000fdfc"));
  const Update u = test::decode_ok<Update>(framed(MessageType::update, body), kTwoOctet);
  EXPECT_EQ(u.attributes.as_path,
            (AsPath{{Seg::as_sequence, {65010}}, {Seg::as_set, {kBig1, 65020}}}));
}

TEST(BgpAs4, LongerAs4PathIsIgnored) {
  const auto body = route_body(hex("40 02 04 02 01 5ba0"), hex("c0 11 0a 02 02 fa56ea01 fa56ea02"));
  const Update u = test::decode_ok<Update>(framed(MessageType::update, body), kTwoOctet);
  EXPECT_EQ(u.attributes.as_path, (AsPath{{Seg::as_sequence, {kAsTrans}}}));
  EXPECT_EQ(u.action, UpdateAction::none);
}

TEST(BgpAs4, AggregatorFromATwoOctetSpeakerVoidsTheAs4Attributes) {
  // AGGREGATOR 65010 is not AS_TRANS: a 2-octet speaker aggregated after the
  // AS4_* attributes were written (RFC 6793 §4.2.3).
  const auto body =
      route_body(hex("40 02 04 02 01 5ba0"), hex("c0 07 06 fdf2 c0000209 c0 11 06 02 01 fa56ea01"
                                                 "c0 12 08 fa56ea01 c0000209"));
  const Update u = test::decode_ok<Update>(framed(MessageType::update, body), kTwoOctet);
  EXPECT_EQ(u.attributes.as_path, (AsPath{{Seg::as_sequence, {kAsTrans}}}));
  EXPECT_EQ(u.attributes.aggregator, (Aggregator{65010, ip("192.0.2.9")}));
}

TEST(BgpAs4, ConfederationSegmentsOfAsPathStayInFront) {
  const auto body =
      route_body(hex("40 02 0a 03 01 fdf2 02 02 fdf3 5ba0"), hex("c0 11 06 02 01 fa56ea01"));
  const Update u = test::decode_ok<Update>(framed(MessageType::update, body), kTwoOctet);
  EXPECT_EQ(u.attributes.as_path,
            (AsPath{{Seg::confed_sequence, {65010}}, {Seg::as_sequence, {65011, kBig1}}}));
  // Also when AS4_PATH covers every AS: confederation segments count none.
  const auto covered =
      route_body(hex("40 02 08 03 01 fdf2 02 01 5ba0"), hex("c0 11 06 02 01 fa56ea01"));
  EXPECT_EQ(
      test::decode_ok<Update>(framed(MessageType::update, covered), kTwoOctet).attributes.as_path,
      (AsPath{{Seg::confed_sequence, {65010}}, {Seg::as_sequence, {kBig1}}}));
}

TEST(BgpAs4, As4AttributesBetweenFourOctetSpeakersAreDiscarded) {
  const auto body = route_body(hex("40 02 06 02 01 0000fde9"), hex("c0 11 06 02 01 fa56ea01"));
  const Update u = test::decode_ok<Update>(framed(MessageType::update, body));
  EXPECT_EQ(u.attributes.as_path, (AsPath{{Seg::as_sequence, {65001}}}));
  EXPECT_EQ(u.action, UpdateAction::none);
}

TEST(BgpAs4, MalformedAs4PathIsDiscardedAndAsPathKept) {
  struct Case {
    const char* as4_path;
    const char* text;
  } cases[] = {
      {"c0 11 06 03 01 fa56ea01", "UPDATE: AS4_PATH: confederation segment"},
      {"c0 11 02 02 00", "UPDATE: AS4_PATH: segment of length zero"},
      {"c0 11 05 02 01 fa56ea", "UPDATE: AS4_PATH: segment of 1 ASes overruns the attribute"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.as4_path);
    const auto body = route_body(hex("40 02 04 02 01 5ba0"), hex(c.as4_path));
    const Update u = test::decode_ok<Update>(framed(MessageType::update, body), kTwoOctet);
    EXPECT_EQ(u.attributes.as_path, (AsPath{{Seg::as_sequence, {kAsTrans}}}));
    EXPECT_EQ(u.action, UpdateAction::attribute_discard);
    ASSERT_EQ(u.errors.size(), 1u);
    EXPECT_EQ(u.errors[0].subcode, uint8_t(UpdateError::malformed_as_path));
    EXPECT_EQ(u.errors[0].text, c.text);
  }
}

}  // namespace
}  // namespace nwbpf::bgp
