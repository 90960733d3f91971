// SPDX-License-Identifier: Apache-2.0
#include "nhrp/registration_cache.h"

#include <string>

#include "nhrp/reply.h"

namespace nwbpf::nhrp {
namespace {

uint32_t host_order(Ipv4 address) { return __builtin_bswap32(address.be); }

// The same client: the NBMA address it claims and the one it is seen from.
bool same_place(const Binding& a, const Binding& b) {
  return a.nbma == b.nbma && a.nat_nbma == b.nat_nbma;
}

// The reply's extensions, as FRR nhrpd answers (nhrp_handle_registration_
// request): Responder Address filled with us (§5.3.1); the NAT Address
// extension (Cisco type 9) echoed plus, when the packet came from elsewhere
// than its ar$src.nbma, a CIE with the address we saw; the rest copied.
std::vector<Extension> registration_reply_extensions(const RegistrationCacheConfig& config,
                                                     const Packet& request, Ipv4 source_nbma) {
  std::vector<Cie> nat;
  if (const auto* echoed = extension_cies(request.extensions, ExtensionType::nat_address)) {
    nat = *echoed;
    if (source_nbma != request.src_nbma)
      nat.push_back(host_cie(source_nbma, request.src_protocol, config.mtu, 0));
  }
  return reply_extensions(request.extensions,
                          host_cie(config.nbma, config.protocol, config.mtu, config.holding_time),
                          std::move(nat));
}

}  // namespace

bool Ipv4Prefix::contains(Ipv4 address) const {
  if (length == 0) return true;
  const uint32_t mask = length >= 32 ? 0xffffffffu : ~(0xffffffffu >> length);
  return (host_order(address) & mask) == (host_order(network) & mask);
}

Result<RegistrationOutcome> RegistrationCache::register_client(const Packet& request,
                                                               Ipv4 source_nbma, TimePoint now) {
  if (request.type != PacketType::registration_request)
    return Error{ErrorCode::protocol_error, offset::type,
                 "registration cache: packet type " + std::to_string(int(request.type)) +
                     " is not a Registration Request (3)"};
  if (request.cies.empty())
    return Error{ErrorCode::protocol_error, offset::body,
                 "registration cache: Registration Request without a CIE"};

  RegistrationOutcome out;
  Packet& reply = out.reply;
  reply.type = PacketType::registration_reply;
  // §5.2.4: the reply keeps the requester's addresses and request ID; the
  // destination is us. FRR copies only the U and NAT flags.
  reply.src_nbma = request.src_nbma;
  reply.src_protocol = request.src_protocol;
  reply.dst_protocol = config_.protocol;
  reply.flags = request.flags & (flags::registration_unique | flags::nat);
  reply.request_id = request.request_id;
  reply.cies = request.cies;
  for (auto& cie : reply.cies) cie.code = apply(cie, request, source_nbma, now, out);
  reply.extensions = registration_reply_extensions(config_, request, source_nbma);
  return out;
}

// One CIE of a Registration Request (§5.2.3); returns its §5.2.4 code.
uint8_t RegistrationCache::apply(const Cie& cie, const Packet& request, Ipv4 source_nbma,
                                 TimePoint now, RegistrationOutcome& out) {
  const bool unique = request.flags & flags::registration_unique;
  // Only host bindings, as FRR: 0 and 32 both mean the host (§5.2.0.1).
  if (cie.prefix_length != 0 && cie.prefix_length < kHostPrefixLength)
    return uint8_t(unique ? CieCode::administratively_prohibited : CieCode::binding_non_unique);

  Binding binding;
  binding.overlay = cie.protocol.value_or(request.src_protocol);
  binding.nbma = cie.nbma.value_or(request.src_nbma);
  if (source_nbma != binding.nbma) binding.nat_nbma = source_nbma;
  binding.mtu = cie.mtu;
  binding.holding_time = cie.holding_time;
  binding.expires = now + std::chrono::seconds(cie.holding_time);
  binding.unique = unique;
  if (config_.allowed && !config_.allowed->contains(binding.overlay))
    return uint8_t(CieCode::administratively_prohibited);

  auto found = bindings_.find(binding.overlay);
  if (found != bindings_.end() && found->second.expires <= now) {
    out.changes.push_back({BindingChange::Kind::expired, found->second, {}});
    erase(binding.overlay);
    found = bindings_.end();
  }
  const Binding* old = found == bindings_.end() ? nullptr : &found->second;
  const bool elsewhere = old && !same_place(*old, binding);
  if (elsewhere && (unique || cie.holding_time == 0))
    return uint8_t(CieCode::unique_address_registered);

  if (cie.holding_time == 0) {  // de-registration
    if (old) {
      out.changes.push_back({BindingChange::Kind::removed, *old, {}});
      erase(binding.overlay);
    }
  } else if (!old) {
    out.changes.push_back({BindingChange::Kind::added, binding, {}});
    put(binding);
  } else if (elsewhere) {  // moved: whoever holds the old binding must drop it
    out.changes.push_back({BindingChange::Kind::changed, binding, *old});
    out.purges.push_back(purge_for(*old));
    put(binding);
  } else {  // refresh
    put(binding);
  }
  return uint8_t(CieCode::success);
}

// §5.2.5: from us, to the protocol address being purged, one CIE naming
// the binding; a Purge Reply is wanted (N clear), matched by request ID.
PurgeToSend RegistrationCache::purge_for(const Binding& old) {
  Packet purge;
  purge.type = PacketType::purge_request;
  purge.src_nbma = config_.nbma;
  purge.src_protocol = config_.protocol;
  purge.dst_protocol = old.overlay;
  purge.request_id = purge_ids_.take();
  purge.cies.push_back(host_cie(old.nbma, old.overlay, 0, 0));
  return {old.reachable_at(), std::move(purge)};
}

void RegistrationCache::put(const Binding& binding) {
  erase(binding.overlay);
  bindings_[binding.overlay] = binding;
  deadlines_.emplace(binding.expires, binding.overlay);
}

void RegistrationCache::erase(Ipv4 overlay) {
  const auto found = bindings_.find(overlay);
  if (found == bindings_.end()) return;
  deadlines_.erase({found->second.expires, overlay});
  bindings_.erase(found);
}

std::vector<BindingChange> RegistrationCache::expire(TimePoint now) {
  std::vector<BindingChange> gone;
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    const Ipv4 overlay = deadlines_.begin()->second;
    gone.push_back({BindingChange::Kind::expired, bindings_.at(overlay), {}});
    erase(overlay);
  }
  return gone;
}

std::optional<TimePoint> RegistrationCache::next_deadline() const {
  if (deadlines_.empty()) return std::nullopt;
  return deadlines_.begin()->first;
}

std::optional<Resolved> RegistrationCache::resolve(Ipv4 overlay, TimePoint now) const {
  const auto found = bindings_.find(overlay);
  if (found == bindings_.end() || found->second.expires <= now) return std::nullopt;
  const Binding& b = found->second;
  return Resolved{b.nbma, b.nat_nbma,
                  std::chrono::duration_cast<std::chrono::seconds>(b.expires - now), b.mtu};
}

}  // namespace nwbpf::nhrp
