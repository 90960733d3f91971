// SPDX-License-Identifier: Apache-2.0
// The Speaker's sessions: peers coming and going (with RFC 4724 helper
// mode), their UPDATEs and ROUTE-REFRESHes, timers and views.
#include "evpn/speaker.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace nwbpf::evpn {
namespace {

bool lists_evpn(const std::vector<bgp::GracefulRestart::FamilyState>& families,
                bool need_forwarding) {
  return std::any_of(families.begin(), families.end(), [&](const auto& f) {
    return f.family == bgp::kL2vpnEvpn && (f.forwarding_preserved || !need_forwarding);
  });
}

}  // namespace

Speaker::Speaker(SpeakerConfig config)
    : config_(std::move(config)),
      loop_policy_{config_.local_as, config_.router_id, config_.cluster_id},
      export_policy_{config_.local_as, config_.cluster_id},
      local_(LocalConfig{config_.local_as, config_.router_id, config_.vtep, config_.vnis}),
      import_(local_.imports(), config_.vtep),
      macs_(config_.duplicate_detection) {
  for (Path& path : local_.inclusive_multicast()) rib_.update(std::move(path));
  rib_.take_changes();  // no peer yet, and import skips our own routes
}

Speaker::Peer& Speaker::established_peer(Ipv4 address, const char* call) {
  auto found = peers_.find(address);
  if (found == peers_.end() || !found->second.established)
    throw std::logic_error(
        fmt::format("EVPN {} for peer {}, which is not established", call, address.str()));
  return found->second;
}

void Speaker::drop_stale(Peer& peer, const char* why, SpeakerOutput& out) {
  const Ipv4 address = peer.receiver.address;
  out.notes.push_back(fmt::format("peer {}: removing {} stale routes: {}", address.str(),
                                  rib_.stale_count(address), why));
  rib_.remove_stale(address);
  peer.stale_deadline.reset();
}

SpeakerOutput Speaker::peer_up(Ipv4 address, const bgp::Session& session, bgp::TimePoint now) {
  if (address == kLocalPeer) throw std::invalid_argument("EVPN peer address 0.0.0.0");
  Peer& peer = peers_[address];
  if (peer.established)
    throw std::logic_error(fmt::format("EVPN peer_up for peer {}, already up", address.str()));
  peer.receiver = Receiver{address, session.internal};
  peer.router_id = session.peer_id;
  peer.options.four_octet_as = session.four_octet_as;
  peer.evpn = std::find(session.families.begin(), session.families.end(), bgp::kL2vpnEvpn) !=
              session.families.end();
  peer.end_of_rib_received = false;
  SpeakerOutput out;
  if (peer.stale_deadline) {
    // RFC 4724 §4.2: stale routes wait for End-of-RIB only when the new OPEN
    // says the peer kept forwarding state for the family.
    const auto& gr = session.peer_graceful_restart;
    if (peer.evpn && gr && lists_evpn(gr->families, true)) {
      peer.stale_deadline = now + config_.stale_path_time;
    } else {
      drop_stale(peer, "restarted without EVPN forwarding state (RFC 4724 §4.2)", out);
    }
  }
  settle(out, now);  // before it counts as established: it has none of our routes yet
  peer.established = true;
  if (peer.evpn) dump(peer, true, out);
  return out;
}

SpeakerOutput Speaker::peer_down(Ipv4 address, const std::optional<bgp::GracefulRestart>& retain,
                                 bgp::TimePoint now) {
  Peer& peer = established_peer(address, "peer_down");
  peer.established = false;
  SpeakerOutput out;
  if (peer.evpn && retain && retain->restart_time > 0 && lists_evpn(retain->families, false)) {
    const size_t stale = rib_.mark_stale(address);
    peer.stale_deadline = now + std::chrono::seconds(retain->restart_time);
    out.notes.push_back(fmt::format("peer {}: keeping {} routes as stale for {} s (RFC 4724 §4.2)",
                                    address.str(), stale, retain->restart_time));
  } else {
    rib_.remove_peer(address);
    peer.stale_deadline.reset();
  }
  settle(out, now);
  return out;
}

bgp::Result<SpeakerOutput> Speaker::receive(Ipv4 address, const bgp::Update& update,
                                            bgp::TimePoint now) {
  Peer& peer = established_peer(address, "receive");
  auto read =
      read_update(update, Sender{address, peer.router_id, peer.receiver.internal}, loop_policy_);
  if (auto* error = std::get_if<bgp::Error>(&read)) return std::move(*error);
  Received& received = std::get<Received>(read);
  SpeakerOutput out;
  if (received.end_of_rib) {
    peer.end_of_rib_received = true;
    if (peer.stale_deadline) drop_stale(peer, "not refreshed before End-of-RIB", out);
  }
  if (received.rejected)
    (received.looped ? out.debug_notes : out.notes).push_back(fmt::format("peer {}: {} routes withdrawn: {}", address.str(),
                                    received.withdrawn.size(), *received.rejected));
  for (const RouteKey& key : received.withdrawn) rib_.withdraw(address, key);
  for (Route& route : received.announced)
    rib_.update(Path{address, std::move(route), received.info, false});
  settle(out, now);
  return out;
}

SpeakerOutput Speaker::route_refresh(Ipv4 address) {
  const Peer& peer = established_peer(address, "route_refresh");
  SpeakerOutput out;
  if (peer.evpn) dump(peer, false, out);
  return out;
}

SpeakerOutput Speaker::expire(bgp::TimePoint now) {
  SpeakerOutput out;
  for (auto& [address, peer] : peers_)
    if (peer.stale_deadline && *peer.stale_deadline <= now)
      drop_stale(
          peer, peer.established ? "End-of-RIB did not come in time" : "restart time expired", out);
  settle(out, now);
  return out;
}

std::optional<bgp::TimePoint> Speaker::next_deadline() const {
  std::optional<bgp::TimePoint> next;
  for (const auto& [address, peer] : peers_)
    if (peer.stale_deadline && (!next || *peer.stale_deadline < *next)) next = peer.stale_deadline;
  return next;
}

std::vector<PeerView> Speaker::peers() const {
  std::vector<PeerView> views;
  for (const auto& [address, peer] : peers_)
    views.push_back(PeerView{address, peer.router_id, peer.established, peer.end_of_rib_received,
                             rib_.path_count(address), rib_.stale_count(address),
                             peer.stale_deadline});
  return views;
}

std::vector<RouteView> Speaker::routes(const RouteFilter& filter) const {
  std::vector<RouteView> views;
  rib_.for_each([&](const RouteKey& key, std::span<const Path> paths, size_t best) {
    if (filter.type && route_type(key) != *filter.type) return;
    if (filter.vni && std::none_of(paths.begin(), paths.end(),
                                   [&](const Path& p) { return wire_vni(p) == filter.vni; }))
      return;
    views.push_back(RouteView{key, {paths.begin(), paths.end()}, best});
  });
  return views;
}

}  // namespace nwbpf::evpn
