// SPDX-License-Identifier: Apache-2.0
// UPDATE (RFC 4271 §4.3) and every path attribute, golden bytes both ways.
#include <algorithm>

#include "bgp_codec_test_support.h"

namespace nwbpf::bgp {
namespace {

using test::framed;
using test::hex;

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

// IPv4 unicast with every classic attribute on a 4-octet session.
const wire::Bytes kIpv4Body =
    hex("0003 10 0a01"                       // withdrawn 10.1.0.0/16
        "003b"                               // 59 octets of attributes
        "40 01 01 00"                        // ORIGIN IGP
        "40 02 0a 02 02 0000fde9 0000fdea"   // AS_PATH sequence 65001 65002
        "40 03 04 c0000201"                  // NEXT_HOP 192.0.2.1
        "80 04 04 00000064"                  // MULTI_EXIT_DISC 100
        "40 05 04 000000c8"                  // LOCAL_PREF 200
        "40 06 00"                           // ATOMIC_AGGREGATE
        "c0 07 08 0000fde9 c0000209"         // AGGREGATOR 65001 192.0.2.9
        "c0 08 04 fde90064"                  // COMMUNITIES 65001:100
        "10 0a02 19 0a030180 20 c0000201");  // 10.2.0.0/16 10.3.1.128/25 192.0.2.1/32

Update ipv4_update() {
  Update u;
  u.withdrawn = {{ip("10.1.0.0"), 16}};
  PathAttributes& a = u.attributes;
  a.origin = Origin::igp;
  a.as_path = AsPath{{AsSegment::Type::as_sequence, {65001, 65002}}};
  a.next_hop = ip("192.0.2.1");
  a.med = 100;
  a.local_pref = 200;
  a.atomic_aggregate = true;
  a.aggregator = Aggregator{65001, ip("192.0.2.9")};
  a.communities = {0xfde90064};
  u.nlri = {{ip("10.2.0.0"), 16}, {ip("10.3.1.128"), 25}, {ip("192.0.2.1"), 32}};
  return u;
}

// An EVPN type-3 route as a route reflector passes it on: MP_REACH_NLRI first
// (RFC 7606 §5.1), empty AS_PATH (iBGP), ORIGINATOR_ID and CLUSTER_LIST
// (RFC 4456), route target and VXLAN encapsulation extended communities, PMSI
// tunnel for ingress replication with VNI 100 (RFC 8365 §5.1.3).
const wire::Bytes kEvpnNlri = hex("03 11 0001c0000201 0002 00000000 20 c0000201");
const wire::Bytes kEvpnBody = test::cat({hex("0000 005a"
                                             "80 0e 1c 0019 46 04 c0000201 00"),
                                         kEvpnNlri,
                                         hex("40 01 01 00"
                                             "40 02 00"
                                             "40 05 04 00000064"
                                             "80 09 04 c0000201"
                                             "80 0a 04 c00002fe"
                                             "c0 10 10 0002fde900000064 030c000000000008"
                                             "c0 16 09 00 06 000064 c0000201")});

Update evpn_update() {
  Update u;
  PathAttributes& a = u.attributes;
  a.mp_reach = MpReach{kL2vpnEvpn, hex("c0000201"), kEvpnNlri};
  a.origin = Origin::igp;
  a.as_path = AsPath{};
  a.local_pref = 100;
  a.originator_id = ip("192.0.2.1");
  a.cluster_list = {ip("192.0.2.254")};
  a.ext_communities = {ExtCommunity{0x00, 0x02, 0xfd, 0xe9, 0x00, 0x00, 0x00, 0x64},
                       ExtCommunity{0x03, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08}};
  a.pmsi_tunnel = PmsiTunnel{0, 6, 100, hex("c0000201")};
  return u;
}

TEST(BgpUpdate, Ipv4EncodesExactly) {
  EXPECT_EQ(encode_message(ipv4_update(), {}), framed(MessageType::update, kIpv4Body));
}

TEST(BgpUpdate, Ipv4DecodesToTheSameFields) {
  const Update u = test::decode_ok<Update>(framed(MessageType::update, kIpv4Body));
  EXPECT_EQ(u, ipv4_update());
  EXPECT_EQ(u.action, UpdateAction::none);
  EXPECT_TRUE(u.errors.empty());
}

TEST(BgpUpdate, EvpnEncodesExactly) {
  EXPECT_EQ(encode_message(evpn_update(), {}), framed(MessageType::update, kEvpnBody));
}

TEST(BgpUpdate, EvpnDecodesToTheSameFields) {
  EXPECT_EQ(test::decode_ok<Update>(framed(MessageType::update, kEvpnBody)), evpn_update());
}

TEST(BgpUpdate, ExtendedLengthIsReadAndOnlyWrittenWhenNeeded) {
  // FRR sends MP_REACH_NLRI with Extended Length whatever its size.
  const auto body = test::cat(
      {hex("0000 0027 90 0e 001c 0019 46 04 c0000201 00"), kEvpnNlri, hex("40 01 01 00 40 02 00")});
  Update u = test::decode_ok<Update>(framed(MessageType::update, body));
  EXPECT_EQ(u.attributes.mp_reach, evpn_update().attributes.mp_reach);
  EXPECT_EQ(encode_message(u, {})[23], 0x80);

  u.attributes.communities.assign(64, 0x0000ffff);  // 256 octets: extended length
  const auto bytes = encode_message(u, {});
  const auto header = hex("d0 08 0100");
  EXPECT_NE(std::search(bytes.begin(), bytes.end(), header.begin(), header.end()), bytes.end());
  EXPECT_EQ(test::decode_ok<Update>(bytes).attributes.communities, u.attributes.communities);
}

TEST(BgpUpdate, MpUnreachCarriesWithdrawnNlriAsBytes) {
  const auto body = test::cat({hex("0000 0019 80 0f 16 0019 46"), kEvpnNlri});
  const Update u = test::decode_ok<Update>(framed(MessageType::update, body));
  EXPECT_EQ(u.attributes.mp_unreach, (MpUnreach{kL2vpnEvpn, kEvpnNlri}));
  EXPECT_EQ(encode_message(u, {}), framed(MessageType::update, body));
}

TEST(BgpUpdate, Ipv4UnicastInMpReachIsChecked) {
  const auto body = hex("0000 0017 80 0e 0d 0001 01 04 c0000201 00 18 0a0102 40 01 01 00 40 02 00");
  const Update u = test::decode_ok<Update>(framed(MessageType::update, body));
  ASSERT_TRUE(u.attributes.mp_reach);
  auto prefixes = decode_ipv4_nlri(u.attributes.mp_reach->nlri);
  EXPECT_EQ(std::get<std::vector<Prefix4>>(prefixes), (std::vector<Prefix4>{{ip("10.1.2.0"), 24}}));
}

TEST(BgpUpdate, UnknownOptionalTransitiveIsKeptWithPartialSet) {
  // Large communities (32) are not ours: passed on with Partial (RFC 4271 §5).
  const auto body = hex("0000 0016 c0 20 0c 0000fde9 00000001 00000002 40 01 01 02 40 02 00");
  const Update u = test::decode_ok<Update>(framed(MessageType::update, body));
  EXPECT_EQ(u.attributes.unknown,
            (std::vector<UnknownAttribute>{{0xe0, 32, hex("0000fde9 00000001 00000002")}}));
  EXPECT_EQ(u.attributes.origin, Origin::incomplete);
  EXPECT_EQ(encode_message(u, {}),
            framed(MessageType::update,
                   hex("0000 0016 40 01 01 02 40 02 00 e0 20 0c 0000fde9 00000001 00000002")));
}

TEST(BgpUpdate, UnknownAttributesAreKeptInTypeOrder) {
  const auto body = hex("0000 000a c0 21 01 aa 40 02 00 c0 20 00");
  const Update u = test::decode_ok<Update>(framed(MessageType::update, body));
  EXPECT_EQ(u.attributes.unknown,
            (std::vector<UnknownAttribute>{{0xe0, 32, {}}, {0xe0, 33, {0xaa}}}));
}

TEST(BgpUpdate, UnknownOptionalNonTransitiveIsDropped) {
  const auto body = hex("0000 0003 80 63 00");
  const Update u = test::decode_ok<Update>(framed(MessageType::update, body));
  EXPECT_TRUE(u.attributes.unknown.empty());
  EXPECT_EQ(u.action, UpdateAction::none);
}

TEST(BgpUpdate, Nlri) {
  wire::Bytes out;
  const std::vector<Prefix4> prefixes{
      {ip("0.0.0.0"), 0}, {ip("10.0.0.0"), 8}, {ip("10.1.2.3"), 32}};
  encode_ipv4_nlri(prefixes, out);
  EXPECT_EQ(out, hex("00 08 0a 20 0a010203"));
  EXPECT_EQ(std::get<std::vector<Prefix4>>(decode_ipv4_nlri(out)), prefixes);
  // Bits past the length are cleared (RFC 4271 §4.3: they are irrelevant).
  EXPECT_EQ(std::get<std::vector<Prefix4>>(decode_ipv4_nlri(hex("0f 0a ff"))),
            (std::vector<Prefix4>{{ip("10.254.0.0"), 15}}));
}

TEST(BgpUpdate, BadNlriIsInvalidNetworkField) {
  const Error too_long = std::get<Error>(decode_ipv4_nlri(hex("18 0a0000 21 0a000000 00"), 100));
  EXPECT_EQ(too_long.code, ErrorCode::update_message);
  EXPECT_EQ(too_long.subcode, uint8_t(UpdateError::invalid_network_field));
  EXPECT_EQ(too_long.offset, 104u);
  EXPECT_EQ(too_long.text, "prefix length 33 is over 32");
  const Error overrun = std::get<Error>(decode_ipv4_nlri(hex("18 0a00")));
  EXPECT_EQ(overrun.offset, 0u);
  EXPECT_EQ(overrun.text, "prefix /24 overruns the field");
}

TEST(BgpUpdate, EncodeRefusesWhatDoesNotFit) {
  Update u = ipv4_update();
  u.nlri.assign(1100, {ip("10.0.0.0"), 24});  // 4400 octets of NLRI
  EXPECT_THROW(encode_message(u, {}), EncodeError);
  u = ipv4_update();
  u.attributes.as_path = AsPath{{AsSegment::Type::as_sequence, {}}};
  EXPECT_THROW(encode_message(u, {}), EncodeError);
  u = evpn_update();
  u.attributes.pmsi_tunnel->label = 0x1000000;
  EXPECT_THROW(encode_message(u, {}), EncodeError);
}

}  // namespace
}  // namespace nwbpf::bgp
