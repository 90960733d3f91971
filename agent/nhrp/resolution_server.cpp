// SPDX-License-Identifier: Apache-2.0
#include "nhrp/resolution_server.h"

#include <fmt/format.h>

#include <algorithm>

#include "nhrp/error_indication.h"
#include "nhrp/reply.h"

namespace nwbpf::nhrp {
namespace {

// The CIE's prefix length: this one host. ShortcutTable and nhrpd ask with
// 0xff, and both read 0 and anything from 32 up as the host.
constexpr uint8_t kHostOnly = 0xff;

// A holding time for the wire: what is left, at least 1 s (0 would mean
// "use your own" to FRR and to ShortcutTable), at most the 16-bit field.
uint16_t holding_seconds(std::chrono::seconds remaining) {
  return uint16_t(std::clamp<std::chrono::seconds::rep>(remaining.count(), 1, 0xffff));
}

}  // namespace

Result<Send> answer_resolution(const RegistrationCache& cache, const Packet& request,
                               std::span<const uint8_t> request_bytes, Ipv4 source_nbma,
                               TimePoint now) {
  if (request.type != PacketType::resolution_request)
    return Error{ErrorCode::protocol_error, offset::type,
                 fmt::format("resolution server: packet type {} is not a Resolution Request (1)",
                             int(request.type))};
  const RegistrationCacheConfig& us = cache.config();
  const Ipv4 target = request.dst_protocol;
  std::optional<Resolved> found;
  if (target == us.protocol)
    found = Resolved{us.nbma, std::nullopt, std::chrono::seconds(us.holding_time), us.mtu};
  else
    found = cache.resolve(target, now);
  if (!found)
    return Send{source_nbma, error_indication(Station{us.nbma, us.protocol}, request.src_protocol,
                                              ErrorCode::protocol_address_unreachable,
                                              offset::dst_protocol, request_bytes)};

  Packet reply = resolution_reply_to(request);
  reply.cies = {Cie{uint8_t(CieCode::success), kHostOnly, found->mtu,
                    holding_seconds(found->remaining), found->nbma, target, 0}};
  std::vector<Cie> nat;
  if (found->nat_nbma) nat.push_back(host_cie(*found->nat_nbma, target, found->mtu, 0));
  reply.extensions = reply_extensions(
      request.extensions, host_cie(us.nbma, us.protocol, us.mtu, us.holding_time), std::move(nat));
  return Send{source_nbma, std::move(reply)};
}

}  // namespace nwbpf::nhrp
