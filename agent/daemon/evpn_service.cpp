// SPDX-License-Identifier: Apache-2.0
#include "daemon/evpn_service.h"

#include <algorithm>

#include "common/log.h"

namespace nwbpf::daemon {

namespace {

bgp::TimePoint now() { return bgp::Clock::now(); }

// A pause this long ends a burst of UPDATEs; a burst, or a peer's table
// until its End-of-RIB, is installed at least this often
// (evpn_service_hold.h).
constexpr auto kQuiet = std::chrono::milliseconds(20);
constexpr auto kMaxHold = std::chrono::seconds(1);

}  // namespace

EvpnService::EvpnService(boost::asio::io_context& io, const EvpnPlan& plan, Callbacks callbacks)
    : io_(io),
      callbacks_(std::move(callbacks)),
      speaker_(plan.speaker),
      timer_(io),
      hold_(kQuiet, kMaxHold),
      hold_timer_(io) {
  bgp::SessionHandlers h;
  h.on_established = [this](bgp::PeerId peer, const bgp::Session& s) {
    // Its table comes now, and End-of-RIB says when it is complete. RFC
    // 4724 §2 defines the marker for graceful restart and only recommends
    // it otherwise, so only a peer that exchanged the capability is waited
    // for; with any other, pauses end the hold as in a burst.
    const bool evpn = std::find(s.families.begin(), s.families.end(), bgp::kL2vpnEvpn) !=
                      s.families.end();
    if (evpn && s.peer_graceful_restart) syncing_.insert(peer);
    apply(speaker_.peer_up(peer, s, now()));
    if (callbacks_.peer_established) callbacks_.peer_established(peer);
  };
  h.on_update = [this](bgp::PeerId peer, const bgp::Update& u) {
    auto r = speaker_.receive(peer, u, now());
    if (auto* error = std::get_if<bgp::Error>(&r)) {
      log::get("evpn")->warn("UPDATE from {}: {}; resetting the session", peer.str(), error->text);
      sessions_->reset_peer(peer, *error);
      return;
    }
    const bool end_of_rib = bgp::end_of_rib_family(u) == bgp::kL2vpnEvpn;
    if (end_of_rib) syncing_.erase(peer);
    apply(std::move(std::get<evpn::SpeakerOutput>(r)), end_of_rib);
  };
  h.on_down = [this](bgp::PeerId peer, const bgp::DownReason& reason,
                     const std::optional<bgp::GracefulRestart>& retain) {
    syncing_.erase(peer);
    apply(speaker_.peer_down(peer, retain, now()));
    // Our own stop (a reload, nwbpfd stopping) says nothing of the peer.
    const bool gone = reason.cause != bgp::DownCause::stopped &&
                      reason.cause != bgp::DownCause::collision;
    if (gone && callbacks_.peer_down) callbacks_.peer_down(peer);
  };
  h.on_route_refresh = [this](bgp::PeerId peer, bgp::Family) {
    apply(speaker_.route_refresh(peer));
  };
  sessions_ = std::make_unique<bgp::SessionManager>(io, plan.sessions, std::move(h));
}

EvpnService::~EvpnService() = default;

void EvpnService::start() {
  sessions_->start();
  arm_timer();
}

void EvpnService::stop(const std::string& communication) {
  timer_.cancel();
  hold_timer_.cancel();
  sessions_->shutdown(communication);
}

void EvpnService::mac_learned(uint32_t vni, const Mac& mac) {
  if (mac.is_multicast() || mac.is_zero()) return;
  try {
    apply(speaker_.mac_learned({vni, mac}, now()));
  } catch (const std::invalid_argument&) {
    // a VNI without EVPN (no route target): nothing to advertise
  }
}

void EvpnService::mac_removed(uint32_t vni, const Mac& mac) {
  if (mac.is_multicast() || mac.is_zero()) return;
  try {
    apply(speaker_.mac_removed({vni, mac}, now()));
  } catch (const std::invalid_argument&) {
  }
}

// Sends, installs, reports; then re-arms the speaker's timer, which any
// call may have moved.
void EvpnService::apply(evpn::SpeakerOutput out, bool end_of_rib) {
  auto log = log::get("evpn");
  for (const auto& o : out.send) sessions_->send_update(o.peer, o.update);
  const auto& d = out.import;
  for (const auto& m : d.added) install_.macs[{m.vni, m.mac}] = m.vtep;
  for (const auto& m : d.changed) install_.macs[{m.vni, m.mac}] = m.vtep;
  for (const auto& k : d.removed) install_.macs.erase({k.vni, k.mac});
  for (const auto& f : d.flood_added) install_.flood[f.vni].insert(f.vtep);
  for (const auto& f : d.flood_removed) {
    auto it = install_.flood.find(f.vni);
    if (it == install_.flood.end()) continue;
    it->second.erase(f.vtep);
    if (it->second.empty()) install_.flood.erase(it);
  }
  for (const auto& m : out.moved_away)
    if (callbacks_.moved_away) callbacks_.moved_away(m);
  for (const auto& k : out.duplicates)
    log->warn("MAC {} in VNI {} moved too often: duplicate, no longer advertised", k.mac.str(),
              k.vni);
  for (const auto& note : out.notes) log->info("{}", note);
  for (const auto& note : out.debug_notes) log->debug("{}", note);
  if (!d.empty()) {
    const auto when = hold_.changed(std::chrono::steady_clock::now(), !syncing_.empty());
    hold_timer_.expires_at(when);
    hold_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) tell_changed();
    });
  }
  if (end_of_rib && hold_.held()) tell_changed();
  arm_timer();
}

void EvpnService::tell_changed() {
  hold_timer_.cancel();
  hold_.told();
  if (callbacks_.changed) callbacks_.changed();
}

void EvpnService::arm_timer() {
  auto deadline = speaker_.next_deadline();
  timer_.cancel();
  if (!deadline) return;
  timer_.expires_at(*deadline);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) apply(speaker_.expire(now()));
  });
}

}  // namespace nwbpf::daemon
