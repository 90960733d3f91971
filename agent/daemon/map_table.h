// SPDX-License-Identifier: Apache-2.0
// In-memory image of one BPF map: the desired state is a set of these, and
// the reconciler reads the live maps into them to compare. Keys and values
// are the plain C structs of maps/, compared by their bytes because that is
// what the kernel hashes and stores (every struct there has explicit padding
// fields, checked below, so equal bytes means equal meaning).
#pragma once

#include <cstring>
#include <map>
#include <type_traits>

namespace nwbpf::daemon {

template <typename T>
concept MapBytes = std::is_trivially_copyable_v<T> && std::has_unique_object_representations_v<T>;

struct KeyLess {
  template <MapBytes T>
  bool operator()(const T& a, const T& b) const {
    if constexpr (std::is_integral_v<T>)
      return a < b;  // numeric order keeps logs and tests readable
    else
      return std::memcmp(&a, &b, sizeof(T)) < 0;
  }
};

template <MapBytes K, MapBytes V>
using Table = std::map<K, V, KeyLess>;

template <MapBytes V>
bool same_bytes(const V& a, const V& b) {
  return std::memcmp(&a, &b, sizeof(V)) == 0;
}

}  // namespace nwbpf::daemon
