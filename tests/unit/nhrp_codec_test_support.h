// SPDX-License-Identifier: Apache-2.0
// Helpers for the NHRP tests: hex literals, addresses, the injected clock,
// the golden packets (FRR nhrpd's shapes, checksums computed independently),
// re-sealing a doctored packet (ar$pktsz, ar$chksum) so the check under test
// is the one that fails, and decoding with readable failures.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>
#include <string_view>

#include "hex_bytes.h"
#include "nhrp/checksum.h"
#include "nhrp/clock.h"
#include "nhrp/packet.h"

namespace nwbpf::nhrp::test {

using hex_bytes::hex;

inline Ipv4 ip(std::string_view text) { return *Ipv4::parse(text); }

// A fixed origin for the state machines' injected clock, plus `s` seconds.
inline TimePoint at(int s) {
  return TimePoint{} + std::chrono::hours(1) + std::chrono::seconds(s);
}

// Sets ar$pktsz to the size and recomputes ar$chksum (RFC 2332 §5.2.0.1).
inline wire::Bytes sealed(wire::Bytes bytes) {
  bytes[10] = uint8_t(bytes.size() >> 8);
  bytes[11] = uint8_t(bytes.size());
  bytes[12] = bytes[13] = 0;
  const uint16_t sum = internet_checksum(bytes);
  bytes[12] = uint8_t(sum >> 8);
  bytes[13] = uint8_t(sum);
  return bytes;
}

inline Packet decode_ok(const wire::Bytes& bytes, const DecodeOptions& options = {}) {
  auto result = decode_packet(bytes, options);
  if (!result) {
    ADD_FAILURE() << "decode failed: " << result.error().message;
    return {};
  }
  return result.value();
}

inline Error decode_error(const wire::Bytes& bytes, const DecodeOptions& options = {}) {
  auto result = decode_packet(bytes, options);
  if (result) {
    ADD_FAILURE() << "decode succeeded where an error was expected";
    return {};
  }
  return result.error();
}

inline wire::Bytes encode_ok(const Packet& packet) {
  auto result = encode_packet(packet);
  if (!result) {
    ADD_FAILURE() << "encode failed: " << result.error().message;
    return {};
  }
  return result.value();
}

// `packet` encodes to exactly `golden` and `golden` decodes back to it.
inline void expect_golden(const Packet& packet, const char* golden) {
  EXPECT_EQ(encode_ok(packet), hex(golden));
  EXPECT_EQ(decode_ok(hex(golden)), packet);
}

// The CIE FRR nhrpd puts in a Registration Request: no addresses (the
// mandatory part has them), the holding time and MTU it registers.
inline Cie registration_cie() { return Cie{0, 32, 1400, 7200, {}, {}, 0}; }

// Registration Request as FRR nhrpd sends it to its NHS: unique + NAT flags,
// the three placeholder extensions, an empty NAT Address extension and the
// Cisco cleartext password "secret".
inline const char* kRegistrationRequest =
    "0001 0800 0000000000 40 0056 50c2 0034 01 03 04 00"  // fixed header
    "04 04 8002 00000007 c6336401 0a000001 0a0000fe"      // mandatory part
    "00 20 0000 0578 1c20 00 00 00 00"                    // CIE
    "8004 0000 8005 0000 8003 0000 0009 0000"             // placeholders, NAT
    "8007 000a 00000001 736563726574"                     // Authentication
    "8000 0000";                                          // End of Extensions

// The NHS's Registration Reply to it: Responder Address with the NHS's CIE,
// NAT Address with the address the request came from (192.0.2.7: NAT'd).
inline const char* kRegistrationReply =
    "0001 0800 0000000000 40 0070 c187 0034 01 04 04 00"
    "04 04 8002 00000007 c6336401 0a000001 0a0000fe"
    "00 20 0000 0578 1c20 00 00 00 00"
    "8004 0000 8005 0000"
    "8003 0014 00 20 0000 0578 1c20 04 00 04 00 cb0071fe 0a0000fe"
    "0009 0014 00 20 0000 0578 0000 04 00 04 00 c0000207 0a000001"
    "8000 0000";

inline Packet registration_request() {
  Packet p;
  p.type = PacketType::registration_request;
  p.src_nbma = ip("198.51.100.1");
  p.src_protocol = ip("10.0.0.1");
  p.dst_protocol = ip("10.0.0.254");
  p.flags = flags::registration_unique | flags::nat;
  p.request_id = 7;
  p.cies = {registration_cie()};
  p.extensions = {
      {uint16_t(ExtensionType::forward_transit_nhs), true, std::vector<Cie>{}},
      {uint16_t(ExtensionType::reverse_transit_nhs), true, std::vector<Cie>{}},
      {uint16_t(ExtensionType::responder_address), true, std::vector<Cie>{}},
      {uint16_t(ExtensionType::nat_address), false, std::vector<Cie>{}},
      {uint16_t(ExtensionType::authentication), true,
       CiscoAuthentication{1, {'s', 'e', 'c', 'r', 'e', 't'}}},
  };
  return p;
}

}  // namespace nwbpf::nhrp::test

namespace nwbpf::nhrp {

inline void PrintTo(const Error& e, std::ostream* os) {
  *os << "Error{code " << int(e.code) << ", offset " << e.offset << ", \"" << e.message << "\"}";
}

}  // namespace nwbpf::nhrp
