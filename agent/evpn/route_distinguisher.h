// SPDX-License-Identifier: Apache-2.0
// Route Distinguisher (RFC 4364 §4.2): 8 bytes, a 2-byte type and a 6-byte
// value of an administrator and an assigned number. Kept as its wire bytes,
// so a type we do not know still compares, orders and is sent on unchanged.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/net_types.h"
#include "evpn/error.h"

namespace nwbpf::evpn {

struct RouteDistinguisher {
  enum Type : uint16_t {
    as2 = 0,   // 2-byte AS : 4-byte number
    ipv4 = 1,  // IPv4 address : 2-byte number
    as4 = 2,   // 4-byte AS : 2-byte number
  };

  std::array<uint8_t, 8> bytes{};
  auto operator<=>(const RouteDistinguisher&) const = default;

  uint16_t type() const { return uint16_t(bytes[0] << 8 | bytes[1]); }

  static RouteDistinguisher from_as2(uint16_t as, uint32_t number);
  static RouteDistinguisher from_ipv4(Ipv4 admin, uint16_t number);
  static RouteDistinguisher from_as4(uint32_t as, uint16_t number);
  // FRR's automatic RD for a VNI: router-id:index, type 1 (bgpd's
  // form_auto_rd()); FRR hands out the indexes from 1 up per VNI/VRF.
  static RouteDistinguisher automatic(Ipv4 router_id, uint16_t index);

  // FRR's text ("65000:100", "10.0.0.1:3", "4200000000:7"); see
  // parse_admin_number().
  static Result<RouteDistinguisher> parse(std::string_view text);
  // FRR's text (bgpd prefix_rd2str()): types 0 and 2 both as AS:number, type 1
  // as a.b.c.d:number; an unknown type as "unknown:" and the 8 bytes in hex.
  std::string str() const;
};

// ADMIN:NUMBER, the text FRR reads for route distinguishers and route
// targets (bgpd str2prefix_rd()): an IPv4 administrator gives type 1 with a
// number up to 65535; a decimal AS up to 65535 gives type 0 with a number up
// to 4294967295; a larger AS gives type 2 with a number up to 65535. Errors
// are Errc::bad_text with a message that starts with `what` and the text.
Result<RouteDistinguisher> parse_admin_number(std::string_view text, std::string_view what);

}  // namespace nwbpf::evpn
