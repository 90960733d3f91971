// SPDX-License-Identifier: Apache-2.0
#include "daemon/nhrp_service.h"

#include <algorithm>
#include <random>

#include <boost/asio/post.hpp>

#include "common/log.h"
#include "nhrp/error_indication.h"
#include "nhrp/resolution_forward.h"
#include "nhrp/resolution_responder.h"
#include "nhrp/resolution_server.h"
#include "nhrp/traffic_indication.h"

namespace nwbpf::daemon {

namespace {

nhrp::TimePoint now() { return nhrp::Clock::now(); }

auto logger() { return log::get("nhrp"); }

// Request IDs start at a random point, so a restarted agent's first
// requests do not match replies meant for its previous run; the shortcut
// table counts in another quarter of the space than registration.
uint32_t random_start() { return std::random_device{}(); }

wire::Bytes bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

// ar$op.type, read before decoding so an Error Indication in error is
// never answered with another (RFC 2332 §5.2.7: no error loops).
bool is_error_indication(std::span<const uint8_t> bytes) {
  return bytes.size() > nhrp::offset::type &&
         bytes[nhrp::offset::type] == static_cast<uint8_t>(nhrp::PacketType::error_indication);
}

// The source protocol address of a packet that did not decode, when its
// fixed header and address lengths are readable (RFC 2332 §5.2.0): where
// the Error Indication is addressed. 0.0.0.0 otherwise.
Ipv4 source_protocol_of(std::span<const uint8_t> bytes) {
  constexpr size_t kFixed = 20, kShtl = 18, kSstl = 19, kSrcProtoLen = 20, kAddresses = 28;
  if (bytes.size() < kAddresses) return {};
  const size_t at = kAddresses + (bytes[kShtl] & 0x3f) + (bytes[kSstl] & 0x3f);
  if (bytes[kSrcProtoLen] != 4 || bytes.size() < at + 4 || at < kFixed) return {};
  Ipv4 address;
  std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(at), 4,
              reinterpret_cast<uint8_t*>(&address.be));
  return address;
}

}  // namespace

NhrpService::NhrpService(boost::asio::io_context& io, NhrpPlan plan, Callbacks callbacks)
    : plan_(std::move(plan)),
      callbacks_(std::move(callbacks)),
      socket_(io, plan_.device, plan_.nbma, plan_.gre_key,
              [this](Ipv4 from, std::span<const uint8_t> bytes) { on_packet(from, bytes); }),
      timer_(io) {
  const uint32_t first_id = random_start();
  if (plan_.client) {
    nhrp::ClientConfig c;
    c.protocol = plan_.protocol;
    c.nbma = plan_.nbma;
    c.servers = plan_.servers;
    c.holding_time = plan_.holding_time_s;
    if (plan_.password) c.password = bytes_of(*plan_.password);
    client_ = std::make_unique<nhrp::RegistrationClient>(c, first_id);
    nhrp::ResolverConfig r;
    r.protocol = plan_.protocol;
    r.nbma = plan_.nbma;
    r.holding_time = plan_.holding_time_s;
    shortcuts_ = std::make_unique<nhrp::ShortcutTable>(r, first_id + 0x40000000u);
    if (plan_.nat_probes)
      probes_ = std::make_unique<NatProbes>(io, plan_.device, plan_.nbma, plan_.nat_source_port);
  }
  if (plan_.server) {
    nhrp::RegistrationCacheConfig s;
    s.nbma = plan_.nbma;
    s.protocol = plan_.protocol;
    s.holding_time = plan_.holding_time_s;
    s.allowed = nhrp::Ipv4Prefix{plan_.overlay_range.address, plan_.overlay_range.length};
    cache_ = std::make_unique<nhrp::RegistrationCache>(s);
  }
}

NhrpService::~NhrpService() = default;

void NhrpService::start() {
  socket_.start();
  if (client_) apply(client_->start(now()));
  arm_timer();
}

void NhrpService::stop() {
  stopped_ = true;
  timer_.cancel();
  socket_.stop();
  if (probes_) probes_->stop();
}

void NhrpService::on_packet(Ipv4 from, std::span<const uint8_t> bytes) {
  std::optional<std::span<const uint8_t>> password;
  wire::Bytes secret;
  if (plan_.password) {
    secret = bytes_of(*plan_.password);
    password = std::span<const uint8_t>(secret);
  }
  auto packet = nhrp::decode_packet(bytes, {password});
  if (!packet) return refuse(from, packet.error(), bytes);
  ++counters_.received;
  dispatch(from, packet.value(), bytes);
  rebuild();
  arm_timer();
  send_after_reconcile();
}

