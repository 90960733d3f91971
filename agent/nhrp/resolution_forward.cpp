// SPDX-License-Identifier: Apache-2.0
#include "nhrp/resolution_forward.h"

#include "nhrp/reply.h"

namespace nwbpf::nhrp {

namespace {

std::vector<Cie>* cies_of(Extension& e) { return std::get_if<std::vector<Cie>>(&e.value); }

}  // namespace

std::optional<Packet> forward_to_target(const Packet& request, const Station& nhs,
                                        std::optional<Ipv4> requester_nat_nbma) {
  if (request.hop_count <= 1) return std::nullopt;
  Packet out = request;
  --out.hop_count;
  bool nat_written = false;
  for (auto& e : out.extensions) {
    auto* cies = cies_of(e);
    if (!cies) continue;
    const auto type = static_cast<ExtensionType>(e.type & kExtensionTypeMask);
    if (type == ExtensionType::forward_transit_nhs)
      cies->push_back(host_cie(nhs.nbma, nhs.protocol, 0, 0));
    if (type == ExtensionType::nat_address && requester_nat_nbma) {
      cies->push_back(host_cie(*requester_nat_nbma, request.src_protocol, 0, 0));
      nat_written = true;
    }
  }
  if (requester_nat_nbma && !nat_written)
    out.extensions.push_back({uint16_t(ExtensionType::nat_address), false,
                              std::vector<Cie>{host_cie(*requester_nat_nbma, request.src_protocol, 0, 0)}});
  return out;
}

}  // namespace nwbpf::nhrp
