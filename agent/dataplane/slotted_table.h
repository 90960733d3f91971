// SPDX-License-Identifier: Apache-2.0
// One keyed table over a direct-mapped pair of maps (include/nwbpf/slots.h):
// the ARRAY of slots and its HASH overflow. Callers (the reconciler, the
// views, the tests) see keys and values only; the placing is here.
//
// Placing is sticky: an entry keeps the slot it has, a new entry takes its
// slot if free, else goes to the overflow, and an entry in the overflow
// moves into its slot when that is free at its next update. Every move
// writes the new place before clearing the old one, so BPF always finds the
// entry.
//
// A slot is rewritten in place (an ARRAY update copies the value), so a
// frame racing a change to that very entry may read some old and some new
// fields; each field it reads is the old or the new answer, as if the frame
// had come a moment earlier or later. A slot changes hands only through
// empty (erase, then a later update), so a frame never mistakes one key's
// entry for another's.
#pragma once

#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "dataplane/bpf_map.h"

namespace nwbpf {

// Layout: static __u32 slot(const K&); static K key_of(const V&);
// static std::string name(const K&) (for errors).
template <typename K, typename V, typename Layout>
class SlottedTable {
 public:
  SlottedTable(BpfMap<__u32, V> slots, BpfMap<K, V> overflow)
      : slots_(std::move(slots)), overflow_(std::move(overflow)) {}

  // Every entry: the slots' occupants, then the overflow.
  std::vector<std::pair<K, V>> entries() const {
    std::vector<std::pair<K, V>> out;
    for (const auto& [slot, value] : slots_.entries())
      if (!is_empty(Layout::key_of(value))) out.emplace_back(Layout::key_of(value), value);
    for (const auto& entry : overflow_.entries()) out.push_back(entry);
    return out;
  }

  std::optional<V> lookup(const K& key) const {
    V held = occupant(key);
    if (!is_empty(key) && same(Layout::key_of(held), key)) return held;
    return overflow_.lookup(key);
  }

  // Adds or changes `key`. The value must carry that key (BPF tells slot
  // occupants apart by it): throws std::invalid_argument otherwise.
  void update(const K& key, const V& value) {
    if (is_empty(key) || !same(Layout::key_of(value), key))
      throw std::invalid_argument(std::string(Layout::kWhat) + " entry for " + Layout::name(key) +
                                  " names " + Layout::name(Layout::key_of(value)));
    K held = Layout::key_of(occupant(key));
    if (!is_empty(held) && !same(held, key)) {
      overflow_.update(key, value);
      return;
    }
    slots_.update(Layout::slot(key), value);
    if (is_empty(held)) overflow_.erase(key);  // moved in, if it was there
  }

  // Returns false if the key was absent.
  bool erase(const K& key) {
    if (!is_empty(key) && same(Layout::key_of(occupant(key)), key)) {
      slots_.update(Layout::slot(key), V{});
      return true;
    }
    return overflow_.erase(key);
  }

 private:
  static bool same(const K& a, const K& b) { return std::memcmp(&a, &b, sizeof(K)) == 0; }
  static bool is_empty(const K& k) { return same(k, K{}); }
  V occupant(const K& key) const { return slots_.lookup(Layout::slot(key)).value_or(V{}); }

  BpfMap<__u32, V> slots_;
  BpfMap<K, V> overflow_;
};

}  // namespace nwbpf
