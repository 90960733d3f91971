// SPDX-License-Identifier: Apache-2.0
// The EVPN RIB (RFC 4271 §3.2, §9): every path of every route, by route key,
// which is at once the Adj-RIBs-In (the paths of each peer, after loop
// prevention) and the Loc-RIB (the best path of each key). Our own routes
// are paths of kLocalPeer.
//
// Mutations record which keys' best path changed; take_changes() hands them
// over once per batch, netted per key (a route announced and withdrawn in
// one batch is no change), so export and import see each key once. Every
// operation on one route is O(log n) in the number of routes.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <vector>

#include "evpn/path.h"

namespace nwbpf::evpn {

// The best path of a key before and after a batch; at least one is set and
// they differ (same_advertisement() is false).
struct BestChange {
  RouteKey key;
  std::optional<Path> before;
  std::optional<Path> after;
};
using BestChanges = std::vector<BestChange>;

class Rib {
 public:
  // Adds `path`, replacing the path its peer had for the key (RFC 4271
  // §3.1: an advertisement replaces the previous one). A replaced stale
  // path is refreshed.
  void update(Path path);
  // Removes the peer's path for the key, if it has one.
  void withdraw(Ipv4 peer, const RouteKey& key);
  // Removes every path of the peer, or only its stale ones.
  void remove_peer(Ipv4 peer);
  void remove_stale(Ipv4 peer);
  // Marks every path of the peer stale (RFC 4724 §4.2); returns how many.
  size_t mark_stale(Ipv4 peer);

  // The net best-path changes since the last call, in key order.
  BestChanges take_changes();

  size_t size() const { return routes_.size(); }
  size_t path_count(Ipv4 peer) const;
  size_t stale_count(Ipv4 peer) const;
  const Path* best(const RouteKey& key) const;
  // Calls fn(key, paths, best index) for every route, in key order.
  void for_each(
      const std::function<void(const RouteKey&, std::span<const Path>, size_t)>& fn) const;

 private:
  struct Entry {
    // Ordered by peer address (host order), so select_best() is deterministic.
    boost::container::small_vector<Path, 1> paths;
    size_t best = 0;
  };
  using Routes = std::map<RouteKey, Entry>;
  struct KeyLess {
    bool operator()(const RouteKey* a, const RouteKey* b) const { return *a < *b; }
  };
  // The keys a peer has a path for: pointers to the keys of routes_, whose
  // nodes do not move.
  using PeerKeys = std::set<const RouteKey*, KeyLess>;

  // The best path before the first change of `key` in this batch.
  void note_before(const RouteKey& key, const Entry* entry);
  void erase_path(Routes::iterator route, Ipv4 peer);
  // Removes the peer's paths for which `which` is true.
  void remove_if(Ipv4 peer, bool (*which)(const Path&));

  Routes routes_;
  std::map<Ipv4, PeerKeys> by_peer_;
  std::map<RouteKey, std::optional<Path>> before_;  // this batch's keys
};

}  // namespace nwbpf::evpn
