// SPDX-License-Identifier: Apache-2.0
#include "nhrp/error_indication.h"

namespace nwbpf::nhrp {

Packet error_indication(const Station& from, Ipv4 to_protocol, const Error& error,
                        std::span<const uint8_t> packet_in_error) {
  Packet p;
  p.type = PacketType::error_indication;
  p.src_nbma = from.nbma;
  p.src_protocol = from.protocol;
  p.dst_protocol = to_protocol;
  p.error_code = uint16_t(error.code);
  // The field is 16 bits; every offset we report lies in a packet that fit.
  p.error_offset = uint16_t(error.offset);
  p.payload.assign(packet_in_error.begin(), packet_in_error.end());
  return p;
}

}  // namespace nwbpf::nhrp
