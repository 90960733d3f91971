// SPDX-License-Identifier: Apache-2.0
#include "nhrp/error_indication.h"

namespace nwbpf::nhrp {

Packet error_indication(const Station& from, Ipv4 to_protocol, ErrorCode code, uint16_t offset,
                        std::span<const uint8_t> packet_in_error) {
  Packet p;
  p.type = PacketType::error_indication;
  p.src_nbma = from.nbma;
  p.src_protocol = from.protocol;
  p.dst_protocol = to_protocol;
  p.error_code = uint16_t(code);
  p.error_offset = offset;
  p.payload.assign(packet_in_error.begin(), packet_in_error.end());
  return p;
}

Packet error_indication(const Station& from, Ipv4 to_protocol, const Error& error,
                        std::span<const uint8_t> packet_in_error) {
  // Every offset an Error names lies in a packet that arrived, so within
  // 16 bits (ar$pktsz is 16 bits).
  return error_indication(from, to_protocol, error.code, uint16_t(error.offset), packet_in_error);
}

std::optional<uint32_t> request_id_in_error(std::span<const uint8_t> packet_in_error) {
  constexpr size_t at = kFixedHeaderSize + 4;
  if (packet_in_error.size() < at + 4) return std::nullopt;
  return uint32_t(packet_in_error[at]) << 24 | uint32_t(packet_in_error[at + 1]) << 16 |
         uint32_t(packet_in_error[at + 2]) << 8 | packet_in_error[at + 3];
}

}  // namespace nwbpf::nhrp
