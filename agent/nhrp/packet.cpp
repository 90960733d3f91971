// SPDX-License-Identifier: Apache-2.0
#include "nhrp/packet.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "nhrp/checksum.h"

namespace nwbpf::nhrp {
namespace {

// Offsets of the fixed header fields (§5.1) that errors point at.
constexpr size_t kAfnAt = 0, kProtocolTypeAt = 2, kHopCountAt = 9, kSizeAt = 10, kChecksumAt = 12,
                 kExtensionOffsetAt = 14, kVersionAt = 16, kTypeAt = 17, kShtlAt = 18, kSstlAt = 19;
// Source/destination protocol lengths, first octets of the mandatory part.
constexpr size_t kSrcProtocolLengthAt = 20, kDstProtocolLengthAt = 21;

Error protocol_error(size_t offset, const std::string& message) {
  return {ErrorCode::protocol_error, offset, message};
}

std::string hex16(uint16_t v) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04x", v);
  return text;
}

bool is_known(uint8_t type) { return type >= 1 && type <= 8; }

bool is_request(PacketType type) {
  return type == PacketType::resolution_request || type == PacketType::registration_request ||
         type == PacketType::purge_request;
}

struct FixedHeader {
  uint16_t afn = 0, protocol_type = 0, size = 0, checksum = 0, extension_offset = 0;
  uint8_t hop_count = 0, version = 0, type = 0, shtl = 0, sstl = 0;
};

Result<FixedHeader> read_fixed_header(Fields& in) {
  FixedHeader h;
  if (!in.u16(h.afn, "ar$afn") || !in.u16(h.protocol_type, "ar$pro.type") ||
      !in.skip(5, "ar$pro.snap") || !in.u8(h.hop_count, "ar$hopcnt") ||
      !in.u16(h.size, "ar$pktsz") || !in.u16(h.checksum, "ar$chksum") ||
      !in.u16(h.extension_offset, "ar$extoff") || !in.u8(h.version, "ar$op.version") ||
      !in.u8(h.type, "ar$op.type") || !in.u8(h.shtl, "ar$shtl") || !in.u8(h.sstl, "ar$sstl"))
    return in.error();
  return h;
}

// §5.1 and §5.2.0.1 checks, in the order a receiver can make them.
Result<void> check_fixed_header(const FixedHeader& h, std::span<const uint8_t> bytes) {
  if (h.size != bytes.size())
    return protocol_error(kSizeAt, "ar$pktsz: " + std::to_string(h.size) + " but " +
                                       std::to_string(bytes.size()) + " octets received");
  if (internet_checksum(bytes) != 0)
    return protocol_error(kChecksumAt, "ar$chksum: checksum does not verify");
  if (h.version != kVersion)
    return protocol_error(
        kVersionAt, "ar$op.version: " + std::to_string(h.version) + ", only 1 (RFC 2332) is known");
  if (!is_known(h.type))
    return protocol_error(kTypeAt, "ar$op.type: unknown packet type " + std::to_string(h.type));
  if (h.afn != kAfnIpv4)
    return protocol_error(kAfnAt, "ar$afn: address family " + std::to_string(h.afn) +
                                      ", only 1 (IPv4 NBMA) is supported");
  if (h.protocol_type != kProtocolIpv4)
    return protocol_error(kProtocolTypeAt, "ar$pro.type: " + hex16(h.protocol_type) +
                                               ", only 0x0800 (IPv4) is supported");
  if (h.hop_count == 0)
    return Error{ErrorCode::hop_count_exceeded, kHopCountAt, "ar$hopcnt: hop count is 0"};
  auto shtl = ipv4_present(h.shtl, "ar$shtl", kShtlAt);
  if (!shtl) return shtl.error();
  if (!shtl.value()) return protocol_error(kShtlAt, "ar$shtl: no source NBMA address");
  if (h.sstl != 0)
    return protocol_error(kSstlAt, "ar$sstl: DMVPN has no NBMA subaddress, length must be 0");
  return success();
}

Result<void> read_mandatory(Fields& in, PacketType type, Packet& p) {
  uint8_t src_len = 0, dst_len = 0;
  if (!in.u8(src_len, "source protocol length") || !in.u8(dst_len, "destination protocol length"))
    return in.error();
  if (src_len != 4)
    return protocol_error(
        kSrcProtocolLengthAt,
        "source protocol length: " + std::to_string(src_len) + ", an IPv4 protocol address is 4");
  if (dst_len != 4)
    return protocol_error(kDstProtocolLengthAt,
                          "destination protocol length: " + std::to_string(dst_len) +
                              ", an IPv4 protocol address is 4");
  bool ok = true;
  switch (type) {
    case PacketType::error_indication:  // §5.2.7
      ok = in.skip(2, "unused") && in.u16(p.error_code, "error code") &&
           in.u16(p.error_offset, "error offset");
      break;
    case PacketType::traffic_indication:
      // draft-detienne-dmvpn-01 Figure 4: unused, traffic code, unused.
      ok = in.skip(2, "unused") && in.u16(p.traffic_code, "traffic code") && in.skip(2, "unused");
      break;
    default:
      ok = in.u16(p.flags, "flags") && in.u32(p.request_id, "request ID");
  }
  if (!ok || !in.ipv4(p.src_nbma, "source NBMA address") ||
      !in.ipv4(p.src_protocol, "source protocol address") ||
      !in.ipv4(p.dst_protocol, "destination protocol address"))
    return in.error();
  return success();
}

}  // namespace

