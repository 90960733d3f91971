// SPDX-License-Identifier: Apache-2.0
// Every NHRP packet type (RFC 2332 §5.2.1-§5.2.7, Traffic Indication as FRR
// nhrpd and Cisco send it) encoded to exact bytes and decoded back. The
// checksums were computed apart from our code; tshark decodes these bytes
// (agent/nhrp/README.md).
#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp {
namespace {

using test::expect_golden;
using test::hex;
using test::ip;

Packet base(PacketType type, const char* src_nbma, const char* src, const char* dst) {
  Packet p;
  p.type = type;
  p.src_nbma = ip(src_nbma);
  p.src_protocol = ip(src);
  p.dst_protocol = ip(dst);
  return p;
}

Extension cies(ExtensionType type, bool compulsory, std::vector<Cie> entries = {}) {
  return {uint16_t(type), compulsory, std::move(entries)};
}

Cie host(const char* nbma, const char* protocol, uint16_t holding_time = 7200) {
  return Cie{0, 32, 1400, holding_time, ip(nbma), ip(protocol), 0};
}

TEST(NhrpPackets, RegistrationRequest) {
  expect_golden(test::registration_request(), test::kRegistrationRequest);
}

TEST(NhrpPackets, RegistrationReplyWithResponderAndNatAddress) {
  auto p = base(PacketType::registration_reply, "198.51.100.1", "10.0.0.1", "10.0.0.254");
  p.flags = flags::registration_unique | flags::nat;
  p.request_id = 7;
  p.cies = {test::registration_cie()};
  p.extensions = {
      cies(ExtensionType::forward_transit_nhs, true),
      cies(ExtensionType::reverse_transit_nhs, true),
      cies(ExtensionType::responder_address, true, {host("203.0.113.254", "10.0.0.254")}),
      // The NHS saw the spoke's packets come from 192.0.2.7: it is NAT'd.
      cies(ExtensionType::nat_address, false, {host("192.0.2.7", "10.0.0.1", 0)}),
  };
  expect_golden(p, test::kRegistrationReply);
}

TEST(NhrpPackets, ResolutionRequest) {
  auto p = base(PacketType::resolution_request, "198.51.100.1", "10.0.0.1", "10.0.0.3");
  p.flags = flags::resolution_source_is_router | flags::resolution_source_stable;
  p.request_id = 42;
  p.cies = {Cie{0, 0, 1400, 7200, {}, {}, 0}};
  p.extensions = {cies(ExtensionType::forward_transit_nhs, true),
                  cies(ExtensionType::reverse_transit_nhs, true),
                  cies(ExtensionType::responder_address, true)};
  expect_golden(p,
                "0001 0800 0000000000 40 0044 0638 0034 01 01 04 00"
                "04 04 8800 0000002a c6336401 0a000001 0a000003"
                "00 00 0000 0578 1c20 00 00 00 00"
                "8004 0000 8005 0000 8003 0000 8000 0000");
}

TEST(NhrpPackets, ResolutionReplyWithTransitRecord) {
  auto p = base(PacketType::resolution_reply, "198.51.100.1", "10.0.0.1", "10.0.0.3");
  p.hop_count = 63;
  p.flags = flags::resolution_source_is_router | flags::resolution_authoritative |
            flags::resolution_destination_stable | flags::resolution_source_stable;
  p.request_id = 42;
  p.cies = {host("198.51.100.3", "10.0.0.3")};
  p.extensions = {
      cies(ExtensionType::responder_address, true, {host("198.51.100.3", "10.0.0.3")}),
      cies(ExtensionType::forward_transit_nhs, true, {host("203.0.113.254", "10.0.0.254")}),
      cies(ExtensionType::reverse_transit_nhs, true),
  };
  expect_golden(p,
                "0001 0800 0000000000 3f 0074 99d5 003c 01 02 04 00"
                "04 04 e800 0000002a c6336401 0a000001 0a000003"
                "00 20 0000 0578 1c20 04 00 04 00 c6336403 0a000003"
                "8003 0014 00 20 0000 0578 1c20 04 00 04 00 c6336403 0a000003"
                "8004 0014 00 20 0000 0578 1c20 04 00 04 00 cb0071fe 0a0000fe"
                "8005 0000 8000 0000");
}

constexpr const char* kPurgeRequest =
    "0001 0800 0000000000 40 0038 8e53 0000 01 05 04 00"
    "04 04 0000 00000009 cb0071fe 0a0000fe 0a000001"
    "00 20 0000 0000 0000 00 00 04 00 0a000003";

Packet purge(PacketType type) {
  auto p = base(type, "203.0.113.254", "10.0.0.254", "10.0.0.1");
  p.request_id = 9;
  p.cies = {Cie{0, 32, 0, 0, {}, ip("10.0.0.3"), 0}};
  return p;
}

TEST(NhrpPackets, PurgeRequestWithoutExtensions) {
  expect_golden(purge(PacketType::purge_request), kPurgeRequest);
}

TEST(NhrpPackets, PurgeReply) {
  expect_golden(purge(PacketType::purge_reply),
                "0001 0800 0000000000 40 0038 8e52 0000 01 06 04 00"
                "04 04 0000 00000009 cb0071fe 0a0000fe 0a000001"
                "00 20 0000 0000 0000 00 00 04 00 0a000003");
}

TEST(NhrpPackets, ErrorIndicationCarriesThePacketInError) {
  auto p = base(PacketType::error_indication, "203.0.113.254", "10.0.0.254", "10.0.0.1");
  p.error_code = uint16_t(ErrorCode::unrecognized_extension);
  p.error_offset = 20;
  p.payload = hex(kPurgeRequest);
  expect_golden(p, std::string("0001 0800 0000000000 40 0060 9c40 0000 01 07 04 00"
                               "04 04 0000 0001 0014 cb0071fe 0a0000fe 0a000001")
                       .append(kPurgeRequest)
                       .c_str());
  // The packet in error decodes on its own (FRR reads its request ID).
  EXPECT_EQ(test::decode_ok(p.payload), purge(PacketType::purge_request));
}

TEST(NhrpPackets, TrafficIndicationCarriesTheDataPacketHeader) {
  auto p = base(PacketType::traffic_indication, "203.0.113.254", "10.0.0.254", "10.0.0.3");
  p.hop_count = 1;  // FRR: an indication goes one hop, to the source CE
  // IPv4 10.0.0.1 -> 10.0.0.3, ICMP echo request: what the NHS relayed.
  p.payload = hex("4500001c 00010000 400166dd 0a000001 0a000003 0800e5ca 12340001");
  expect_golden(p,
                "0001 0800 0000000000 01 0044 9cad 0000 01 08 04 00"
                "04 04 0000 00000000 cb0071fe 0a0000fe 0a000003"
                "4500001c 00010000 400166dd 0a000001 0a000003 0800e5ca 12340001");
}

TEST(NhrpPackets, TrafficCodeSitsBetweenTwoUnusedWords) {
  // draft-detienne-dmvpn-01 Figure 4: unused(2), traffic code(2), unused(2).
  auto p = base(PacketType::traffic_indication, "203.0.113.254", "10.0.0.254", "10.0.0.3");
  p.traffic_code = 0x0102;
  const auto bytes = test::encode_ok(p);
  EXPECT_EQ(wire::Bytes(bytes.begin() + 22, bytes.begin() + 28), hex("0000 0102 0000"));
  EXPECT_EQ(test::decode_ok(bytes), p);
}

TEST(NhrpPackets, OddLengthChecksumPadsWithZero) {
  // RFC 2332 §5.2.0.1: an odd-length packet is summed as if followed by 0x00.
  auto p = base(PacketType::traffic_indication, "203.0.113.254", "10.0.0.254", "10.0.0.3");
  p.payload = {0x45};
  const auto bytes = test::encode_ok(p);
  ASSERT_EQ(bytes.size(), 41u);
  EXPECT_EQ(internet_checksum(bytes), 0);
  EXPECT_EQ(test::decode_ok(bytes), p);
}

TEST(NhrpPackets, EncodeRefusesWhatExceedsTheSdu) {
  auto p = base(PacketType::traffic_indication, "203.0.113.254", "10.0.0.254", "10.0.0.3");
  p.payload.assign(1400, 0);
  auto too_big = encode_packet(p, 1400);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error(),
            (Error{ErrorCode::sdu_size_exceeded, 0, "encode: 1440 octets exceed 1400"}));
  p.payload.assign(0xffff, 0);
  EXPECT_EQ(encode_packet(p).error().message, "encode: 65575 octets exceed 65535");
}

}  // namespace
}  // namespace nwbpf::nhrp

namespace nwbpf::nhrp::test {
namespace {

TEST(NhrpPacketTypeName, EveryTypeAndAnUnknownOne) {
  EXPECT_EQ(packet_type_name(PacketType::resolution_request), "Resolution Request");
  EXPECT_EQ(packet_type_name(PacketType::registration_reply), "Registration Reply");
  EXPECT_EQ(packet_type_name(PacketType::traffic_indication), "Traffic Indication");
  EXPECT_EQ(packet_type_name(static_cast<PacketType>(9)), "type 9");
}

}  // namespace
}  // namespace nwbpf::nhrp::test
