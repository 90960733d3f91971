// SPDX-License-Identifier: Apache-2.0
// Helpers for the fixed-size fields the EVPN codec keeps as byte arrays
// (route distinguishers, ESIs, extended communities): building one through
// wire::Writer and reading big-endian numbers at known positions in one.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "common/wire.h"

namespace nwbpf::evpn {

// Runs fill(wire::Writer&) and returns the first N bytes it wrote; bytes it
// did not write stay zero (the reserved tail of most extended communities).
template <size_t N, class Fill>
std::array<uint8_t, N> fixed_field(Fill&& fill) {
  wire::Bytes bytes;
  wire::Writer w(bytes);
  fill(w);
  std::array<uint8_t, N> out{};
  std::copy_n(bytes.begin(), std::min(N, bytes.size()), out.begin());
  return out;
}

inline uint16_t be16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }
inline uint32_t be24(const uint8_t* p) { return uint32_t(p[0]) << 16 | uint32_t(be16(p + 1)); }
inline uint32_t be32(const uint8_t* p) { return uint32_t(be16(p)) << 16 | be16(p + 2); }

}  // namespace nwbpf::evpn
