// SPDX-License-Identifier: Apache-2.0
#include "evpn/ext_community.h"

#include <fmt/format.h>

#include <algorithm>

#include "evpn/fixed_field.h"
#include "evpn/route_types.h"

namespace nwbpf::evpn {

namespace {

// Type and sub-type octets (RFC 7153 registries).
constexpr uint8_t type_as2 = 0x00, type_ipv4 = 0x01, type_as4 = 0x02;
constexpr uint8_t type_opaque = 0x03, type_evpn = 0x06;
constexpr uint8_t sub_route_target = 0x02;
constexpr uint8_t sub_encapsulation = 0x0c, sub_default_gateway = 0x0d;
constexpr uint8_t sub_mac_mobility = 0x00, sub_esi_label = 0x01, sub_router_mac = 0x03;
// Low-order bit of the flags octet of MAC Mobility (sticky/static) and ESI
// Label (single-active).
constexpr uint8_t flag_low_bit = 0x01;

std::array<uint8_t, 8> header_and(uint8_t type, uint8_t subtype, auto&& fill) {
  return fixed_field<8>([&](wire::Writer& w) {
    w.u8(type);
    w.u8(subtype);
    fill(w);
  });
}

struct Encoder {
  Result<std::array<uint8_t, 8>> operator()(const RouteTarget& rt) const {
    uint16_t type = rt.value.type();
    if (type > RouteDistinguisher::as4)
      return Error{Errc::out_of_range, 0,
                   fmt::format("route target of RD type {}: only types 0, 1 and 2 exist", type)};
    return header_and(uint8_t(type), sub_route_target,
                      [&](wire::Writer& w) { w.bytes(std::span(rt.value.bytes).subspan(2)); });
  }
  Result<std::array<uint8_t, 8>> operator()(const Encapsulation& e) const {
    return header_and(type_opaque, sub_encapsulation, [&](wire::Writer& w) {
      w.u32(0);  // reserved
      w.u16(e.tunnel_type);
    });
  }
  Result<std::array<uint8_t, 8>> operator()(const MacMobility& m) const {
    return header_and(type_evpn, sub_mac_mobility, [&](wire::Writer& w) {
      w.u8(m.sticky ? flag_low_bit : 0);
      w.u8(0);  // reserved
      w.u32(m.sequence);
    });
  }
  Result<std::array<uint8_t, 8>> operator()(const EsiLabel& e) const {
    if (e.label > max_label)
      return Error{Errc::out_of_range, 0,
                   fmt::format("ESI label {} does not fit in 3 bytes", e.label)};
    return header_and(type_evpn, sub_esi_label, [&](wire::Writer& w) {
      w.u8(e.single_active ? flag_low_bit : 0);
      w.u16(0);  // reserved
      w.u24(e.label);
    });
  }
  Result<std::array<uint8_t, 8>> operator()(const RouterMac& r) const {
    return header_and(type_evpn, sub_router_mac, [&](wire::Writer& w) { w.bytes(r.mac.bytes); });
  }
  Result<std::array<uint8_t, 8>> operator()(const DefaultGateway&) const {
    return header_and(type_opaque, sub_default_gateway, [](wire::Writer&) {});
  }
  Result<std::array<uint8_t, 8>> operator()(const OtherExtCommunity& o) const { return o.bytes; }
};

std::string text(const RouteTarget& rt) { return "RT:" + rt.value.str(); }
std::string text(const Encapsulation& e) { return fmt::format("ET:{}", e.tunnel_type); }
std::string text(const MacMobility& m) {
  return fmt::format("MM:{}{}", m.sequence, m.sticky ? ", sticky MAC" : "");
}
std::string text(const EsiLabel& e) {
  return e.single_active ? "ESI-label-Rt:SA" : "ESI-label-Rt:AA";
}
std::string text(const RouterMac& r) { return "Rmac:" + r.mac.str(); }
std::string text(const DefaultGateway&) { return "Default Gateway"; }
std::string text(const OtherExtCommunity& o) {
  return fmt::format("UNK:{:02x}", fmt::join(o.bytes, ""));
}

}  // namespace

Result<RouteTarget> RouteTarget::parse(std::string_view text) {
  std::string_view admin_number = text.starts_with("RT:") ? text.substr(3) : text;
  auto value = parse_admin_number(admin_number, "route target");
  if (!value) return value.error();
  return RouteTarget{value.value()};
}

RouteTarget RouteTarget::automatic(uint32_t as, uint32_t vni) {
  return RouteTarget{RouteDistinguisher::from_as2(uint16_t(as & 0xffff), vni)};
}

ExtCommunity decode_ext_community(std::span<const uint8_t, 8> bytes) {
  uint8_t type = bytes[0], subtype = bytes[1];
  const uint8_t* value = bytes.data() + 2;
  bool is_rt_type = type == type_as2 || type == type_ipv4 || type == type_as4;
  if (is_rt_type && subtype == sub_route_target) {
    RouteTarget rt;
    rt.value.bytes[1] = type;
    std::copy_n(value, 6, rt.value.bytes.begin() + 2);
    return rt;
  }
  if (type == type_opaque && subtype == sub_encapsulation) return Encapsulation{be16(value + 4)};
  if (type == type_opaque && subtype == sub_default_gateway) return DefaultGateway{};
  if (type == type_evpn && subtype == sub_mac_mobility)
    return MacMobility{(value[0] & flag_low_bit) != 0, be32(value + 2)};
  if (type == type_evpn && subtype == sub_esi_label)
    return EsiLabel{(value[0] & flag_low_bit) != 0, be24(value + 3)};
  if (type == type_evpn && subtype == sub_router_mac) {
    RouterMac r;
    std::copy_n(value, 6, r.mac.bytes.begin());
    return r;
  }
  OtherExtCommunity other;
  std::copy(bytes.begin(), bytes.end(), other.bytes.begin());
  return other;
}

Result<std::array<uint8_t, 8>> encode_ext_community(const ExtCommunity& community) {
  return std::visit(Encoder{}, community);
}

std::string to_string(const ExtCommunity& community) {
  return std::visit([](const auto& c) { return text(c); }, community);
}

}  // namespace nwbpf::evpn
