// SPDX-License-Identifier: Apache-2.0
// EVPN routes (RFC 7432 §7, RFC 9136 §3.1) as values. Each route type is a
// key, the fields RFC 7432 counts as "part of the prefix for BGP route key
// processing" (with the RD), and the fields that travel with it but are
// attributes of the path. The keys order, so the RIB can use RouteKey in a
// std::map.
//
// Labels are the raw 3-byte field (0..0xffffff). For VXLAN (RFC 8365 §5.1.3)
// the whole field is the 24-bit VNI, not an MPLS label in the top 20 bits:
// FRR writes and reads the VNI as the three bytes big-endian (lib/mpls.h
// vni2label()/label2vni(), used for the NLRI labels and, in bgp_attr.c, for
// the PMSI tunnel label), and so does GoBGP (pkg/packet/bgp/bgp.go
// labelSerialize()/labelDecode(), commented "EVPN NLRI's MPLS field can be
// filled with VXLAN VNI ... we must avoid modifying bottom of stack bit").
// VNI 100 is 00 00 64 on the wire; a gobgp CLI route with "label 100" is VNI
// 100.
#pragma once

#include <cstdint>
#include <optional>
#include <type_traits>
#include <variant>
#include <vector>

#include "common/net_types.h"
#include "evpn/esi.h"
#include "evpn/ip_address.h"
#include "evpn/route_distinguisher.h"

namespace nwbpf::evpn {

// Largest value of a 3-byte label field (NLRI, ESI Label, PMSI tunnel).
inline constexpr uint32_t max_label = 0xffffff;

enum RouteType : uint8_t {
  ethernet_auto_discovery = 1,
  mac_ip_advertisement = 2,
  inclusive_multicast = 3,
  ethernet_segment = 4,
  ip_prefix = 5,
};

// Type 1 (§7.1): the key is the ESI and the Ethernet Tag; the label is an
// attribute.
struct EthernetAdKey {
  RouteDistinguisher rd;
  Esi esi;
  uint32_t ethernet_tag = 0;
  auto operator<=>(const EthernetAdKey&) const = default;
};
struct EthernetAdRoute {
  EthernetAdKey key;
  uint32_t label = 0;
  bool operator==(const EthernetAdRoute&) const = default;
};

// Type 2 (§7.2): the key is the Ethernet Tag, MAC and IP (with their
// lengths); the ESI and the labels are attributes. No IP is IP length 0.
struct MacIpKey {
  RouteDistinguisher rd;
  uint32_t ethernet_tag = 0;
  Mac mac;
  std::optional<IpAddress> ip;
  auto operator<=>(const MacIpKey&) const = default;
};
struct MacIpRoute {
  MacIpKey key;
  Esi esi;
  uint32_t label1 = 0;
  std::optional<uint32_t> label2;  // RFC 9135 symmetric IRB: the L3 VNI
  bool operator==(const MacIpRoute&) const = default;
};

// Type 3 (§7.3): every field is key. The PMSI tunnel attribute (pmsi.h)
// travels with it.
struct InclusiveMulticastKey {
  RouteDistinguisher rd;
  uint32_t ethernet_tag = 0;
  IpAddress originator;
  auto operator<=>(const InclusiveMulticastKey&) const = default;
};
struct InclusiveMulticastRoute {
  InclusiveMulticastKey key;
  bool operator==(const InclusiveMulticastRoute&) const = default;
};

// Type 4 (§7.4): every field is key.
struct EthernetSegmentKey {
  RouteDistinguisher rd;
  Esi esi;
  IpAddress originator;
  auto operator<=>(const EthernetSegmentKey&) const = default;
};
struct EthernetSegmentRoute {
  EthernetSegmentKey key;
  bool operator==(const EthernetSegmentRoute&) const = default;
};

// Type 5 (RFC 9136 §3.1): the key is the Ethernet Tag and the prefix with its
// length; the ESI, gateway IP and label are attributes. The prefix and the
// gateway are of one family (the route length says which).
struct IpPrefixKey {
  RouteDistinguisher rd;
  uint32_t ethernet_tag = 0;
  uint8_t prefix_length = 0;
  IpAddress prefix;
  auto operator<=>(const IpPrefixKey&) const = default;
};
struct IpPrefixRoute {
  IpPrefixKey key;
  Esi esi;
  IpAddress gateway;
  uint32_t label = 0;
  bool operator==(const IpPrefixRoute&) const = default;
};

// A route type this codec does not know, skipped by its length and kept
// whole: where its RD or key is cannot be known, so the key is all of it.
struct UnknownRouteKey {
  uint8_t type = 0;
  std::vector<uint8_t> value;
  auto operator<=>(const UnknownRouteKey&) const = default;
};
struct UnknownRoute {
  UnknownRouteKey key;
  bool operator==(const UnknownRoute&) const = default;
};

using Route = std::variant<EthernetAdRoute, MacIpRoute, InclusiveMulticastRoute,
                           EthernetSegmentRoute, IpPrefixRoute, UnknownRoute>;
using RouteKey = std::variant<EthernetAdKey, MacIpKey, InclusiveMulticastKey, EthernetSegmentKey,
                              IpPrefixKey, UnknownRouteKey>;

// The variants list the known types in type order, so a known route's type
// is its index + 1.
static_assert(std::is_same_v<std::variant_alternative_t<ethernet_auto_discovery - 1, Route>,
                             EthernetAdRoute>);
static_assert(
    std::is_same_v<std::variant_alternative_t<mac_ip_advertisement - 1, Route>, MacIpRoute>);
static_assert(std::is_same_v<std::variant_alternative_t<inclusive_multicast - 1, Route>,
                             InclusiveMulticastRoute>);
static_assert(
    std::is_same_v<std::variant_alternative_t<ethernet_segment - 1, Route>, EthernetSegmentRoute>);
static_assert(std::is_same_v<std::variant_alternative_t<ip_prefix - 1, Route>, IpPrefixRoute>);
static_assert(std::is_same_v<std::variant_alternative_t<ip_prefix - 1, RouteKey>, IpPrefixKey>);

inline RouteKey key_of(const Route& route) {
  return std::visit([](const auto& r) -> RouteKey { return r.key; }, route);
}

// The route type octet: 1..5, or the unknown route's own.
inline uint8_t route_type(const RouteKey& key) {
  if (const auto* unknown = std::get_if<UnknownRouteKey>(&key)) return unknown->type;
  return uint8_t(key.index() + 1);
}
inline uint8_t route_type(const Route& route) {
  if (const auto* unknown = std::get_if<UnknownRoute>(&route)) return unknown->key.type;
  return uint8_t(route.index() + 1);
}

}  // namespace nwbpf::evpn
