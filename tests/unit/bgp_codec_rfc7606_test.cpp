// SPDX-License-Identifier: Apache-2.0
// What each bad UPDATE costs (RFC 7606): session reset, treat-as-withdraw or
// attribute discard, with the NOTIFICATION fields RFC 4271 §6.3 prescribes.
#include "bgp_codec_test_support.h"

namespace nwbpf::bgp {
namespace {

using test::framed;
using test::hex;

const wire::Bytes kOrigin = hex("40 01 01 00");
const wire::Bytes kAsPath = hex("40 02 00");
const wire::Bytes kNextHop = hex("40 03 04 c0000201");
const wire::Bytes kNlri = hex("08 0a");
const wire::Bytes kEvpnReach = hex("80 0e 09 0019 46 04 c0000201 00");

struct Outcome {
  UpdateAction action = UpdateAction::none;
  Error error;  // the reset's Error, or the first error of the Update
  Update update;
};

Outcome decode(const wire::Bytes& body, SessionOptions options = {}) {
  Outcome out;
  auto result = decode_message(framed(MessageType::update, body), options);
  if (auto* error = std::get_if<Error>(&result)) {
    out.action = UpdateAction::session_reset;
    out.error = *error;
    return out;
  }
  out.update = std::get<Update>(std::get<Message>(result));
  out.action = out.update.action;
  if (!out.update.errors.empty()) out.error = out.update.errors.front();
  return out;
}

// A valid route's ORIGIN, AS_PATH and NEXT_HOP followed by `attribute`.
wire::Bytes with_attribute(const wire::Bytes& attribute) {
  return test::update_body(test::cat({kOrigin, kAsPath, kNextHop, attribute}), kNlri);
}

struct Case {
  const char* attribute;
  UpdateAction action;
  UpdateError subcode;
  bool data;  // the attribute is the NOTIFICATION data
  const char* text;
};

constexpr auto kWithdraw = UpdateAction::treat_as_withdraw;
constexpr auto kDiscard = UpdateAction::attribute_discard;
constexpr auto kReset = UpdateAction::session_reset;

TEST(BgpRfc7606, EachAttributeErrorHasItsApproach) {
  const Case cases[] = {
      // §7.1 ORIGIN
      {"40 01 02 0000", kWithdraw, UpdateError::attribute_length_error, true,
       "UPDATE: ORIGIN length 2, expected 1"},
      {"40 01 01 03", kWithdraw, UpdateError::invalid_origin_attribute, true,
       "UPDATE: ORIGIN value 3 is undefined"},
      // §7.2 AS_PATH: Malformed AS_PATH carries no data (RFC 4271 §6.3)
      {"40 02 04 02 02 fde9", kWithdraw, UpdateError::malformed_as_path, false,
       "UPDATE: AS_PATH: segment of 2 ASes overruns the attribute"},
      {"40 02 02 02 00", kWithdraw, UpdateError::malformed_as_path, false,
       "UPDATE: AS_PATH: segment of length zero"},
      {"40 02 06 05 01 0000fde9", kWithdraw, UpdateError::malformed_as_path, false,
       "UPDATE: AS_PATH: unknown segment type 5"},
      {"40 02 07 02 01 0000fde9 02", kWithdraw, UpdateError::malformed_as_path, false,
       "UPDATE: AS_PATH: a single octet after the last segment"},
      // §7.3 NEXT_HOP
      {"40 03 05 c0000201 00", kWithdraw, UpdateError::attribute_length_error, true,
       "UPDATE: NEXT_HOP length 5, expected 4"},
      {"40 03 04 00000000", kWithdraw, UpdateError::invalid_next_hop_attribute, true,
       "UPDATE: NEXT_HOP 0.0.0.0 is not a host address"},
      {"40 03 04 e0000001", kWithdraw, UpdateError::invalid_next_hop_attribute, true,
       "UPDATE: NEXT_HOP 224.0.0.1 is not a host address"},
      // §7.4, §7.5
      {"80 04 03 000064", kWithdraw, UpdateError::attribute_length_error, true,
       "UPDATE: MULTI_EXIT_DISC length 3, expected 4"},
      {"40 05 05 0000006400", kWithdraw, UpdateError::attribute_length_error, true,
       "UPDATE: LOCAL_PREF length 5, expected 4"},
      // §7.6, §7.7: attribute discard
      {"40 06 01 00", kDiscard, UpdateError::attribute_length_error, true,
       "UPDATE: ATOMIC_AGGREGATE length 1, expected 0"},
      {"c0 07 06 fde9 c0000209", kDiscard, UpdateError::attribute_length_error, true,
       "UPDATE: AGGREGATOR length 6, expected 8"},
      // §7.8 COMMUNITIES, §7.9 ORIGINATOR_ID, §7.10 CLUSTER_LIST, §7.14
      {"c0 08 00", kWithdraw, UpdateError::attribute_length_error, true,
       "UPDATE: COMMUNITIES length 0, expected a non-zero multiple of 4"},
      {"c0 08 05 fde90064 00", kWithdraw, UpdateError::attribute_length_error, true,
       "UPDATE: COMMUNITIES length 5, expected a non-zero multiple of 4"},
      {"80 09 03 c00002", kWithdraw, UpdateError::attribute_length_error, true,
       "UPDATE: ORIGINATOR_ID length 3, expected 4"},
      {"80 0a 06 c0000201 0000", kWithdraw, UpdateError::attribute_length_error, true,
       "UPDATE: CLUSTER_LIST length 6, expected a non-zero multiple of 4"},
      {"c0 10 0c 0002fde900000064 00000000", kWithdraw, UpdateError::attribute_length_error, true,
       "UPDATE: EXTENDED_COMMUNITIES length 12, expected a non-zero multiple of 8"},
      // PMSI tunnel: RFC 7606 §8 guidance
      {"c0 16 04 00 06 0000", kWithdraw, UpdateError::attribute_length_error, true,
       "UPDATE: PMSI_TUNNEL length 4, expected at least 5"},
      // §7.11, §7.12: MP attributes we cannot trust reset the session
      {"80 0e 09 0019 46 05 c0000201 00", kReset, UpdateError::attribute_length_error, true,
       "UPDATE: MP_REACH_NLRI truncated before its NLRI"},
      {"80 0e 09 0019 46 03 c00002 00 00", kReset, UpdateError::optional_attribute_error, true,
       "UPDATE: MP_REACH_NLRI next hop length 3 for AFI 25 SAFI 70"},
      {"80 0e 0c 0001 01 04 c0000201 00 19 0a01", kReset, UpdateError::optional_attribute_error,
       true, "UPDATE: MP_REACH_NLRI: prefix /25 overruns the field"},
      {"80 0f 02 0019", kReset, UpdateError::attribute_length_error, true,
       "UPDATE: MP_UNREACH_NLRI length 2, expected at least 3"},
      {"80 0f 04 0001 01 21", kReset, UpdateError::optional_attribute_error, true,
       "UPDATE: MP_UNREACH_NLRI: prefix length 33 is over 32"},
      // §3(c): Optional/Transitive bits in conflict
      {"40 08 04 fde90064", kWithdraw, UpdateError::attribute_flags_error, true,
       "UPDATE: COMMUNITIES flags 0x40 conflict with its type"},
      {"c0 06 00", kWithdraw, UpdateError::attribute_flags_error, true,
       "UPDATE: ATOMIC_AGGREGATE flags 0xc0 conflict with its type"},
      {"c0 0e 09 0019 46 04 c0000201 00", kReset, UpdateError::attribute_flags_error, true,
       "UPDATE: MP_REACH_NLRI flags 0xc0 conflict with its type"},
      // RFC 4271 §6.3: an unrecognized well-known attribute
      {"40 63 01 00", kReset, UpdateError::unrecognized_well_known_attribute, true,
       "UPDATE: unrecognized well-known attribute 99"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.attribute);
    const auto attribute = hex(c.attribute);
    // Replace the base attribute of the same type so there is no duplicate.
    const uint8_t type = attribute[1];
    const auto body = test::update_body(
        test::cat({type == 1 ? wire::Bytes{} : kOrigin, type == 2 ? wire::Bytes{} : kAsPath,
                   type == 3 ? wire::Bytes{} : kNextHop, type > 3 ? attribute : wire::Bytes{},
                   type <= 3 ? attribute : wire::Bytes{}}),
        kNlri);
    const Outcome out = decode(body);
    EXPECT_EQ(out.action, c.action);
    EXPECT_EQ(out.error.code, ErrorCode::update_message);
    EXPECT_EQ(out.error.subcode, uint8_t(c.subcode));
    EXPECT_EQ(out.error.data, c.data ? attribute : wire::Bytes{});
    EXPECT_EQ(out.error.text, c.text);
    if (c.action != kReset) {
      EXPECT_EQ(out.update.errors.size(), 1u);
    }
  }
}

TEST(BgpRfc7606, ErrorOffsetIsTheAttributeStart) {
  // withdrawn length 2 + attributes length 2 after the header: ORIGIN at 23.
  const Outcome out = decode(with_attribute(hex("c0 08 00")));
  EXPECT_EQ(out.error.offset, 23u + 4 + 3 + 7);
}

TEST(BgpRfc7606, TreatAsWithdrawKeepsTheRoutesToWithdraw) {
  const auto body = test::update_body(test::cat({kEvpnReach, hex("40 01 01 07"), kAsPath}));
  const Outcome out = decode(body);
  EXPECT_EQ(out.action, kWithdraw);
  ASSERT_TRUE(out.update.attributes.mp_reach);
  EXPECT_EQ(out.update.attributes.mp_reach->family, kL2vpnEvpn);
}

TEST(BgpRfc7606, DuplicatesAfterTheFirstAreDiscarded) {
  const Outcome out = decode(with_attribute(hex("40 01 01 02")));
  EXPECT_EQ(out.action, kDiscard);
  EXPECT_EQ(out.update.attributes.origin, Origin::igp);
  EXPECT_EQ(out.error.subcode, uint8_t(UpdateError::malformed_attribute_list));
  EXPECT_EQ(out.error.text, "UPDATE: ORIGIN appears twice");
}

TEST(BgpRfc7606, DuplicateMpAttributesResetTheSession) {
  const auto body = test::update_body(test::cat({kEvpnReach, kOrigin, kAsPath, kEvpnReach}));
  const Outcome out = decode(body);
  EXPECT_EQ(out.action, kReset);
  EXPECT_EQ(out.error.subcode, uint8_t(UpdateError::malformed_attribute_list));
  EXPECT_EQ(out.error.text, "UPDATE: MP_REACH_NLRI appears twice");
  EXPECT_TRUE(out.error.data.empty());
}

TEST(BgpRfc7606, MissingWellKnownAttributeOnlyWhenThereAreRoutes) {
  const Outcome no_next_hop = decode(test::update_body(test::cat({kOrigin, kAsPath}), kNlri));
  EXPECT_EQ(no_next_hop.action, kWithdraw);
  EXPECT_EQ(no_next_hop.error.subcode, uint8_t(UpdateError::missing_well_known_attribute));
  EXPECT_EQ(no_next_hop.error.data, wire::Bytes{3});
  EXPECT_EQ(no_next_hop.error.offset, 21u);
  EXPECT_EQ(no_next_hop.error.text, "UPDATE: missing well-known attribute NEXT_HOP");

  // MP_REACH_NLRI needs ORIGIN and AS_PATH but carries its own next hop.
  const Outcome evpn = decode(test::update_body(test::cat({kEvpnReach, kOrigin, kAsPath})));
  EXPECT_EQ(evpn.action, UpdateAction::none);
  const Outcome no_origin = decode(test::update_body(test::cat({kEvpnReach, kAsPath})));
  EXPECT_EQ(no_origin.action, kWithdraw);
  EXPECT_EQ(no_origin.error.text, "UPDATE: missing well-known attribute ORIGIN");

  // Withdrawals need nothing.
  EXPECT_EQ(decode(hex("0002 08 0a 0000")).action, UpdateAction::none);
  EXPECT_EQ(decode(test::update_body(hex("80 0f 05 0019 46 00 00"))).action, UpdateAction::none);
}

TEST(BgpRfc7606, AttributeOverrunningTheFieldIsTreatAsWithdraw) {
  // §4: the field's length still locates the NLRI.
  const Outcome overrun = decode(with_attribute(hex("c0 08 08 fde90064")));
  EXPECT_EQ(overrun.action, kWithdraw);
  EXPECT_EQ(overrun.error.subcode, uint8_t(UpdateError::attribute_length_error));
  EXPECT_EQ(overrun.error.text, "UPDATE: COMMUNITIES length 8 overruns the attributes");
  EXPECT_EQ(overrun.update.nlri.size(), 1u);
  const Outcome header = decode(with_attribute(hex("c0 08")));
  EXPECT_EQ(header.action, kWithdraw);
  EXPECT_EQ(header.error.subcode, uint8_t(UpdateError::malformed_attribute_list));
  EXPECT_EQ(header.error.text, "UPDATE: attribute header truncated");
  const Outcome extended = decode(with_attribute(hex("d0 08 00")));
  EXPECT_EQ(extended.error.text, "UPDATE: attribute header truncated");
  // An MP attribute cut short loses NLRI that would need withdrawing.
  const Outcome mp = decode(with_attribute(hex("80 0e 09 0019 46 04 c0000201")));
  EXPECT_EQ(mp.action, kReset);
  EXPECT_EQ(mp.error.subcode, uint8_t(UpdateError::attribute_length_error));
  EXPECT_EQ(mp.error.text, "UPDATE: MP_REACH_NLRI length 9 overruns the attributes");
}

TEST(BgpRfc7606, LengthsOverrunningTheMessageResetTheSession) {
  const Outcome withdrawn = decode(hex("0005 08 0a 0000"));
  EXPECT_EQ(withdrawn.action, kReset);
  EXPECT_EQ(withdrawn.error.subcode, uint8_t(UpdateError::malformed_attribute_list));
  EXPECT_EQ(withdrawn.error.offset, 19u);
  EXPECT_EQ(withdrawn.error.text, "UPDATE: withdrawn routes length 5 overruns the message");
  const Outcome attributes = decode(hex("0000 0005 40 01 01 00"));
  EXPECT_EQ(attributes.action, kReset);
  EXPECT_EQ(attributes.error.offset, 21u);
  EXPECT_EQ(attributes.error.text, "UPDATE: total path attribute length 5 overruns the message");
}

TEST(BgpRfc7606, UnparseableRoutesResetTheSession) {
  const Outcome nlri =
      decode(test::update_body(test::cat({kOrigin, kAsPath, kNextHop}), hex("21 0a000000 00")));
  EXPECT_EQ(nlri.action, kReset);
  EXPECT_EQ(nlri.error.subcode, uint8_t(UpdateError::invalid_network_field));
  EXPECT_EQ(nlri.error.offset, 37u);
  EXPECT_EQ(nlri.error.text, "UPDATE: NLRI: prefix length 33 is over 32");
  const Outcome withdrawn = decode(hex("0002 10 0a 0000"));
  EXPECT_EQ(withdrawn.action, kReset);
  EXPECT_EQ(withdrawn.error.offset, 21u);
  EXPECT_EQ(withdrawn.error.text, "UPDATE: withdrawn routes: prefix /16 overruns the field");
}

TEST(BgpRfc7606, TheMostSevereApproachWins) {
  // §3(h): discard then withdraw -> withdraw, both recorded in order.
  const Outcome two = decode(with_attribute(hex("40 06 01 00 c0 08 00")));
  EXPECT_EQ(two.action, kWithdraw);
  ASSERT_EQ(two.update.errors.size(), 2u);
  EXPECT_EQ(two.update.errors[0].text, "UPDATE: ATOMIC_AGGREGATE length 1, expected 0");
  // A bad MP attribute after a withdraw-level error still resets.
  const Outcome reset =
      decode(test::update_body(test::cat({hex("40 01 01 09"), kAsPath, hex("80 0f 02 0019")})));
  EXPECT_EQ(reset.action, kReset);
  EXPECT_EQ(reset.error.text, "UPDATE: MP_UNREACH_NLRI length 2, expected at least 3");
}

}  // namespace
}  // namespace nwbpf::bgp
