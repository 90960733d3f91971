// SPDX-License-Identifier: Apache-2.0
#include "nhrp/reply.h"

#include <utility>

namespace nwbpf::nhrp {

Cie host_cie(Ipv4 nbma, Ipv4 protocol, uint16_t mtu, uint16_t holding_time) {
  return {uint8_t(CieCode::success), kHostPrefixLength, mtu, holding_time, nbma, protocol, 0};
}

Packet resolution_reply_to(const Packet& request) {
  Packet reply;
  reply.type = PacketType::resolution_reply;
  reply.src_nbma = request.src_nbma;
  reply.src_protocol = request.src_protocol;
  reply.dst_protocol = request.dst_protocol;
  reply.flags =
      (request.flags & (flags::resolution_source_is_router | flags::resolution_source_stable)) |
      flags::resolution_authoritative | flags::resolution_destination_stable;
  reply.request_id = request.request_id;
  return reply;
}

std::vector<Extension> reply_extensions(const std::vector<Extension>& request, const Cie& responder,
                                        std::vector<Cie> nat) {
  std::vector<Extension> out;
  bool nat_placed = false;
  for (const auto& ext : request) {
    Extension copy = ext;
    if (ext.type == uint16_t(ExtensionType::responder_address)) {
      copy.value = std::vector<Cie>{responder};
    } else if (ext.type == uint16_t(ExtensionType::nat_address) && !nat_placed) {
      copy.value = std::exchange(nat, {});
      nat_placed = true;
    }
    out.push_back(std::move(copy));
  }
  if (!nat_placed && !nat.empty())
    out.push_back(Extension{uint16_t(ExtensionType::nat_address), false, std::move(nat)});
  return out;
}

}  // namespace nwbpf::nhrp
