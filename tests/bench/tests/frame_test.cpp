// SPDX-License-Identifier: Apache-2.0
// Frame builders, hex templates and the flow-header locator: exact bytes
// (checksums computed independently) and exact error text.
#include "frame.h"

#include <gtest/gtest.h>

namespace nwbpf::bench {
namespace {

UdpFrameSpec default_spec() {
  return {.src_mac = *Mac::parse("02:00:00:00:01:01"),
          .dst_mac = *Mac::parse("02:00:00:00:01:02"),
          .src_ip = *Ipv4::parse("172.16.0.1"),
          .dst_ip = *Ipv4::parse("172.16.0.2"),
          .src_port = 1024,
          .dst_port = 9,
          .size = 64};
}

VxlanSpec default_outer() {
  return {.src_mac = *Mac::parse("02:00:00:00:00:01"),
          .dst_mac = *Mac::parse("02:00:00:00:00:02"),
          .src_ip = *Ipv4::parse("192.168.0.2"),
          .dst_ip = *Ipv4::parse("192.168.0.1"),
          .src_port = 49152,
          .vni = 99};
}

std::string message_of(auto&& fn) {
  try {
    fn();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no exception";
}

const Bytes kUdp64 = parse_hex(
    "020000000102 020000000101 0800"                   // Ethernet
    "4500 0032 0000 0000 4011 2298 ac100001 ac100002"  // IPv4, 50 bytes, checksum 0x2298
    "0400 0009 001e a385"                              // UDP 1024 -> 9, 30 bytes, checksum
    "00000000000000000000 00000000000000000000 0000",  // 22 bytes of zero payload
    "expected");

TEST(BenchFrame, UdpFrameExactBytes) { EXPECT_EQ(build_udp_frame(default_spec()), kUdp64); }

TEST(BenchFrame, UdpFrameSizeLimits) {
  auto spec = default_spec();
  spec.size = 41;
  EXPECT_EQ(message_of([&] { build_udp_frame(spec); }), "frame of 41 bytes: must be 42..3000");
  spec.size = 3001;
  EXPECT_EQ(message_of([&] { build_udp_frame(spec); }), "frame of 3001 bytes: must be 42..3000");
  spec.size = 42;
  EXPECT_EQ(build_udp_frame(spec).size(), 42u);
}

TEST(BenchFrame, VxlanExactBytes) {
  Bytes frame = vxlan_encapsulate(default_outer(), kUdp64);
  Bytes expected = parse_hex(
      "020000000002 020000000001 0800"
      "4500 0064 0000 4000 4011 b935 c0a80002 c0a80001"  // DF, 100 bytes
      "c000 12b5 0050 0000"                              // 49152 -> 4789, 80 bytes, no checksum
      "08000000 00006300",                               // I flag, VNI 99
      "expected");
  expected.insert(expected.end(), kUdp64.begin(), kUdp64.end());
  EXPECT_EQ(frame, expected);
}

TEST(BenchFrame, VxlanLimits) {
  auto outer = default_outer();
  outer.vni = 1u << 24;
  EXPECT_EQ(message_of([&] { vxlan_encapsulate(outer, kUdp64); }),
            "VNI 16777216 does not fit 24 bits");
  EXPECT_EQ(message_of([&] { vxlan_encapsulate(default_outer(), Bytes(2951)); }),
            "VXLAN frame of 3001 bytes: must be 64..3000");
}

TEST(BenchFrame, ParseHexAcceptsCommentsAndSpacing) {
  EXPECT_EQ(parse_hex("# a comment 0g\n00 11aa\r\n\tFF # end\n", "t"),
            (Bytes{0x00, 0x11, 0xaa, 0xff}));
}

TEST(BenchFrame, ParseHexErrors) {
  EXPECT_EQ(message_of([] { parse_hex("00\n1g", "t"); }), "t:2:2: 'g' is not a hex digit");
  EXPECT_EQ(message_of([] { parse_hex("001 2", "t"); }), "t:1:3: odd number of hex digits");
  EXPECT_EQ(message_of([] { parse_hex("0011\nab c", "t"); }), "t:2:4: odd number of hex digits");
  EXPECT_EQ(message_of([] { parse_hex("# nothing\n", "t"); }), "t: no frame bytes");
  EXPECT_EQ(message_of([] { parse_hex(std::string(6002, '0'), "t"); }),
            "t: frame of 3001 bytes exceeds 3000");
}

TEST(BenchFrame, HexRoundTrip) {
  Bytes frame = build_udp_frame(default_spec());
  std::string hex = to_hex(frame);
  EXPECT_EQ(hex.substr(0, 33), "02000000010202000000010108004500\n");
  EXPECT_EQ(parse_hex(hex, "t"), frame);
}

TEST(BenchFrame, FlowHeadersPlainAndVxlan) {
  EXPECT_EQ(find_flow_udp_headers(kUdp64), (std::vector<size_t>{34}));
  EXPECT_EQ(find_flow_udp_headers(vxlan_encapsulate(default_outer(), kUdp64)),
            (std::vector<size_t>{34, 84}));
}

TEST(BenchFrame, FlowHeadersTaggedFrame) {
  Bytes tagged = kUdp64;
  const uint8_t tag[] = {0x81, 0x00, 0x00, 0x63};
  tagged.insert(tagged.begin() + 12, tag, tag + 4);
  EXPECT_EQ(find_flow_udp_headers(tagged), (std::vector<size_t>{38}));
}

TEST(BenchFrame, FlowHeadersNone) {
  Bytes tcp = kUdp64;
  tcp[23] = 6;
  EXPECT_TRUE(find_flow_udp_headers(tcp).empty());
  Bytes fragment = kUdp64;
  fragment[21] = 0x10;  // fragment offset 16 x 8 bytes: no UDP header here
  EXPECT_TRUE(find_flow_udp_headers(fragment).empty());
  EXPECT_TRUE(find_flow_udp_headers(Bytes(kUdp64.begin(), kUdp64.begin() + 41)).empty());
  Bytes options = kUdp64;
  options[14] = 0x46;  // IHL 6: the UDP header moves 4 bytes on
  EXPECT_EQ(find_flow_udp_headers(options), (std::vector<size_t>{38}));
}

}  // namespace
}  // namespace nwbpf::bench
