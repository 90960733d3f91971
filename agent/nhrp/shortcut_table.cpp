// SPDX-License-Identifier: Apache-2.0
#include "nhrp/shortcut_table.h"

#include <fmt/format.h>

#include <algorithm>

#include "nhrp/error_indication.h"

namespace nwbpf::nhrp {

namespace {

constexpr uint16_t kProtocolAddressUnreachable = 6;  // RFC 2332 §5.2.7

}  // namespace

ShortcutTable::ShortcutTable(ResolverConfig config, uint32_t first_request_id)
    : config_(config), request_ids_(first_request_id) {}

Send ShortcutTable::request(Ipv4 target, Shortcut& entry, std::optional<Ipv4> our_nat_nbma) {
  entry.request_id = request_ids_.take();
  Packet p;
  p.type = PacketType::resolution_request;
  p.src_nbma = config_.nbma;
  p.src_protocol = config_.protocol;
  p.dst_protocol = target;
  p.flags = flags::resolution_source_is_router | flags::resolution_authoritative |
            flags::resolution_source_stable | flags::nat;
  p.request_id = entry.request_id;
  Cie cie;
  cie.prefix_length = 0xff;  // the widest prefix we accept: the host (§5.2.1)
  cie.mtu = config_.mtu;
  cie.holding_time = config_.holding_time;
  p.cies = {cie};
  std::vector<Cie> nat;
  if (our_nat_nbma) {
    Cie us;
    us.prefix_length = 32;
    us.mtu = config_.mtu;
    us.nbma = our_nat_nbma;
    us.protocol = config_.protocol;
    nat.push_back(us);
  }
  p.extensions = request_extensions();
  p.extensions.push_back(Extension{uint16_t(ExtensionType::nat_address), false, std::move(nat)});
  return Send{entry.via, std::move(p)};
}

ResolverOutput ShortcutTable::resolve(Ipv4 target, Ipv4 nhs, std::optional<Ipv4> our_nat_nbma,
                                      TimePoint now) {
  ResolverOutput out;
  our_nat_nbma_ = our_nat_nbma;
  if (entries_.count(target)) return out;  // pending, resolved or negative: wait
  Shortcut& entry = entries_[target];
  entry.via = nhs;
  entry.expires = now + config_.request_timeout;
  out.send.push_back(request(target, entry, our_nat_nbma));
  return out;
}

void ShortcutTable::used(Ipv4 target) {
  auto it = entries_.find(target);
  if (it != entries_.end()) it->second.used = true;
}

void ShortcutTable::on_reply(Ipv4 target, Shortcut& entry, const Packet& reply, TimePoint now,
                             ResolverOutput& out) {
  entry.request_id = 0;
  const bool refreshing = entry.state == Shortcut::State::resolved;
  auto give_up = [&](const std::string& why) {
    out.notes.push_back(fmt::format("resolution of {}: {}", target.str(), why));
    if (!refreshing) entries_.erase(target);  // a binding in force lives out its time
  };
  if (reply.cies.empty()) return give_up("reply without a CIE");
  const Cie& cie = reply.cies[0];
  if (cie.code != uint8_t(CieCode::success))
    return give_up(fmt::format("refused with CIE code {}", cie.code));
  const Ipv4 protocol = cie.protocol.value_or(reply.dst_protocol);
  std::optional<Ipv4> nbma;
  bool natted = false;
  // The target behind NAT: the NAT extension's CIE for its address.
  if (const auto* nat = extension_cies(reply.extensions, ExtensionType::nat_address))
    for (const Cie& c : *nat)
      if (c.protocol == protocol && c.nbma) {
        nbma = c.nbma;
        natted = true;
      }
  if (!nbma) nbma = cie.nbma;
  if (!nbma) return give_up("reply without the target's NBMA address");
  settle(target, entry, *nbma, natted, cie.holding_time, now, out);
}

// The entry resolved to `nbma` for `holding` seconds (ours when 0); the
// data plane learns it unless it already had it.
void ShortcutTable::settle(Ipv4 target, Shortcut& entry, Ipv4 nbma, bool natted, uint16_t holding,
                           TimePoint now, ResolverOutput& out) {
  if (holding == 0) holding = config_.holding_time;
  const bool changed = entry.state != Shortcut::State::resolved || entry.nbma != nbma;
  entry.state = Shortcut::State::resolved;
  entry.nbma = nbma;
  entry.natted = natted;
  entry.holding_time = holding;
  entry.refresh = now + std::chrono::seconds(2 * holding / 3);
  entry.expires = now + std::chrono::seconds(holding);
  entry.used = false;
  if (changed) {
    out.installed.push_back(ShortcutBinding{target, nbma});
    out.notes.push_back(fmt::format("shortcut {} -> {}{} for {} s", target.str(), nbma.str(),
                                    natted ? " (NAT)" : "", holding));
  }
}

ResolverOutput ShortcutTable::learn(const ShortcutBinding& binding, bool natted,
                                    uint16_t holding_time, Ipv4 nhs, TimePoint now) {
  ResolverOutput out;
  Shortcut& entry = entries_[binding.protocol];
  entry.via = nhs;
  // An answer to our own request still on its way is still taken: it says
  // the target has installed us (our NHS answers once the target replied
  // to the copy it forwarded), which the caller waits for before sending.
  settle(binding.protocol, entry, binding.nbma, natted, holding_time, now, out);
  return out;
}

void ShortcutTable::on_purge(Ipv4 from, const Packet& purge, ResolverOutput& out) {
  for (const Cie& cie : purge.cies) {
    const Ipv4 protocol = cie.protocol.value_or(purge.dst_protocol);
    auto it = entries_.find(protocol);
    if (it == entries_.end()) continue;
    if (it->second.state == Shortcut::State::resolved) out.removed.push_back(protocol);
    entries_.erase(it);
    out.notes.push_back(fmt::format("shortcut {} purged by {}", protocol.str(), from.str()));
  }
  if (purge.flags & flags::purge_no_reply) return;
  Packet reply = purge;  // §5.2.6: the request's fields, as a reply
  reply.type = PacketType::purge_reply;
  out.send.push_back(Send{from, std::move(reply)});
}

ResolverOutput ShortcutTable::receive(Ipv4 from, const Packet& packet, TimePoint now) {
  ResolverOutput out;
  if (packet.type == PacketType::purge_request) {
    on_purge(from, packet, out);
    return out;
  }
  std::optional<uint32_t> id;
  if (packet.type == PacketType::resolution_reply) id = packet.request_id;
  if (packet.type == PacketType::error_indication) id = request_id_in_error(packet.payload);
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) {
    return id && e.second.request_id != 0 && e.second.request_id == *id;
  });
  if (it == entries_.end()) {
    out.notes.push_back(fmt::format("{} from {} answers no request of ours: ignored",
                                    packet_type_name(packet.type), from.str()));
    return out;
  }
  const Ipv4 target = it->first;
  Shortcut& entry = it->second;
  if (packet.type == PacketType::resolution_reply) {
    on_reply(target, entry, packet, now, out);
    return out;
  }
  entry.request_id = 0;
  if (packet.error_code == kProtocolAddressUnreachable && entry.state == Shortcut::State::pending) {
    // Keep going through the route server without asking again for a while.
    entry.state = Shortcut::State::negative;
    entry.holding_time = uint16_t(config_.negative_time.count());
    entry.expires = now + config_.negative_time;
    out.notes.push_back(fmt::format("resolution of {}: protocol address unreachable", target.str()));
    return out;
  }
  out.notes.push_back(
      fmt::format("resolution of {}: Error Indication code {}", target.str(), packet.error_code));
  if (entry.state == Shortcut::State::pending) entries_.erase(it);
  return out;
}

