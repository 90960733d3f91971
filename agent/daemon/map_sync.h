// SPDX-License-Identifier: Apache-2.0
// Brings one map to a desired content by writing only the differences, so an
// entry the data plane is using is never rewritten when it did not change.
//
// A map is anything with entries(), update(K, V) and erase(K) -> bool: the
// agent passes dataplane/bpf_map.h's BpfMap, the unit tests an std::map-
// backed table (the real maps are exercised by the netns tests).
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <utility>
#include <vector>

#include "daemon/map_table.h"

namespace nwbpf::daemon {

template <typename M, typename K, typename V>
concept SyncableMap = requires(M& map, const M& cmap, const K& key, const V& value) {
  { cmap.entries() } -> std::convertible_to<std::vector<std::pair<K, V>>>;
  map.update(key, value);
  { map.erase(key) } -> std::same_as<bool>;
};

// The entries of `map` in key order (KeyLess), as the diff walks them. A
// key listed twice (a slotted table's entry caught between slot and
// overflow) counts once, as first listed.
template <MapBytes K, MapBytes V, SyncableMap<K, V> M>
std::vector<std::pair<K, V>> read_sorted(const M& map) {
  std::vector<std::pair<K, V>> out = map.entries();
  const KeyLess less;
  std::stable_sort(out.begin(), out.end(),
                   [&](const auto& a, const auto& b) { return less(a.first, b.first); });
  auto last = std::unique(out.begin(), out.end(), [&](const auto& a, const auto& b) {
    return !less(a.first, b.first) && !less(b.first, a.first);
  });
  out.erase(last, out.end());
  return out;
}

// What brings a map from `current` to `desired`: the desired entries it
// lacks or holds with other bytes (in key order) and its keys `desired`
// lacks (in key order). One walk over both, each in key order: no lookup
// per entry, which at 100,000 EVPN MACs is most of a reconcile.
template <MapBytes K, MapBytes V>
struct MapDiff {
  std::vector<std::pair<K, V>> write;
  std::vector<K> erase;
};

template <MapBytes K, MapBytes V>
MapDiff<K, V> diff_table(const Table<K, V>& desired, const std::vector<std::pair<K, V>>& current) {
  MapDiff<K, V> d;
  const KeyLess less;
  auto cur = current.begin();
  for (const auto& [key, value] : desired) {
    for (; cur != current.end() && less(cur->first, key); ++cur) d.erase.push_back(cur->first);
    if (cur != current.end() && !less(key, cur->first)) {  // the same key
      if (!same_bytes(cur->second, value)) d.write.emplace_back(key, value);
      ++cur;
    } else {
      d.write.emplace_back(key, value);
    }
  }
  for (; cur != current.end(); ++cur) d.erase.push_back(cur->first);
  return d;
}

// Writes the diff's entries. Returns how many were written.
template <MapBytes K, MapBytes V, SyncableMap<K, V> M>
size_t write_changed(M& map, const MapDiff<K, V>& diff) {
  for (const auto& [key, value] : diff.write) map.update(key, value);
  return diff.write.size();
}

// Deletes the diff's keys. Returns how many went (a key already gone, e.g.
// evicted meanwhile, is not counted).
template <MapBytes K, MapBytes V, SyncableMap<K, V> M>
size_t delete_stale(M& map, const MapDiff<K, V>& diff) {
  size_t deleted = 0;
  for (const K& key : diff.erase)
    if (map.erase(key)) ++deleted;
  return deleted;
}

}  // namespace nwbpf::daemon
