// SPDX-License-Identifier: Apache-2.0
// Frame builders for BPF tests: each returns the exact bytes a header and its
// payload occupy on the wire, so expected outputs are spelled out the same way
// as inputs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nwbpf::test {

using Bytes = std::vector<uint8_t>;
using MacAddr = std::array<uint8_t, 6>;

Bytes operator+(Bytes a, const Bytes& b);

// Network-order IPv4 address from dotted quad; aborts the test on bad text.
uint32_t ip4(const char* dotted);
MacAddr mac(const char* text);

constexpr uint16_t kEthIp = 0x0800;
constexpr uint16_t kEthArp = 0x0806;
constexpr uint16_t kEthVlan = 0x8100;
constexpr uint16_t kEthQinQ = 0x88a8;

// Ethernet header (+ one 802.1Q tag when vid is set) followed by payload.
Bytes ether(const MacAddr& dst, const MacAddr& src, uint16_t type, const Bytes& payload,
            std::optional<uint16_t> vid = std::nullopt);

struct Ipv4Opts {
  uint8_t ttl = 64;
  uint16_t id = 0;
  bool df = false;
  bool mf = false;
  uint16_t frag_offset = 0;  // in 8-byte units
  Bytes options;             // multiple of 4 bytes
  uint8_t tos = 0;
};
// IPv4 header with a correct checksum, followed by payload.
Bytes ipv4(uint32_t src, uint32_t dst, uint8_t proto, const Bytes& payload, const Ipv4Opts& o = {});
// UDP header (checksum 0) followed by payload.
Bytes udp(uint16_t sport, uint16_t dport, const Bytes& payload);
// VXLAN header (RFC 7348) followed by the inner frame.
Bytes vxlan(uint32_t vni, const Bytes& inner, uint8_t flags = 0x08);
// n bytes of a recognisable pattern starting at seed.
Bytes pattern(size_t n, uint8_t seed = 0);
// An ARP request body (28 bytes).
Bytes arp_body(const MacAddr& sender, uint32_t sender_ip, uint32_t target_ip);

uint16_t ipv4_checksum(const uint8_t* hdr, size_t len);
std::string hex(const Bytes& b);

}  // namespace nwbpf::test
