// SPDX-License-Identifier: Apache-2.0
// Import in a CE: what the data plane needs from the EVPN Loc-RIB, kept up
// to date from best-path changes and handed out as diffs.
//
// A remote best path is imported into every local VNI whose import route
// targets it carries (RFC 7432 §9.2.1, as FRR matches L2VNIs; auto AS:VNI
// by default). Then:
// - type 2: the MAC of (VNI, MAC) is reached through the route's next hop.
//   Several routes may name one MAC (another RD after a move, or a MAC/IP
//   route beside the MAC-only one); RFC 7432 §15 picks the one with the
//   highest MAC Mobility sequence number, then the lowest next hop (§15.1).
//   Our own advertisement of a local MAC takes part as one more candidate
//   (set_local), so a MAC we win is not installed as remote, and a remote
//   route that beats ours is reported (take_local_losses).
// - type 3: the VTEP joins the VNI's flood list (ingress replication, RFC
//   8365 §5.1.3): the PMSI tunnel identifier, or the next hop when the route
//   has no PMSI attribute; a PMSI of another tunnel type is not installed.
// Our own VTEP is never installed. Types 1, 4 and 5 are not installed, and
// neither is a path whose next hop is not IPv4.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "evpn/ext_community.h"
#include "evpn/rib.h"

namespace nwbpf::evpn {

struct MacKey {
  uint32_t vni = 0;
  Mac mac;
  auto operator<=>(const MacKey&) const = default;
};

// A MAC the data plane reaches through a remote VTEP (FDB origin evpn).
struct RemoteMac {
  uint32_t vni = 0;
  Mac mac;
  Ipv4 vtep;
  uint32_t sequence = 0;
  bool operator==(const RemoteMac&) const = default;
};

struct FloodMember {
  uint32_t vni = 0;
  Ipv4 vtep;
  auto operator<=>(const FloodMember&) const = default;
};

// The net change of the installed state since the last take_diff(), in
// (VNI, MAC) and (VNI, VTEP) order.
struct ImportDiff {
  std::vector<RemoteMac> added;
  std::vector<RemoteMac> changed;  // new VTEP or sequence
  std::vector<MacKey> removed;
  std::vector<FloodMember> flood_added;
  std::vector<FloodMember> flood_removed;
  bool empty() const {
    return added.empty() && changed.empty() && removed.empty() && flood_added.empty() &&
           flood_removed.empty();
  }
};

// The route targets that import into one VNI.
struct VniImport {
  uint32_t vni = 0;
  std::vector<RouteTarget> route_targets;
};

class ImportTable {
 public:
  // Throws std::invalid_argument for a VNI listed twice or over 24 bits.
  ImportTable(const std::vector<VniImport>& vnis, Ipv4 own_vtep);

  // Takes one best-path change; changes of our own paths are ignored (the
  // local MACs come in through set_local).
  void apply(const BestChange& change);
  // Our advertisement of a local MAC, with its sequence number; nullopt: we
  // no longer advertise it.
  void set_local(const MacKey& key, std::optional<uint32_t> sequence);

  ImportDiff take_diff();
  // Local MACs whose advertisement a remote route now beats, since the last
  // call: the caller withdraws ours (RFC 7432 §15.1).
  std::vector<RemoteMac> take_local_losses();

  // The best remote route of a MAC, whether or not ours beats it.
  std::optional<RemoteMac> best_remote(const MacKey& key) const;
  // Everything installed now, for a full rebuild of the desired state.
  std::vector<RemoteMac> macs() const;
  std::vector<FloodMember> flood() const;

 private:
  struct Candidate {
    MacIpKey key;  // which route (one MAC may have several)
    Ipv4 vtep;
    uint32_t sequence = 0;
  };
  struct MacEntry {
    boost::container::small_vector<Candidate, 1> remote;
    std::optional<uint32_t> local_sequence;
  };

  std::vector<uint32_t> vnis_of(const Path& path) const;
  void add(const Path& path, bool adding);
  void touch_mac(const MacKey& key);
  void touch_flood(const FloodMember& member);
  // The remote candidate that wins RFC 7432 §15, and whether it beats ours.
  std::optional<RemoteMac> installed(const MacKey& key) const;

  Ipv4 own_vtep_;
  std::map<RouteTarget, std::vector<uint32_t>> vnis_by_target_;
  std::map<MacKey, MacEntry> macs_;
  std::map<FloodMember, uint32_t> flood_;  // -> number of routes naming it
  // State before this batch, of what the batch touched.
  std::map<MacKey, std::optional<RemoteMac>> macs_before_;
  std::map<FloodMember, bool> flood_before_;
};

}  // namespace nwbpf::evpn
