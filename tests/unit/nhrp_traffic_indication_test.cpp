// SPDX-License-Identifier: Apache-2.0
// Traffic Indication (type 8) as the route server sends it about a relayed
// VXLAN packet and as the source CE reads it (FRR nhrpd's
// nhrp_peer_send_indication / nhrp_handle_traffic_ind): golden bytes
// (checksums computed apart from this code), the target read back, and a
// payload that is not an IPv4 header refused with exact errors.
#include <gtest/gtest.h>

#include "nhrp/shortcut_table.h"
#include "nhrp/traffic_indication.h"
#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp::test {
namespace {

const Station kRouteServer{ip("192.0.2.1"), ip("10.255.0.1")};
const RelayedFlow kFlow{ip("10.255.0.2"), ip("10.255.0.3")};

// Hop count 1, traffic code 0, to the origin CE (10.255.0.2); payload:
// IPv4 10.255.0.2 -> 10.255.0.3 (UDP, 36 octets, TTL 64), UDP 4789 ->
// 4789 length 16 no checksum, VXLAN I flag, VNI 100.
const char* kIndication =
    "0001 0800 0000000000 01 004c 8528 0000 01 08 04 00"
    "04 04 0000 0000 0000 c0000201 0aff0001 0aff0002"
    "4500 0024 0000 0000 40 11 64c7 0aff0002 0aff0003"
    "12b5 12b5 0010 0000"
    "08 000000 000064 00";

TEST(NhrpTrafficIndication, GoldenIndicationAboutARelayedPacket) {
  expect_golden(traffic_indication(kRouteServer, kFlow, 100), kIndication);
}

TEST(NhrpTrafficIndication, TheOriginResolvesThePayloadsDestination) {
  const Packet received = decode_ok(hex(kIndication));
  auto flow = read_traffic_indication(received);
  ASSERT_TRUE(flow) << flow.error().message;
  EXPECT_EQ(flow.value(), kFlow);
  // What the CE does with it (nhrpd: nhrp_shortcut_initiate on the target).
  ShortcutTable table({kFlow.origin, ip("192.0.2.2"), 600, 1400}, 1);
  auto out = table.resolve(flow.value().target, kRouteServer.nbma, std::nullopt, at(0));
  ASSERT_EQ(out.send.size(), 1u);
  EXPECT_EQ(out.send[0].packet.dst_protocol, kFlow.target);
}

TEST(NhrpTrafficIndication, AnyIpv4HeaderWillDo) {
  // As FRR sends it: the relayed packet itself, here an ICMP echo with an
  // IP option (header length 24), cut short; only the addresses count.
  Packet p = traffic_indication(kRouteServer, kFlow, 0);
  p.payload = hex("4600 0054 1234 4000 3f 01 0000 0aff0002 0aff0003 01010000 0800");
  EXPECT_EQ(read_traffic_indication(p).value(), kFlow);
}

Error read_error(const Packet& p) {
  auto result = read_traffic_indication(p);
  if (result) {
    ADD_FAILURE() << "read succeeded where an error was expected";
    return {};
  }
  return result.error();
}

TEST(NhrpTrafficIndication, MalformedPayloadsAndOtherTypes) {
  Packet p = traffic_indication(kRouteServer, kFlow, 100);
  p.payload.resize(19);
  EXPECT_EQ(read_error(p),
            (Error{ErrorCode::protocol_error, 40,
                   "traffic indication: payload of 19 octets, an IPv4 header needs 20"}));
  p.payload = hex("6000 0000 0000 1140 0000 0000 0000 0000 0000 0000");  // IPv6
  EXPECT_EQ(read_error(p),
            (Error{ErrorCode::protocol_error, 40,
                   "traffic indication: payload IP version 6, want 4 (ar$pro.type 0x0800)"}));
  p.payload[0] = 0x44;
  EXPECT_EQ(read_error(p),
            (Error{ErrorCode::protocol_error, 40,
                   "traffic indication: payload IPv4 header length 16 octets, at least 20"}));
  EXPECT_EQ(read_error(registration_request()),
            (Error{ErrorCode::protocol_error, 17,
                   "traffic indication: packet type 3 is not a Traffic Indication (8)"}));
}

TEST(NhrpTrafficIndication, AMalformedOneIsAnsweredWithItsError) {
  // The origin CE refuses a cut payload (§5.2.7): Protocol Error at 40,
  // back to the route server, carrying the indication as it arrived.
  Packet p = traffic_indication(kRouteServer, kFlow, 100);
  p.payload.resize(8);
  const wire::Bytes bytes = encode_ok(p);
  const Packet refusal = error_indication({ip("192.0.2.2"), kFlow.origin}, kRouteServer.protocol,
                                          read_error(decode_ok(bytes)), bytes);
  expect_golden(refusal,
                "0001 0800 0000000000 40 0058 1629 0000 01 07 04 00"
                "04 04 0000 0007 0028 c0000202 0aff0002 0aff0001"
                "0001 0800 0000000000 01 0030 d19a 0000 01 08 04 00"
                "04 04 0000 0000 0000 c0000201 0aff0001 0aff0002"
                "4500 0024 0000 0000");
}

}  // namespace
}  // namespace nwbpf::nhrp::test