// The daemon reconciles on the next turn of the loop when rebuild() says
// something changed; a handler posted after that runs after it (Asio runs
// posted handlers in order).
void NhrpService::send_after_reconcile() {
  if (after_reconcile_.empty()) return;
  boost::asio::post(timer_.get_executor(), [this, sends = std::move(after_reconcile_)] {
    if (stopped_) return;
    for (const auto& s : sends) send(s);
  });
  after_reconcile_.clear();
}

// RFC 2332 §5.2.7: a packet in error is answered with an Error Indication
// to its source, unless it is one itself.
void NhrpService::refuse(Ipv4 from, const nhrp::Error& error, std::span<const uint8_t> bytes) {
  ++counters_.malformed;
  if (error.code == nhrp::ErrorCode::authentication_failure) ++counters_.auth_failed;
  logger()->debug("packet from {} refused: {}", from.str(), error.message);
  if (is_error_indication(bytes)) return;
  nhrp::Station us{plan_.nbma, plan_.protocol};
  send({from, nhrp::error_indication(us, source_protocol_of(bytes), error, bytes)});
  ++counters_.errors_sent;
}

void NhrpService::dispatch(Ipv4 from, const nhrp::Packet& packet, std::span<const uint8_t> bytes) {
  using nhrp::PacketType;
  const nhrp::TimePoint t = now();
  if (packet.type == PacketType::error_indication) {
    ++counters_.errors_received;
    logger()->info("Error Indication {} from {}", packet.error_code, from.str());
  }
  if (cache_ && (packet.type == PacketType::registration_request ||
                 packet.type == PacketType::resolution_request ||
                 packet.type == PacketType::purge_reply ||
                 (packet.type == PacketType::resolution_reply && !client_)))
    return serve(from, packet, bytes);
  if (!client_) {
    logger()->debug("{} from {} ignored: this node is no NHC",
                    nhrp::packet_type_name(packet.type), from.str());
    return;
  }
  switch (packet.type) {
    case PacketType::registration_reply:
      return apply(client_->receive(from, packet, t));
    case PacketType::resolution_reply:
      return on_resolution_reply(from, packet, t);
    case PacketType::purge_request:
      return apply(shortcuts_->receive(from, packet, t));
    case PacketType::error_indication:
      apply(client_->receive(from, packet, t));
      return apply(shortcuts_->receive(from, packet, t));
    case PacketType::traffic_indication: {
      auto flow = nhrp::read_traffic_indication(packet);
      if (!flow) return refuse(from, flow.error(), bytes);
      logger()->debug("Traffic Indication from {}: resolve {}", from.str(),
                      flow.value().target.str());
      return resolve(flow.value().target);
    }
    case PacketType::resolution_request: {
      nhrp::ClientConfig us;
      us.protocol = plan_.protocol;
      us.nbma = plan_.nbma;
      us.servers = plan_.servers;
      us.holding_time = plan_.holding_time_s;
      auto answer = nhrp::answer_as_target(us, our_nat_nbma(), packet, bytes, from);
      if (!answer) return refuse(from, answer.error(), bytes);
      // Sent once the reconcile this packet causes has installed the
      // requester: our NHS answers the requester only when our reply
      // reaches it (serve()), so the requester's first direct frame finds
      // us ready to accept it.
      after_reconcile_.push_back(answer.value().send);
      if (const auto& r = answer.value().requester; r && plan_.in_overlay(r->protocol))
        learn_requester(*r, from, t);
      return;
    }
    default:
      logger()->debug("{} from {} ignored", nhrp::packet_type_name(packet.type), from.str());
  }
}

// The NHS's side: registrations and resolutions from the cache.
void NhrpService::serve(Ipv4 from, const nhrp::Packet& packet, std::span<const uint8_t> bytes) {
  const nhrp::TimePoint t = now();
  if (packet.type == nhrp::PacketType::purge_reply) return;  // our purges need no more
  if (packet.type == nhrp::PacketType::resolution_request) {
    auto answer = nhrp::answer_resolution(*cache_, packet, bytes, from, t);
    if (!answer) return refuse(from, answer.error(), bytes);
    // Forwarded to its target: the answer waits for the target's reply
    // (the target has installed the requester by then), at most kTargetWait.
    if (forward_to_target(packet, t))
      held_answers_.push_back({packet.src_protocol, packet.dst_protocol, packet.request_id,
                               answer.value(), t + kTargetWait});
    else
      send(answer.value());
    return;
  }
  if (packet.type == nhrp::PacketType::resolution_reply) return release_answer(packet, from);
  auto outcome = cache_->register_client(packet, from, t);
  if (!outcome) return refuse(from, outcome.error(), bytes);
  send({from, outcome.value().reply});
  for (const auto& change : outcome.value().changes)
    logger()->info("registration {} -> {}{}", change.binding.overlay.str(),
                   change.binding.reachable_at().str(),
                   change.kind == nhrp::BindingChange::Kind::removed ? " removed" : "");
  for (const auto& purge : outcome.value().purges) send({purge.to_nbma, purge.request});
}

