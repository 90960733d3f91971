// SPDX-License-Identifier: Apache-2.0
#include "evpn/rib.h"

#include <algorithm>

#include "evpn/best_path.h"

namespace nwbpf::evpn {
namespace {

// The position of the peer's path, or where it would go (paths are few:
// one per route reflector, so a linear walk beats anything cleverer).
template <class Paths>
auto path_position(Paths& paths, Ipv4 peer) {
  return std::find_if(paths.begin(), paths.end(),
                      [&](const Path& p) { return host_order(p.peer) >= host_order(peer); });
}

template <class Paths>
auto find_path(Paths& paths, Ipv4 peer) {
  auto at = path_position(paths, peer);
  return at != paths.end() && at->peer == peer ? at : paths.end();
}

// boost's small_vector does not model std::contiguous_range, so spell it out.
template <class Paths>
std::span<const Path> span_of(const Paths& paths) {
  return {paths.data(), paths.size()};
}

}  // namespace

void Rib::note_before(const RouteKey& key, const Entry* entry) {
  if (before_.contains(key)) return;
  std::optional<Path> best;
  if (entry && !entry->paths.empty()) best = entry->paths[entry->best];
  before_.emplace(key, std::move(best));
}

void Rib::update(Path path) {
  auto [route, inserted] = routes_.try_emplace(key_of(path.route));
  Entry& entry = route->second;
  note_before(route->first, inserted ? nullptr : &entry);
  const Ipv4 peer = path.peer;
  auto at = path_position(entry.paths, peer);
  if (at != entry.paths.end() && at->peer == peer) {
    *at = std::move(path);
  } else {
    entry.paths.insert(at, std::move(path));
    by_peer_[peer].insert(&route->first);
  }
  entry.best = select_best(span_of(entry.paths));
}

void Rib::withdraw(Ipv4 peer, const RouteKey& key) {
  auto route = routes_.find(key);
  if (route == routes_.end() || find_path(route->second.paths, peer) == route->second.paths.end())
    return;
  note_before(route->first, &route->second);
  erase_path(route, peer);
}

void Rib::erase_path(Routes::iterator route, Ipv4 peer) {
  Entry& entry = route->second;
  entry.paths.erase(find_path(entry.paths, peer));
  auto keys = by_peer_.find(peer);
  keys->second.erase(&route->first);
  if (keys->second.empty()) by_peer_.erase(keys);
  if (entry.paths.empty()) {
    routes_.erase(route);
  } else {
    entry.best = select_best(span_of(entry.paths));
  }
}

void Rib::remove_if(Ipv4 peer, bool (*which)(const Path&)) {
  auto keys = by_peer_.find(peer);
  if (keys == by_peer_.end()) return;
  std::vector<Routes::iterator> victims;
  for (const RouteKey* key : keys->second) {
    auto route = routes_.find(*key);
    if (which(*find_path(route->second.paths, peer))) victims.push_back(route);
  }
  // Erasing one route leaves the iterators to the others valid.
  for (auto route : victims) {
    note_before(route->first, &route->second);
    erase_path(route, peer);
  }
}

void Rib::remove_peer(Ipv4 peer) {
  remove_if(peer, [](const Path&) { return true; });
}

void Rib::remove_stale(Ipv4 peer) {
  remove_if(peer, [](const Path& p) { return p.stale; });
}

size_t Rib::mark_stale(Ipv4 peer) {
  auto keys = by_peer_.find(peer);
  if (keys == by_peer_.end()) return 0;
  for (const RouteKey* key : keys->second)
    find_path(routes_.find(*key)->second.paths, peer)->stale = true;
  return keys->second.size();
}

BestChanges Rib::take_changes() {
  BestChanges changes;
  for (auto& [key, before] : before_) {
    std::optional<Path> after;
    if (const Path* best_now = best(key)) after = *best_now;
    if (!before && !after) continue;
    if (before && after && same_advertisement(*before, *after)) continue;
    changes.push_back(BestChange{key, std::move(before), std::move(after)});
  }
  before_.clear();
  return changes;
}

size_t Rib::path_count(Ipv4 peer) const {
  auto keys = by_peer_.find(peer);
  return keys == by_peer_.end() ? 0 : keys->second.size();
}

size_t Rib::stale_count(Ipv4 peer) const {
  auto keys = by_peer_.find(peer);
  if (keys == by_peer_.end()) return 0;
  return size_t(std::count_if(keys->second.begin(), keys->second.end(), [&](const RouteKey* key) {
    return find_path(routes_.find(*key)->second.paths, peer)->stale;
  }));
}

const Path* Rib::best(const RouteKey& key) const {
  auto route = routes_.find(key);
  return route == routes_.end() ? nullptr : &route->second.paths[route->second.best];
}

void Rib::for_each(
    const std::function<void(const RouteKey&, std::span<const Path>, size_t)>& fn) const {
  for (const auto& [key, entry] : routes_) fn(key, span_of(entry.paths), entry.best);
}

}  // namespace nwbpf::evpn
