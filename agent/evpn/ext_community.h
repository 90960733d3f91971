// SPDX-License-Identifier: Apache-2.0
// The BGP extended communities EVPN uses (RFC 4360; types and sub-types from
// the RFC 7153 registries), decoded from and encoded to their 8 bytes. The
// BGP layer keeps the attribute as 8-byte values and reflects them as they
// came; these are the typed views the RIB and the CLI read. Reserved bits
// are ignored on receipt and sent as zero (as each RFC says), so a decoded
// value encodes back to the same 8 bytes when its reserved bits were zero.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "common/net_types.h"
#include "evpn/error.h"
#include "evpn/route_distinguisher.h"

namespace nwbpf::evpn {

// Route Target (RFC 4360 §4; 4-byte AS: RFC 5668): type 0x00, 0x01 or 0x02,
// sub-type 0x02. Its 6-byte value is laid out as the RD of the same type
// number (2-byte AS : 4-byte number, IPv4 : 2-byte, 4-byte AS : 2-byte), so
// it is held as one: `value.type()` is 0, 1 or 2.
struct RouteTarget {
  RouteDistinguisher value;
  auto operator<=>(const RouteTarget&) const = default;

  // "65000:100", "10.0.0.1:5", "4200000000:7" (parse_admin_number()), with or
  // without FRR's display prefix "RT:".
  static Result<RouteTarget> parse(std::string_view text);
  // FRR's automatic RT for a VNI (bgpd/bgp_evpn.c form_auto_rt()): type 0x00
  // with the low 16 bits of the local AS and the VNI as the 4-byte number.
  // FRR does this for a 4-byte AS too (it neither switches to type 0x02,
  // which would leave only 2 bytes for the VNI, nor uses AS_TRANS 23456), so
  // AS 4200000001 (0xfa56ea01) gives RT 59905:VNI.
  static RouteTarget automatic(uint32_t as, uint32_t vni);
};

// Encapsulation (RFC 9012 §4.1): type 0x03, sub-type 0x0c, the tunnel type
// in the last 2 bytes. RFC 8365 §5.1.3: an NVE advertising VXLAN routes
// attaches it with tunnel type 8.
struct Encapsulation {
  static constexpr uint16_t vxlan = 8;
  uint16_t tunnel_type = 0;
  auto operator<=>(const Encapsulation&) const = default;
};

// MAC Mobility (RFC 7432 §7.7): type 0x06, sub-type 0x00; the sticky/static
// flag and the sequence number of the MAC's moves (§15).
struct MacMobility {
  bool sticky = false;
  uint32_t sequence = 0;
  auto operator<=>(const MacMobility&) const = default;
};

// ESI Label (RFC 7432 §7.5): type 0x06, sub-type 0x01; single-active flag
// and a 3-byte label.
struct EsiLabel {
  bool single_active = false;
  uint32_t label = 0;
  auto operator<=>(const EsiLabel&) const = default;
};

// Router's MAC (RFC 9135 §8.1): type 0x06, sub-type 0x03.
struct RouterMac {
  Mac mac;
  auto operator<=>(const RouterMac&) const = default;
};

// Default Gateway (RFC 7432 §7.8): type 0x03, sub-type 0x0d, no value.
struct DefaultGateway {
  auto operator<=>(const DefaultGateway&) const = default;
};

// Any other extended community, kept as its 8 bytes.
struct OtherExtCommunity {
  std::array<uint8_t, 8> bytes{};
  auto operator<=>(const OtherExtCommunity&) const = default;
};

using ExtCommunity = std::variant<RouteTarget, Encapsulation, MacMobility, EsiLabel, RouterMac,
                                  DefaultGateway, OtherExtCommunity>;

ExtCommunity decode_ext_community(std::span<const uint8_t, 8> bytes);

// Errc::out_of_range for a RouteTarget whose value is not of type 0, 1 or 2
// and for an ESI label over 24 bits.
Result<std::array<uint8_t, 8>> encode_ext_community(const ExtCommunity& community);

// FRR's text (bgpd/bgp_ecommunity.c ecommunity_ecom2str()): "RT:65000:100",
// "ET:8", "MM:3" or "MM:3, sticky MAC", "ESI-label-Rt:AA" (or SA),
// "Rmac:aa:bb:cc:dd:ee:ff", "Default Gateway"; any other as "UNK:" and its
// 8 bytes in hex (FRR prints only "UNK:type, subtype").
std::string to_string(const ExtCommunity& community);

}  // namespace nwbpf::evpn
