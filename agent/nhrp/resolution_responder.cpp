// SPDX-License-Identifier: Apache-2.0
#include "nhrp/resolution_responder.h"

#include <fmt/format.h>

#include <algorithm>

#include "nhrp/error_indication.h"
#include "nhrp/reply.h"

namespace nwbpf::nhrp {
namespace {

// The requester's binding from its request, as nhrpd reads it (header).
std::optional<RequesterBinding> requester_of(const ClientConfig& us, const Packet& request,
                                             Ipv4 source_nbma) {
  const Cie cie = request.cies.empty() ? Cie{} : request.cies.front();
  if (cie.prefix_length != 0 && cie.prefix_length < kHostPrefixLength) return std::nullopt;
  RequesterBinding b;
  b.protocol = cie.protocol.value_or(request.src_protocol);
  b.holding_time = cie.holding_time ? cie.holding_time : us.holding_time;
  const Ipv4 claimed = cie.nbma.value_or(request.src_nbma);
  b.nbma = claimed;
  if (const auto* nat = extension_cies(request.extensions, ExtensionType::nat_address)) {
    const auto it = std::find_if(nat->begin(), nat->end(), [&](const Cie& c) {
      return c.protocol == b.protocol && c.nbma.has_value();
    });
    if (it != nat->end()) b.nbma = *it->nbma;
  }
  const bool from_nhs =
      std::find(us.servers.begin(), us.servers.end(), source_nbma) != us.servers.end();
  if (b.nbma == claimed && source_nbma != request.src_nbma && !from_nhs) b.nbma = source_nbma;
  b.natted = b.nbma != claimed;
  return b;
}

}  // namespace

Result<TargetAnswer> answer_as_target(const ClientConfig& us, std::optional<Ipv4> our_nat_nbma,
                                      const Packet& request, std::span<const uint8_t> request_bytes,
                                      Ipv4 source_nbma) {
  if (request.type != PacketType::resolution_request)
    return Error{ErrorCode::protocol_error, offset::type,
                 fmt::format("resolution responder: packet type {} is not a Resolution Request (1)",
                             int(request.type))};
  if (request.dst_protocol != us.protocol)
    return TargetAnswer{
        Send{source_nbma, error_indication(Station{us.nbma, us.protocol}, request.src_protocol,
                                           ErrorCode::protocol_address_unreachable,
                                           offset::dst_protocol, request_bytes)},
        std::nullopt};
  const Cie ours = host_cie(us.nbma, us.protocol, us.mtu, us.holding_time);
  Packet reply = resolution_reply_to(request);
  reply.cies = {ours};
  std::vector<Cie> nat;
  if (our_nat_nbma) nat.push_back(host_cie(*our_nat_nbma, us.protocol, us.mtu, 0));
  reply.extensions = reply_extensions(request.extensions, ours, std::move(nat));
  return TargetAnswer{Send{source_nbma, std::move(reply)}, requester_of(us, request, source_nbma)};
}

}  // namespace nwbpf::nhrp