// A request answered from the cache also goes on to its target, so the
// target learns the requester (nhrp/resolution_forward.h).
bool NhrpService::forward_to_target(const nhrp::Packet& request, nhrp::TimePoint t) {
  if (request.dst_protocol == plan_.protocol) return false;
  auto target = cache_->resolve(request.dst_protocol, t);
  if (!target) return false;  // answered with Protocol Address Unreachable
  std::optional<Ipv4> requester_nat;
  if (auto requester = cache_->resolve(request.src_protocol, t)) requester_nat = requester->nat_nbma;
  auto copy = nhrp::forward_to_target(request, {plan_.nbma, plan_.protocol}, requester_nat);
  if (!copy) return false;
  send({target->nat_nbma.value_or(target->nbma), *copy});
  return true;
}

// The target's reply to a request we forwarded (it keeps the request's
// addresses and ID): the requester gets our answer now. Not passed on
// itself: ours, from the cache, is what the requester is waiting for.
void NhrpService::release_answer(const nhrp::Packet& reply, Ipv4 from) {
  auto it = std::find_if(held_answers_.begin(), held_answers_.end(), [&](const HeldAnswer& h) {
    return h.requester == reply.src_protocol && h.target == reply.dst_protocol &&
           h.request_id == reply.request_id;
  });
  if (it == held_answers_.end()) {
    logger()->debug("Resolution Reply from {} answers no request we forwarded", from.str());
    return;
  }
  send(it->answer);
  held_answers_.erase(it);
}

// Targets that did not answer in time: the requester gets the cache's
// answer anyway (its frames may then be dropped until the target learns it).
void NhrpService::release_late_answers(nhrp::TimePoint t) {
  std::erase_if(held_answers_, [&](const HeldAnswer& h) {
    if (h.until > t) return false;
    logger()->debug("{} did not answer the forwarded request of {}: answered from the cache",
                    h.target.str(), h.requester.str());
    send(h.answer);
    return true;
  });
}

void NhrpService::send(const nhrp::Send& s) {
  nhrp::Packet packet = s.packet;
  const bool has_auth = std::any_of(packet.extensions.begin(), packet.extensions.end(), [](const auto& e) {
    return e.type == static_cast<uint16_t>(nhrp::ExtensionType::authentication);
  });
  if (plan_.password && !has_auth)
    packet.extensions.push_back({static_cast<uint16_t>(nhrp::ExtensionType::authentication), false,
                                 nhrp::CiscoAuthentication{nhrp::CiscoAuthentication::kCleartext,
                                                           bytes_of(*plan_.password)}});
  auto bytes = nhrp::encode_packet(packet);
  if (!bytes) {
    logger()->warn("cannot encode a packet for {}: {}", s.nbma.str(), bytes.error().message);
    return;
  }
  if (packet.type == nhrp::PacketType::traffic_indication) ++counters_.traffic_indications_sent;
  if (socket_.send(s.nbma, bytes.value()))
    ++counters_.sent;
  else
    logger()->debug("{}", socket_.last_drop());
}

void NhrpService::apply(const nhrp::ClientOutput& out) {
  for (const auto& s : out.send) send(s);
  for (const auto& note : out.notes) logger()->info("{}", note);
}

void NhrpService::apply(const nhrp::ResolverOutput& out) {
  for (const auto& s : out.send) send(s);
  for (const auto& note : out.notes) logger()->debug("{}", note);
  for (const auto& b : out.installed)
    logger()->info("shortcut {} -> {}", b.protocol.str(), b.nbma.str());
  for (Ipv4 gone : out.removed) {
    logger()->info("shortcut {} removed", gone.str());
    // Its end on the other side may come up to a holding time later (it
    // was installed or last refreshed at another moment): its frames are
    // accepted until then, instead of dropped as from an unknown peer.
    if (auto it = install_.peers.find(gone); it != install_.peers.end())
      lingering_[gone] = {it->second.nbma, now() + std::chrono::seconds(plan_.holding_time_s)};
  }
}