ResolverOutput ShortcutTable::expire(TimePoint now, std::optional<Ipv4> nhs) {
  ResolverOutput out;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Ipv4 target = it->first;
    Shortcut& entry = it->second;
    if (entry.expires <= now) {
      if (entry.state == Shortcut::State::resolved) out.removed.push_back(target);
      out.notes.push_back(fmt::format("shortcut {}: {}", target.str(),
                                      entry.state == Shortcut::State::pending ? "no answer"
                                                                              : "expired"));
      it = entries_.erase(it);
      continue;
    }
    if (entry.state == Shortcut::State::resolved && entry.refresh <= now) {
      // §5.2.1 holding time: renew what is in use, let the rest run out.
      if (entry.used && entry.request_id == 0) {
        if (nhs) entry.via = *nhs;
        out.send.push_back(request(target, entry, our_nat_nbma_));
      }
      entry.refresh = entry.expires;
    }
    ++it;
  }
  return out;
}

std::optional<TimePoint> ShortcutTable::next_deadline() const {
  std::optional<TimePoint> next;
  for (const auto& [target, entry] : entries_) {
    TimePoint t = entry.expires;
    if (entry.state == Shortcut::State::resolved) t = std::min(t, entry.refresh);
    if (!next || t < *next) next = t;
  }
  return next;
}

}  // namespace nwbpf::nhrp
