// SPDX-License-Identifier: Apache-2.0
// The EVPN speaker, sans-io: the RIB, what we originate, what we reflect,
// what we import, and graceful restart as a helper, driven by calls that
// name peers by session address and pass decoded messages and the time.
// Each call returns the UPDATEs to send (per peer, in order), the change of
// the imported state, and what the data plane's owner must know about local
// MACs. One class for the route-reflector client (a CE: local routes,
// import) and the route reflector (the route server: reflection); a node in
// both roles gets both.
//
// Adapter contract: call peer_up() when a session reaches Established with
// L2VPN EVPN (it returns the initial table and End-of-RIB), receive() for
// every UPDATE, peer_down() when it leaves Established (with the FSM's
// `retain`), route_refresh() for a ROUTE-REFRESH, and expire() when
// next_deadline() passes (re-read it after every call).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bgp/negotiate.h"
#include "bgp/timers.h"
#include "bgp/update.h"
#include "evpn/export.h"
#include "evpn/import.h"
#include "evpn/local_routes.h"
#include "evpn/mac_mobility.h"
#include "evpn/received.h"
#include "evpn/rib.h"

namespace nwbpf::evpn {

struct SpeakerConfig {
  uint32_t local_as = 0;
  Ipv4 router_id;  // the overlay address
  // Set (to the overlay address): route reflector, every peer a client.
  std::optional<Ipv4> cluster_id;
  Ipv4 vtep;                    // our routes' next hop; usually the router id
  std::vector<VniConfig> vnis;  // empty on a pure route server
  DuplicateDetection duplicate_detection;
  // How long a restarted peer's stale routes wait for its End-of-RIB once
  // the session is back (RFC 4724 §4.2 leaves it local; FRR's stalepath-time).
  bgp::Duration stale_path_time = std::chrono::seconds(360);
  bool operator==(const SpeakerConfig&) const = default;
};

struct Outgoing {
  Ipv4 peer;
  bgp::Update update;
};

struct SpeakerOutput {
  std::vector<Outgoing> send;
  ImportDiff import;
  // Local MACs a remote route took over (RFC 7432 §15): remove the local
  // entry; the import diff installs the remote one.
  std::vector<RemoteMac> moved_away;
  // MACs that have just become duplicates: alert the operator.
  std::vector<MacKey> duplicates;
  std::vector<std::string> notes;        // events worth a log line
  std::vector<std::string> debug_notes;  // routine ones (routes looped back)
};

struct PeerView {
  Ipv4 address;
  Ipv4 router_id;
  bool established = false;
  bool end_of_rib_received = false;
  size_t paths = 0;  // in the Adj-RIB-In, stale ones included
  size_t stale = 0;
  std::optional<bgp::TimePoint> stale_deadline;
};

struct RouteFilter {
  std::optional<uint8_t> type;
  std::optional<uint32_t> vni;  // wire_vni() of some path
};

// One route of `show bgp evpn`: every path, and which is best.
struct RouteView {
  RouteKey key;
  std::vector<Path> paths;
  size_t best = 0;
};

class Speaker {
 public:
  // Throws std::invalid_argument for a bad config (LocalRoutes, LocalMacs);
  // originates the type-3 route of every VNI.
  explicit Speaker(SpeakerConfig config);

  // Throw std::invalid_argument for address 0.0.0.0 and std::logic_error
  // for a call out of sequence (peer_up twice, an unknown peer).
  SpeakerOutput peer_up(Ipv4 address, const bgp::Session& session, bgp::TimePoint now);
  SpeakerOutput peer_down(Ipv4 address, const std::optional<bgp::GracefulRestart>& retain,
                          bgp::TimePoint now);
  // An Error is a NOTIFICATION to send and a session to reset (received.h).
  bgp::Result<SpeakerOutput> receive(Ipv4 address, const bgp::Update& update, bgp::TimePoint now);
  // RFC 2918 §4: send the Adj-RIB-Out again.
  SpeakerOutput route_refresh(Ipv4 address);

  // Local MACs, from the data plane. Throw std::invalid_argument for a VNI
  // we do not have and for a multicast or all-zero MAC.
  SpeakerOutput mac_learned(const MacKey& mac, bgp::TimePoint now);
  SpeakerOutput mac_removed(const MacKey& mac, bgp::TimePoint now);
  SpeakerOutput clear_duplicate(const MacKey& mac, bgp::TimePoint now);

  SpeakerOutput expire(bgp::TimePoint now);
  std::optional<bgp::TimePoint> next_deadline() const;

  std::vector<PeerView> peers() const;
  std::vector<RouteView> routes(const RouteFilter& filter = {}) const;
  const ImportTable& imports() const { return import_; }
  const LocalMacs& local_macs() const { return macs_; }
  size_t route_count() const { return rib_.size(); }

 private:
  struct Peer {
    Receiver receiver;
    Ipv4 router_id;
    bgp::SessionOptions options;
    bool established = false;
    bool evpn = false;  // L2VPN EVPN negotiated
    bool end_of_rib_received = false;
    std::optional<bgp::TimePoint> stale_deadline;
  };

  Peer& established_peer(Ipv4 address, const char* call);
  void check_local(const MacKey& mac) const;
  void apply(const MacKey& mac, const MobilityDecision& decision, SpeakerOutput& out);
  // Hands the RIB's changes to import (settling MAC moves), to every peer
  // as UPDATEs, and the import diff to `out`.
  void settle(SpeakerOutput& out, bgp::TimePoint now);
  void export_changes(const BestChanges& changes, SpeakerOutput& out) const;
  // The whole Adj-RIB-Out of one peer.
  void dump(const Peer& peer, bool end_of_rib, SpeakerOutput& out) const;
  void drop_stale(Peer& peer, const char* why, SpeakerOutput& out);

  SpeakerConfig config_;
  LoopPolicy loop_policy_;
  ExportPolicy export_policy_;
  LocalRoutes local_;
  ImportTable import_;
  LocalMacs macs_;
  Rib rib_;
  std::map<Ipv4, Peer> peers_;
};

}  // namespace nwbpf::evpn