// Our NHS answers once the target has replied to the copy it forwarded,
// i.e. has installed us: a requester we were holding back (we learned it
// from its own request while ours was on its way) may be sent to now.
void NhrpService::on_resolution_reply(Ipv4 from, const nhrp::Packet& reply, nhrp::TimePoint t) {
  std::vector<Ipv4> awaited;
  for (const auto& [target, entry] : shortcuts_->entries())
    if (entry.request_id != 0 && entry.state == nhrp::Shortcut::State::resolved)
      awaited.push_back(target);
  apply(shortcuts_->receive(from, reply, t));
  for (Ipv4 target : awaited)
    if (auto it = shortcuts_->entries().find(target);
        it != shortcuts_->entries().end() && it->second.request_id == 0)
      send_from_.erase(target);
}

// The requester named its own binding: keep it, as nhrpd does, so its
// frames are accepted as soon as it sends them directly. Our own frames
// wait a little: the requester installs its shortcut to us when the NHS's
// answer reaches it, at about the time this forwarded copy reached us, and
// drops VXLAN from an NBMA address it does not know yet; meanwhile ours go
// through the route server, so nothing is lost.
constexpr auto kSendGrace = std::chrono::milliseconds(100);

void NhrpService::learn_requester(const nhrp::RequesterBinding& r, Ipv4 nhs, nhrp::TimePoint t) {
  // Only a binding we already use needs no wait. One we asked for
  // ourselves waits for our answer (on_resolution_reply), or the grace:
  // both CEs resolving each other at once, the other may not have
  // installed us yet when we learn it.
  const auto it = shortcuts_->entries().find(r.protocol);
  const bool known = it != shortcuts_->entries().end() &&
                     it->second.state == nhrp::Shortcut::State::resolved;
  apply(shortcuts_->learn({r.protocol, r.nbma}, r.natted, r.holding_time, nhs, t));
  if (!known) send_from_[r.protocol] = t + kSendGrace;
}

std::optional<Ipv4> NhrpService::relay() const {
  if (!client_) return std::nullopt;
  for (const auto& s : client_->servers())
    if (s.registered) return s.nbma;
  return std::nullopt;
}

std::optional<Ipv4> NhrpService::our_nat_nbma() const {
  if (!client_) return std::nullopt;
  Ipv4 seen = client_->reachable_nbma();
  return seen == plan_.nbma ? std::nullopt : std::optional(seen);
}

void NhrpService::resolve(Ipv4 target) {
  if (!shortcuts_ || !plan_.in_overlay(target) || target == plan_.protocol) return;
  auto nhs = relay();
  if (!nhs) {
    logger()->debug("{} not resolved: registered with no NHS yet", target.str());
    return;
  }
  apply(shortcuts_->resolve(target, *nhs, our_nat_nbma(), now()));
}

void NhrpService::peer_miss(Ipv4 vtep) {
  resolve(vtep);
  rebuild();
  arm_timer();
}

void NhrpService::nhs_up(Ipv4 nbma) {
  if (!client_) return;
  apply(client_->reregister(nbma, now()));
  rebuild();
  arm_timer();
}

void NhrpService::nhs_down(Ipv4 nbma) {
  if (!client_) return;
  apply(client_->lost(nbma, now()));
  rebuild();
  arm_timer();
}

void NhrpService::vtep_announced(Ipv4 vtep) {
  if (plan_.proactive) peer_miss(vtep);
}

void NhrpService::relayed(Ipv4 origin, Ipv4 origin_nbma, Ipv4 target, uint32_t vni) {
  if (!cache_) return;
  // To where the origin's packets come from: its NAT'd address if any.
  auto binding = cache_->resolve(origin, now());
  const Ipv4 to = binding ? binding->nat_nbma.value_or(binding->nbma) : origin_nbma;
  send({to, nhrp::traffic_indication({plan_.nbma, plan_.protocol}, {origin, target}, vni)});
}

bool NhrpService::carried_traffic(Ipv4 target) const {
  if (!shortcuts_) return false;
  auto it = shortcuts_->entries().find(target);
  if (it == shortcuts_->entries().end()) return false;
  return it->second.used || (callbacks_.peer_used && callbacks_.peer_used(target));
}

