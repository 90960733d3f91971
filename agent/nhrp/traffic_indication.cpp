// SPDX-License-Identifier: Apache-2.0
#include "nhrp/traffic_indication.h"

#include <fmt/format.h>

#include <cstring>

#include "nhrp/checksum.h"

namespace nwbpf::nhrp {
namespace {

constexpr size_t kIpv4HeaderSize = 20;  // RFC 791, no options
constexpr size_t kUdpHeaderSize = 8;    // RFC 768
constexpr size_t kVxlanHeaderSize = 8;  // RFC 7348 §5
constexpr uint8_t kIpTtl = 64;
constexpr uint8_t kIpProtocolUdp = 17;
constexpr uint8_t kVxlanFlagVni = 0x08;  // I: the VNI is valid

void put_address(wire::Writer& out, Ipv4 address) {
  uint8_t b[4];
  std::memcpy(b, &address.be, 4);
  out.bytes(b);
}

Ipv4 address_at(const wire::Bytes& bytes, size_t at) {
  Ipv4 a;
  std::memcpy(&a.be, bytes.data() + at, 4);
  return a;
}

// IPv4 + UDP + VXLAN headers of the packet the relay carried (header).
wire::Bytes synthesized_packet(const RelayedFlow& flow, uint32_t vni) {
  constexpr size_t total = kIpv4HeaderSize + kUdpHeaderSize + kVxlanHeaderSize;
  wire::Bytes bytes;
  wire::Writer out(bytes);
  out.u8(0x45);  // version 4, header length 5 words
  out.u8(0);     // DSCP/ECN
  out.u16(total);
  out.u16(0);  // identification
  out.u16(0);  // flags, fragment offset
  out.u8(kIpTtl);
  out.u8(kIpProtocolUdp);
  out.u16(0);  // header checksum, below
  put_address(out, flow.origin);
  put_address(out, flow.target);
  const uint16_t sum = internet_checksum(bytes);
  bytes[10] = uint8_t(sum >> 8);
  bytes[11] = uint8_t(sum);
  out.u16(kVxlanPort);  // source port: any; the real one was a flow hash
  out.u16(kVxlanPort);
  out.u16(kUdpHeaderSize + kVxlanHeaderSize);
  out.u16(0);  // no UDP checksum
  out.u8(kVxlanFlagVni);
  out.u24(0);
  out.u24(vni);
  out.u8(0);
  return bytes;
}

}  // namespace

Packet traffic_indication(const Station& nhs, const RelayedFlow& flow, uint32_t vni) {
  Packet p;
  p.type = PacketType::traffic_indication;
  p.hop_count = 1;  // for the neighbour that sent the packet only
  p.src_nbma = nhs.nbma;
  p.src_protocol = nhs.protocol;
  p.dst_protocol = flow.origin;
  p.traffic_code = 0;  // redirect/indirection, the only code FRR sends
  p.payload = synthesized_packet(flow, vni);
  return p;
}

Result<RelayedFlow> read_traffic_indication(const Packet& indication) {
  const auto fail = [](size_t at, std::string message) {
    return Error{ErrorCode::protocol_error, at, "traffic indication: " + std::move(message)};
  };
  if (indication.type != PacketType::traffic_indication)
    return fail(offset::type, fmt::format("packet type {} is not a Traffic Indication (8)",
                                          int(indication.type)));
  const wire::Bytes& ip = indication.payload;
  if (ip.size() < kIpv4HeaderSize)
    return fail(offset::body, fmt::format("payload of {} octets, an IPv4 header needs {}",
                                          ip.size(), kIpv4HeaderSize));
  const unsigned version = ip[0] >> 4, header_size = (ip[0] & 0x0f) * 4u;
  if (version != 4)
    return fail(offset::body,
                fmt::format("payload IP version {}, want 4 (ar$pro.type 0x0800)", version));
  if (header_size < kIpv4HeaderSize)
    return fail(offset::body, fmt::format("payload IPv4 header length {} octets, at least {}",
                                          header_size, kIpv4HeaderSize));
  return RelayedFlow{address_at(ip, 12), address_at(ip, 16)};
}

}  // namespace nwbpf::nhrp
