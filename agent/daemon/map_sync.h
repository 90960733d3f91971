// SPDX-License-Identifier: Apache-2.0
// Brings one map to a desired content by writing only the differences, so an
// entry the data plane is using is never rewritten when it did not change.
//
// A map is anything with entries(), update(K, V) and erase(K) -> bool: the
// agent passes dataplane/bpf_map.h's BpfMap, the unit tests an std::map-
// backed table (the real maps are exercised by the netns tests).
#pragma once

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

template <MapBytes K, MapBytes V, SyncableMap<K, V> M>
Table<K, V> read_table(const M& map) {
  Table<K, V> out;
  for (const auto& [key, value] : map.entries()) out.emplace(key, value);
  return out;
}

// Writes every desired entry that `current` lacks or holds with other bytes.
// Returns how many were written.
template <MapBytes K, MapBytes V, SyncableMap<K, V> M>
size_t write_changed(M& map, const Table<K, V>& desired, const Table<K, V>& current) {
  size_t written = 0;
  for (const auto& [key, value] : desired) {
    auto it = current.find(key);
    if (it != current.end() && same_bytes(it->second, value)) continue;
    map.update(key, value);
    ++written;
  }
  return written;
}

// Deletes every key of `current` that `desired` lacks. Returns how many went
// (a key already gone, e.g. evicted meanwhile, is not counted).
template <MapBytes K, MapBytes V, SyncableMap<K, V> M>
size_t delete_stale(M& map, const Table<K, V>& desired, const Table<K, V>& current) {
  size_t deleted = 0;
  for (const auto& [key, value] : current)
    if (!desired.contains(key) && map.erase(key)) ++deleted;
  return deleted;
}

}  // namespace nwbpf::daemon
