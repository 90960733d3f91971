// SPDX-License-Identifier: Apache-2.0
// Test frames for the benchmark generator: builders for a plain
// Ethernet/IPv4/UDP frame and its VXLAN encapsulation, a hex template reader,
// and the locator of the UDP headers whose source port names a flow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/net_types.h"

namespace nwbpf::bench {

using Bytes = std::vector<uint8_t>;

inline constexpr size_t kMinUdpFrame = 14 + 20 + 8;  // Ethernet + IPv4 + UDP, no payload
inline constexpr size_t kVxlanOverhead = 14 + 20 + 8 + 8;

struct UdpFrameSpec {
  Mac src_mac, dst_mac;
  Ipv4 src_ip, dst_ip;
  uint16_t src_port = 0, dst_port = 0;
  size_t size = 64;  // whole frame without FCS
};

struct VxlanSpec {
  Mac src_mac, dst_mac;
  Ipv4 src_ip, dst_ip;
  uint16_t src_port = 0;
  uint32_t vni = 0;  // 24 bits
};

// Untagged IPv4/UDP frame of exactly spec.size bytes, zero payload, correct IPv4
// and UDP checksums, TTL 64. Throws std::invalid_argument if size is outside
// [kMinUdpFrame, BENCH_MAX_FRAME].
Bytes build_udp_frame(const UdpFrameSpec& spec);

// `inner` behind Ethernet/IPv4 (DF, TTL 64)/UDP (to 4789, checksum 0, as RFC
// 7348 section 5 allows)/VXLAN (I flag). Throws std::invalid_argument when the
// VNI exceeds 24 bits or the result exceeds BENCH_MAX_FRAME.
Bytes vxlan_encapsulate(const VxlanSpec& spec, const Bytes& inner);

// One frame from hex text: pairs of hex digits, whitespace anywhere between
// pairs, '#' starts a comment to the end of the line (so `xxd -p` output and
// annotated files both work). Throws std::invalid_argument with
// "<source>:<line>:<col>: ..." on the first bad character or an odd digit.
Bytes parse_hex(std::string_view text, const std::string& source);
// `xxd -p` style: 32 hex digits a line.
std::string to_hex(const Bytes& frame);

// Offsets of the UDP headers that identify a flow, outermost first: the UDP
// header of an (up to double-tagged) Ethernet/IPv4 frame that is not a
// non-first fragment and, if that one goes to port 4789, the UDP header of the
// encapsulated frame too. Empty when the frame carries no such UDP header.
std::vector<size_t> find_flow_udp_headers(const Bytes& frame);

}  // namespace nwbpf::bench
