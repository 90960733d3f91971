// SPDX-License-Identifier: Apache-2.0
#include "evpn/route_distinguisher.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <limits>
#include <optional>

#include "evpn/fixed_field.h"

namespace nwbpf::evpn {

namespace {

// Decimal digits only (no sign, no spaces); a number too large for uint64_t
// comes back as the maximum so the caller reports it as out of range.
std::optional<uint64_t> parse_decimal(std::string_view s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) return std::numeric_limits<uint64_t>::max();
  return v;
}

}  // namespace

RouteDistinguisher RouteDistinguisher::from_as2(uint16_t as, uint32_t number) {
  return {fixed_field<8>([&](wire::Writer& w) {
    w.u16(as2);
    w.u16(as);
    w.u32(number);
  })};
}

RouteDistinguisher RouteDistinguisher::from_ipv4(Ipv4 admin, uint16_t number) {
  return {fixed_field<8>([&](wire::Writer& w) {
    w.u16(ipv4);
    w.bytes({reinterpret_cast<const uint8_t*>(&admin.be), 4});  // network order already
    w.u16(number);
  })};
}

RouteDistinguisher RouteDistinguisher::from_as4(uint32_t as, uint16_t number) {
  return {fixed_field<8>([&](wire::Writer& w) {
    w.u16(as4);
    w.u32(as);
    w.u16(number);
  })};
}

RouteDistinguisher RouteDistinguisher::automatic(Ipv4 router_id, uint16_t index) {
  return from_ipv4(router_id, index);
}

Result<RouteDistinguisher> RouteDistinguisher::parse(std::string_view text) {
  return parse_admin_number(text, "route distinguisher");
}

std::string RouteDistinguisher::str() const {
  const uint8_t* v = &bytes[2];
  switch (type()) {
    case as2:
      return fmt::format("{}:{}", be16(v), be32(v + 2));
    case ipv4: {
      Ipv4 ip;
      std::memcpy(&ip.be, v, 4);
      return fmt::format("{}:{}", ip.str(), be16(v + 4));
    }
    case as4:
      return fmt::format("{}:{}", be32(v), be16(v + 4));
    default:
      return fmt::format("unknown:{:02x}", fmt::join(bytes, ""));
  }
}

Result<RouteDistinguisher> parse_admin_number(std::string_view text, std::string_view what) {
  auto bad = [&](const std::string& why) {
    return Error{Errc::bad_text, 0, fmt::format("{} '{}': {}", what, text, why)};
  };
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos)
    return bad("expected ADMIN:NUMBER (AS:number or IPv4:number)");
  std::string_view admin = text.substr(0, colon);
  std::string_view number_text = text.substr(colon + 1);
  auto number = parse_decimal(number_text);
  if (!number) return bad(fmt::format("'{}' is not a decimal number", number_text));

  if (admin.find('.') != std::string_view::npos) {
    auto ip = Ipv4::parse(admin);
    if (!ip) return bad(fmt::format("'{}' is not an IPv4 address", admin));
    if (*number > 0xffff)
      return bad(fmt::format("number {} is out of range for an IPv4 administrator (0..65535)",
                             number_text));
    return RouteDistinguisher::from_ipv4(*ip, uint16_t(*number));
  }
  auto as = parse_decimal(admin);
  if (!as) return bad(fmt::format("'{}' is not an AS number or IPv4 address", admin));
  if (*as > 0xffffffff) return bad(fmt::format("AS {} is out of range (0..4294967295)", admin));
  if (*as <= 0xffff) {
    if (*number > 0xffffffff)
      return bad(
          fmt::format("number {} is out of range for a 2-byte AS (0..4294967295)", number_text));
    return RouteDistinguisher::from_as2(uint16_t(*as), uint32_t(*number));
  }
  if (*number > 0xffff)
    return bad(fmt::format("number {} is out of range for a 4-byte AS (0..65535)", number_text));
  return RouteDistinguisher::from_as4(uint32_t(*as), uint16_t(*number));
}

}  // namespace nwbpf::evpn