Result<Packet> decode_packet(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  Fields in{wire::Reader(bytes)};
  auto header = read_fixed_header(in);
  if (!header) return header.error();
  const FixedHeader& h = header.value();
  if (auto ok = check_fixed_header(h, bytes); !ok) return ok.error();

  Packet p;
  p.type = PacketType(h.type);
  p.hop_count = h.hop_count;
  if (auto ok = read_mandatory(in, p.type, p); !ok) return ok.error();

  // §5.1: ar$extoff is 0 without extensions, else where they start, after
  // the mandatory part.
  const size_t body_end = h.extension_offset ? h.extension_offset : bytes.size();
  if (h.extension_offset && (body_end < in.offset() || body_end > bytes.size()))
    return protocol_error(kExtensionOffsetAt, "ar$extoff: " + std::to_string(h.extension_offset) +
                                                  " outside the packet after the mandatory part (" +
                                                  std::to_string(in.offset()) + " to " +
                                                  std::to_string(bytes.size()) + ")");
  Fields body(wire::Reader({}));
  in.sub(body_end - in.offset(), body, "body");  // in range: checked above
  if (p.type == PacketType::error_indication || p.type == PacketType::traffic_indication) {
    const auto rest = body.reader().rest();
    p.payload.assign(rest.begin(), rest.end());
  } else {
    auto cies = decode_cies(body);
    if (!cies) return cies.error();
    p.cies = std::move(cies.value());
  }

  if (!h.extension_offset) {
    if (options.password)
      return Error{ErrorCode::authentication_failure, kExtensionOffsetAt,
                   "authentication: no extensions"};
    return p;
  }
  auto decoded = decode_extensions(Fields(in.reader()), is_request(p.type), options.password);
  if (!decoded) return decoded.error();
  p.extensions = std::move(decoded.value());
  return p;
}

Result<wire::Bytes> encode_packet(const Packet& p, size_t max_size) {
  wire::Bytes bytes;
  wire::Writer out(bytes);
  out.u16(kAfnIpv4);
  out.u16(kProtocolIpv4);
  out.bytes(std::array<uint8_t, 5>{});  // ar$pro.snap: zero with a short protocol type
  out.u8(p.hop_count);
  out.u16(0);  // ar$pktsz, patched below
  out.u16(0);  // ar$chksum, over the finished packet
  out.u16(0);  // ar$extoff
  out.u8(kVersion);
  out.u8(uint8_t(p.type));
  out.u8(4);  // ar$shtl: IPv4 NBMA address
  out.u8(0);  // ar$sstl: no subaddress
  out.u8(4);  // source protocol length (§5.2.0.1)
  out.u8(4);  // destination protocol length
  switch (p.type) {
    case PacketType::error_indication:
      out.u16(0);
      out.u16(p.error_code);
      out.u16(p.error_offset);
      break;
    case PacketType::traffic_indication:
      out.u16(0);
      out.u16(p.traffic_code);
      out.u16(0);
      break;
    default:
      out.u16(p.flags);
      out.u32(p.request_id);
  }
  put_ipv4(out, p.src_nbma);
  put_ipv4(out, p.src_protocol);
  put_ipv4(out, p.dst_protocol);
  for (const auto& cie : p.cies) encode_cie(cie, out);
  out.bytes(p.payload);
  const size_t extension_offset = p.extensions.empty() ? 0 : bytes.size();
  const bool fits = p.extensions.empty() || encode_extensions(p.extensions, out);
  if (!fits || bytes.size() > std::min<size_t>(max_size, 0xffff))
    return Error{ErrorCode::sdu_size_exceeded, 0,
                 "encode: " + std::to_string(bytes.size()) + " octets exceed " +
                     std::to_string(std::min<size_t>(max_size, 0xffff))};
  const auto patch16 = [&](size_t at, size_t v) {
    bytes[at] = uint8_t(v >> 8);
    bytes[at + 1] = uint8_t(v);
  };
  patch16(kSizeAt, bytes.size());
  patch16(kExtensionOffsetAt, extension_offset);
  patch16(kChecksumAt, internet_checksum(bytes));
  return bytes;
}

std::string packet_type_name(PacketType type) {
  switch (type) {
    case PacketType::resolution_request: return "Resolution Request";
    case PacketType::resolution_reply: return "Resolution Reply";
    case PacketType::registration_request: return "Registration Request";
    case PacketType::registration_reply: return "Registration Reply";
    case PacketType::purge_request: return "Purge Request";
    case PacketType::purge_reply: return "Purge Reply";
    case PacketType::error_indication: return "Error Indication";
    case PacketType::traffic_indication: return "Traffic Indication";
  }
  return "type " + std::to_string(static_cast<int>(type));
}

}  // namespace nwbpf::nhrp
