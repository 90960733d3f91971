// SPDX-License-Identifier: Apache-2.0
// NHRP packets (RFC 2332 §5) in the DMVPN dialect of FRR nhrpd and Cisco:
// the fixed header (§5.1), the mandatory part (§5.2) of every packet type
// including Traffic Indication (type 8, draft-detienne-dmvpn-01 Figure 4),
// and the extensions (§5.3, extension.h). NBMA addresses are IPv4 (ar$afn 1),
// protocol addresses IPv4 (ar$pro.type 0x0800). Pure: bytes in, values out.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nhrp/extension.h"

namespace nwbpf::nhrp {

enum class PacketType : uint8_t {
  resolution_request = 1,    // §5.2.1
  resolution_reply = 2,      // §5.2.2
  registration_request = 3,  // §5.2.3
  registration_reply = 4,    // §5.2.4
  purge_request = 5,         // §5.2.5
  purge_reply = 6,           // §5.2.6
  error_indication = 7,      // §5.2.7
  traffic_indication = 8,    // draft-detienne-dmvpn-01: "a better path may exist"
};

// Mandatory part flags (§5.2.1-§5.2.6; the NAT bit is Cisco's, in FRR too).
namespace flags {
inline constexpr uint16_t resolution_source_is_router = 0x8000;    // Q
inline constexpr uint16_t resolution_authoritative = 0x4000;       // A
inline constexpr uint16_t resolution_destination_stable = 0x2000;  // D
inline constexpr uint16_t resolution_unique = 0x1000;              // U
inline constexpr uint16_t resolution_source_stable = 0x0800;       // S
inline constexpr uint16_t registration_unique = 0x8000;            // U
inline constexpr uint16_t purge_no_reply = 0x8000;                 // N
inline constexpr uint16_t nat = 0x0002;                            // Cisco NAT supported
}  // namespace flags

inline constexpr size_t kFixedHeaderSize = 20;  // §5.1
inline constexpr uint16_t kAfnIpv4 = 1;         // ar$afn: IANA address family 1
inline constexpr uint16_t kProtocolIpv4 = 0x0800;
inline constexpr uint8_t kVersion = 1;           // ar$op.version: RFC 2332
inline constexpr uint8_t kDefaultHopCount = 64;  // what FRR nhrpd sends

// Where fields sit in the packets we accept (IPv4 addresses, no
// subaddresses; §5.1, §5.2.0.1): the Error Offset of what we answer about.
namespace offset {
inline constexpr size_t type = 17;          // ar$op.type
inline constexpr size_t dst_protocol = 36;  // ar$dst.protoaddr
inline constexpr size_t body = 40;          // the first CIE (types 1-6) or the payload (7, 8)
}  // namespace offset

struct Packet {
  PacketType type = PacketType::resolution_request;
  uint8_t hop_count = kDefaultHopCount;
  Ipv4 src_nbma;
  Ipv4 src_protocol;
  Ipv4 dst_protocol;
  uint16_t flags = 0;         // types 1-6
  uint32_t request_id = 0;    // types 1-6
  uint16_t traffic_code = 0;  // type 8: 0 = redirect/indirection (FRR sends 0)
  uint16_t error_code = 0;    // type 7: an ErrorCode
  uint16_t error_offset = 0;  // type 7: where in the offending packet
  std::vector<Cie> cies;      // types 1-6
  // Type 7: the NHRP packet in error; type 8: the start of the data packet
  // that caused it (its IP header), as FRR nhrpd sends and reads it.
  wire::Bytes payload;
  std::vector<Extension> extensions;  // End of Extensions not included
  bool operator==(const Packet&) const = default;
};

struct DecodeOptions {
  // The cleartext password of the Cisco Authentication extension; when set,
  // a packet without it is an Authentication Failure (extension.h).
  std::optional<std::span<const uint8_t>> password;
};

// The packet type's name as RFC 2332 spells it ("Resolution Request", ...),
// for logs; "type N" for a number we do not know.
std::string packet_type_name(PacketType type);

// Decodes one whole NHRP packet (a GRE payload of protocol type 0x2001).
// ar$pktsz must be the buffer's size and the checksum must hold. An Error is
// the Error Indication to answer with, unless the packet is itself an Error
// Indication (the caller checks byte 17, ar$op.type: no error loops).
Result<Packet> decode_packet(std::span<const uint8_t> bytes, const DecodeOptions& options = {});

// Encodes a packet: sizes, ar$extoff and the checksum are computed; an
// extensions part (closed with End of Extensions) is written when
// `extensions` is not empty. Fails with SDU Size Exceeded above 65535
// octets, or above `max_size` when given (the NBMA MTU left for NHRP).
Result<wire::Bytes> encode_packet(const Packet& packet, size_t max_size = 0xffff);

}  // namespace nwbpf::nhrp
