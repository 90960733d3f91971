// SPDX-License-Identifier: Apache-2.0
#include "nhrp/registration_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "nhrp/error_indication.h"

namespace nwbpf::nhrp {

namespace {

constexpr auto kFirstRetry = std::chrono::seconds(1);
constexpr auto kRetryAfterSuccess = std::chrono::seconds(2);
constexpr auto kMaxRetry = std::chrono::seconds(64);

}  // namespace

RegistrationClient::RegistrationClient(ClientConfig config, uint32_t first_request_id)
    : config_(std::move(config)), request_ids_(first_request_id) {
  if (config_.servers.empty()) throw std::invalid_argument("NHRP client: no NHS to register with");
  if (config_.protocol.be == 0 || config_.nbma.be == 0)
    throw std::invalid_argument("NHRP client: our protocol and NBMA addresses must be set");
  std::set<Ipv4> seen;
  for (Ipv4 nbma : config_.servers) {
    if (nbma.be == 0) throw std::invalid_argument("NHRP client: NHS address 0.0.0.0");
    if (!seen.insert(nbma).second)
      throw std::invalid_argument("NHRP client: NHS " + nbma.str() + " listed twice");
    ServerStatus status;
    status.nbma = nbma;
    servers_.push_back(status);
  }
}

Send RegistrationClient::request(ServerStatus& server, TimePoint now) {
  server.request_id = request_ids_.take();
  server.next = now + server.retry;

  Packet p;
  p.type = PacketType::registration_request;
  p.hop_count = 1;  // for the NHS itself, as FRR sends it
  p.src_nbma = config_.nbma;
  p.src_protocol = config_.protocol;
  // §5.2.3: with the NHS's protocol address unknown, our own.
  p.dst_protocol = server.protocol.value_or(config_.protocol);
  p.flags = flags::nat | (config_.unique ? flags::registration_unique : 0);
  p.request_id = server.request_id;
  Cie cie;
  cie.prefix_length = config_.unique ? 0xff : 32;  // §5.2.1: 0xff with the unique flag
  cie.mtu = config_.mtu;
  cie.holding_time = config_.holding_time;
  p.cies = {cie};
  p.extensions = request_extensions();
  if (config_.password)
    p.extensions.push_back(Extension{uint16_t(ExtensionType::authentication), true,
                                     CiscoAuthentication{CiscoAuthentication::kCleartext,
                                                         *config_.password}});
  // Cisco's NAT detection: the NHS as we address it; it answers with the
  // address our packet came from.
  Cie nhs;
  nhs.prefix_length = 32;
  nhs.mtu = config_.mtu;
  nhs.nbma = server.nbma;
  nhs.protocol = server.protocol.value_or(Ipv4{});
  p.extensions.push_back(
      Extension{uint16_t(ExtensionType::nat_address), false, std::vector<Cie>{nhs}});
  return Send{server.nbma, std::move(p)};
}

ClientOutput RegistrationClient::start(TimePoint now) {
  ClientOutput out;
  for (auto& server : servers_) {
    server.retry = kFirstRetry;
    out.send.push_back(request(server, now));
  }
  return out;
}

void RegistrationClient::failed(ServerStatus& server, std::string why, TimePoint now,
                                ClientOutput& out) {
  server.last_error = std::move(why);
  // An NHS that refuses or does not answer is no relay, whatever it may
  // still hold for us: the caller moves to another at once rather than
  // at the end of the holding time.
  server.registered = false;
  server.expires.reset();
  server.request_id = 0;
  server.retry *= 2;
  if (server.retry > kMaxRetry) server.retry = kRetryAfterSuccess;
  server.next = now + server.retry;
  out.notes.push_back(fmt::format("NHS {}: {}; next attempt in {} s", server.nbma.str(),
                                  server.last_error, server.retry.count()));
}

void RegistrationClient::on_reply(ServerStatus& server, const Packet& reply, TimePoint now,
                                  ClientOutput& out) {
  if (reply.cies.empty()) return failed(server, "registration reply without a CIE", now, out);
  for (const Cie& cie : reply.cies)
    if (cie.code != uint8_t(CieCode::success))
      return failed(server, fmt::format("registration refused with CIE code {}", cie.code), now,
                    out);
  // Its protocol address: the Responder Address, else the reply's
  // destination when it is not ours (FRR's NHS answers from its own).
  std::optional<Ipv4> protocol;
  if (const auto* responder = extension_cies(reply.extensions, ExtensionType::responder_address);
      responder && !responder->empty() && (*responder)[0].protocol)
    protocol = (*responder)[0].protocol;
  else if (reply.dst_protocol != config_.protocol && reply.dst_protocol.be != 0)
    protocol = reply.dst_protocol;
  if (protocol && protocol != server.protocol) {
    out.notes.push_back(
        fmt::format("NHS {}: protocol address {}", server.nbma.str(), protocol->str()));
    server.protocol = protocol;
  }
  // A second CIE in the NAT extension: the address the NHS saw us at.
  std::optional<Ipv4> nat;
  if (const auto* cies = extension_cies(reply.extensions, ExtensionType::nat_address); cies && cies->size() >= 2)
    nat = (*cies)[1].nbma;
  if (nat == config_.nbma) nat.reset();
  if (nat != server.nat_nbma && nat)
    out.notes.push_back(fmt::format("NHS {}: NAT detected, it sees us at {}", server.nbma.str(),
                                    nat->str()));
  server.nat_nbma = nat;
  if (!server.registered)
    out.notes.push_back(fmt::format("NHS {}: registered {} -> {} for {} s", server.nbma.str(),
                                    config_.protocol.str(), config_.nbma.str(),
                                    config_.holding_time));
  server.registered = true;
  server.expires = now + std::chrono::seconds(config_.holding_time);
  server.last_error.clear();
  server.request_id = 0;
  server.retry = kRetryAfterSuccess;
  // RFC 2332 §5.2.3: re-register after a third of the holding time.
  server.next = now + std::chrono::seconds(config_.holding_time / 3);
}

ServerStatus* RegistrationClient::find(Ipv4 nbma) {
  auto it = std::find_if(servers_.begin(), servers_.end(),
                         [&](const ServerStatus& s) { return s.nbma == nbma; });
  return it == servers_.end() ? nullptr : &*it;
}

ClientOutput RegistrationClient::receive(Ipv4 from, const Packet& packet, TimePoint now) {
  ClientOutput out;
  ServerStatus* found = find(from);
  if (!found) {
    out.notes.push_back(fmt::format("NHRP packet from {}, which is no NHS of ours: ignored",
                                    from.str()));
    return out;
  }
  ServerStatus& server = *found;
  if (packet.type == PacketType::error_indication) {
    // One naming another request (a resolution's, the shortcut table's)
    // says nothing about our registration.
    const auto id = request_id_in_error(packet.payload);
    if (server.request_id != 0 && (!id || *id == server.request_id))
      failed(server, fmt::format("Error Indication code {} (offset {})", packet.error_code,
                                 packet.error_offset),
             now, out);
    return out;
  }
  if (packet.type != PacketType::registration_reply || server.request_id == 0 ||
      packet.request_id != server.request_id) {
    out.notes.push_back(fmt::format("NHS {}: unexpected packet type {} (request id {}): ignored",
                                    from.str(), int(packet.type), packet.request_id));
    return out;
  }
  on_reply(server, packet, now, out);
  return out;
}

ClientOutput RegistrationClient::expire(TimePoint now) {
  ClientOutput out;
  for (auto& server : servers_) {
    if (server.registered && server.expires && *server.expires <= now) {
      server.registered = false;
      out.notes.push_back(fmt::format("NHS {}: registration expired", server.nbma.str()));
    }
    if (server.next > now) continue;
    if (server.request_id != 0) {
      failed(server, "no reply", now, out);
      server.next = now;  // send again at once, with the longer wait
    }
    out.send.push_back(request(server, now));
  }
  return out;
}

ClientOutput RegistrationClient::reregister(Ipv4 nbma, TimePoint now) {
  ClientOutput out;
  ServerStatus* server = find(nbma);
  if (!server) return out;
  server->retry = kFirstRetry;
  out.send.push_back(request(*server, now));
  out.notes.push_back(fmt::format("NHS {}: reachable again, registering at once", nbma.str()));
  return out;
}

ClientOutput RegistrationClient::lost(Ipv4 nbma, TimePoint now) {
  ClientOutput out;
  ServerStatus* server = find(nbma);
  if (!server) return out;
  if (server->registered)
    out.notes.push_back(
        fmt::format("NHS {}: unreachable, its registration no longer counts", nbma.str()));
  server->registered = false;
  server->expires.reset();
  server->request_id = 0;
  server->retry = kRetryAfterSuccess;
  server->next = std::min(server->next, now + server->retry);
  return out;
}

std::optional<TimePoint> RegistrationClient::next_deadline() const {
  std::optional<TimePoint> next;
  for (const auto& s : servers_) {
    TimePoint t = s.next;
    if (s.registered && s.expires) t = std::min(t, *s.expires);
    if (!next || t < *next) next = t;
  }
  return next;
}

Ipv4 RegistrationClient::reachable_nbma() const {
  for (const auto& s : servers_)
    if (s.registered && s.nat_nbma) return *s.nat_nbma;
  return config_.nbma;
}

}  // namespace nwbpf::nhrp