bool NhrpService::direct(Ipv4 target) const {
  if (!shortcuts_ || send_from_.contains(target)) return false;
  auto it = shortcuts_->entries().find(target);
  return it != shortcuts_->entries().end() && it->second.state == nhrp::Shortcut::State::resolved;
}

// Shortcuts at their refresh time that carried traffic are resolved again
// (ShortcutTable::used); the data plane's mark says which did.
void NhrpService::mark_used(nhrp::TimePoint t) {
  if (!shortcuts_ || !callbacks_.peer_used) return;
  for (const auto& [target, entry] : shortcuts_->entries())
    if (entry.state == nhrp::Shortcut::State::resolved && entry.refresh <= t && !entry.used &&
        callbacks_.peer_used(target))
      shortcuts_->used(target);
}

void NhrpService::rebuild() {
  NhrpInstall next;
  if (client_) {
    for (const auto& s : client_->servers())
      if (s.registered && s.protocol) next.peers[*s.protocol] = {s.nbma, 0, false};
    const nhrp::TimePoint t = now();
    std::erase_if(send_from_, [&](const auto& kv) { return kv.second <= t; });
    for (const auto& [target, entry] : shortcuts_->entries()) {
      if (entry.state != nhrp::Shortcut::State::resolved) continue;
      // Installed or resolved again (a refresh keeps the NBMA address but
      // moves the expiry): a new epoch rewrites the peers entry, which
      // clears the data plane's used mark for the next period.
      if (auto [at, fresh] = resolved_until_.try_emplace(target, entry.expires);
          fresh || at->second != entry.expires) {
        at->second = entry.expires;
        ++epochs_[target];
      }
      if (send_from_.contains(target))
        next.accept[target] = entry.nbma;
      else
        next.peers[target] = {entry.nbma, epochs_[target], entry.natted};
    }
    std::erase_if(lingering_, [&](const auto& kv) { return kv.second.until <= t; });
    for (const auto& [target, l] : lingering_)
      if (!next.peers.contains(target) && !next.accept.contains(target)) next.accept[target] = l.nbma;
    next.relay = relay();
    next.behind_nat = our_nat_nbma().has_value();
    std::erase_if(resolved_until_, [&](const auto& kv) { return !next.peers.contains(kv.first) &&
                                                                !next.accept.contains(kv.first); });
  }
  if (cache_)
    for (const auto& [overlay, binding] : cache_->bindings())
      next.peers[overlay] = {binding.reachable_at(), 0, binding.nat_nbma.has_value()};
  aim_probes(next);
  if (next == install_) return;
  install_ = std::move(next);
  if (callbacks_.changed) callbacks_.changed();
}

// Behind NAT, every NBMA address that may send to us needs a mapping it
// can answer, and its data plane our public port (daemon/nat_probe.h):
// the NHSes (their relay), our shortcuts and the requesters we accept.
void NhrpService::aim_probes(const NhrpInstall& next) {
  if (!probes_) return;
  std::set<Ipv4> targets;
  if (next.behind_nat) {
    for (const auto& s : client_->servers())
      if (s.registered) targets.insert(s.nbma);
    for (const auto& [overlay, binding] : next.peers) targets.insert(binding.nbma);
    for (const auto& [overlay, nbma] : next.accept) targets.insert(nbma);
  }
  probes_->aim(targets);
}

void NhrpService::arm_timer() {
  if (stopped_) return;
  std::optional<nhrp::TimePoint> next;
  auto earliest = [&](std::optional<nhrp::TimePoint> t) {
    if (t && (!next || *t < *next)) next = t;
  };
  if (client_) earliest(client_->next_deadline());
  if (shortcuts_) earliest(shortcuts_->next_deadline());
  if (cache_) earliest(cache_->next_deadline());
  for (const auto& [target, when] : send_from_) earliest(when);
  for (const auto& held : held_answers_) earliest(held.until);
  for (const auto& [target, l] : lingering_) earliest(l.until);
  timer_.cancel();
  if (!next) return;
  timer_.expires_at(*next);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !stopped_) on_timer();
  });
}

void NhrpService::on_timer() {
  const nhrp::TimePoint t = now();
  if (client_) apply(client_->expire(t));
  if (shortcuts_) {
    mark_used(t);
    apply(shortcuts_->expire(t, relay()));
  }
  release_late_answers(t);
  if (cache_)
    for (const auto& change : cache_->expire(t))
      logger()->info("registration {} expired", change.binding.overlay.str());
  rebuild();
  arm_timer();
}

}  // namespace nwbpf::daemon
