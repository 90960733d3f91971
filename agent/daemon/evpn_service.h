// SPDX-License-Identifier: Apache-2.0
// The EVPN speaker as nwbpfd runs it: the BGP sessions (bgp::SessionManager)
// and the RIB (evpn::Speaker) on the daemon's io_context, glued here. The
// speaker's imports are kept as an EvpnInstall, which the daemon merges into
// the desired state; `changed` tells it to (it debounces the reconcile),
// held back while a burst of UPDATEs lasts (evpn_service_hold.h).
// Local MACs come in from the ring buffer (mac_learned) and MAC ageing
// (mac_removed); a local MAC a remote route took over goes out through
// `moved_away` for the daemon to drop from fdb_learned. Sessions coming up
// and lost (not stopped by us) are told by peer address (`peer_established`,
// `peer_down`): a route reflector is also an NHS, whose registrations
// follow them.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <set>

#include "bgp/session_manager.h"
#include "daemon/evpn_install.h"
#include "daemon/evpn_plan.h"
#include "daemon/evpn_service_hold.h"
#include "evpn/speaker.h"

namespace nwbpf::daemon {

class EvpnService {
 public:
  struct Callbacks {
    std::function<void()> changed;                                // imports changed
    std::function<void(const evpn::RemoteMac&)> moved_away;      // drop the local entry
    std::function<void(Ipv4)> peer_established;                  // by peer address
    std::function<void(Ipv4)> peer_down;
  };

  // Builds both halves from the plan (std::invalid_argument for a bad one)
  // and binds the listener (std::system_error). Nothing runs before start().
  EvpnService(boost::asio::io_context& io, const EvpnPlan& plan, Callbacks callbacks);
  ~EvpnService();

  void start();
  // Cease/Administrative Shutdown to every peer.
  void stop(const std::string& communication = "nwbpfd stopping");

  // A MAC learned on, or aged out of, an edge port (VNIs we do not carry and
  // multicast MACs are ignored: the speaker has no route for them).
  void mac_learned(uint32_t vni, const Mac& mac);
  void mac_removed(uint32_t vni, const Mac& mac);

  // A session added or removed while running (a route reflector NHRP
  // found: daemon/route_reflectors.h); see bgp::SessionManager.
  void add_peer(const bgp::PeerConfig& peer) { sessions_->add_peer(peer); }
  bool remove_peer(Ipv4 peer, const std::string& communication) {
    return sessions_->remove_peer(peer, communication);
  }

  const EvpnInstall& install() const { return install_; }
  const evpn::Speaker& speaker() const { return speaker_; }
  std::vector<bgp::PeerStatus> sessions() const { return sessions_->peers(); }

 private:
  // `end_of_rib`: the output of an End-of-RIB, after which held changes
  // are told at once.
  void apply(evpn::SpeakerOutput out, bool end_of_rib = false);
  void arm_timer();
  void tell_changed();

  boost::asio::io_context& io_;
  Callbacks callbacks_;
  evpn::Speaker speaker_;
  std::unique_ptr<bgp::SessionManager> sessions_;
  boost::asio::steady_timer timer_;
  ImportHold<std::chrono::steady_clock> hold_;
  std::set<bgp::PeerId> syncing_;  // Established with GR, no End-of-RIB yet
  boost::asio::steady_timer hold_timer_;  // tells the held changes
  EvpnInstall install_;
};

}  // namespace nwbpf::daemon
