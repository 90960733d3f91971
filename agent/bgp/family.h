// SPDX-License-Identifier: Apache-2.0
// Address family identifiers (RFC 4760 §3, IANA AFI/SAFI registries) and
// IPv4 prefixes as UPDATE carries them (RFC 4271 §4.3).
#pragma once

#include <compare>
#include <cstdint>

#include "common/net_types.h"

namespace nwbpf::bgp {

// AFI/SAFI as raw numbers, so a family we do not implement still round-trips
// (capabilities, MP_REACH_NLRI, ROUTE-REFRESH).
struct Family {
  uint16_t afi = 0;
  uint8_t safi = 0;
  auto operator<=>(const Family&) const = default;
};

inline constexpr uint16_t kAfiIpv4 = 1;
inline constexpr uint16_t kAfiIpv6 = 2;
inline constexpr uint16_t kAfiL2vpn = 25;
inline constexpr uint8_t kSafiUnicast = 1;
inline constexpr uint8_t kSafiEvpn = 70;

inline constexpr Family kIpv4Unicast{kAfiIpv4, kSafiUnicast};
inline constexpr Family kL2vpnEvpn{kAfiL2vpn, kSafiEvpn};

// An IPv4 prefix; bits past `length` are zero in a decoded prefix.
struct Prefix4 {
  Ipv4 address;
  uint8_t length = 0;  // 0..32
  auto operator<=>(const Prefix4&) const = default;
};

}  // namespace nwbpf::bgp
