// SPDX-License-Identifier: Apache-2.0
// Encoding half of nlri.h: the field layouts of RFC 7432 §7.1-7.4 and RFC
// 9136 §3.1, written in the order decode_routes() reads them.
#include <fmt/format.h>

#include "evpn/nlri.h"

namespace nwbpf::evpn {

namespace {

Error out_of_range(uint8_t type, const std::string& detail) {
  return Error{Errc::out_of_range, 0, fmt::format("EVPN type-{} route: {}", type, detail)};
}

Result<void> check_label(uint8_t type, const char* name, uint32_t label) {
  if (label <= max_label) return success();
  return out_of_range(type, fmt::format("{} {} does not fit in 3 bytes", name, label));
}

void write_ip_with_length(wire::Writer& w, const IpAddress& ip) {
  w.u8(uint8_t(bit_length(ip)));
  write_ip(w, ip);
}

Result<void> write_body(wire::Writer& w, const EthernetAdRoute& route) {
  if (auto ok = check_label(ethernet_auto_discovery, "label", route.label); !ok) return ok;
  w.bytes(route.key.rd.bytes);
  w.bytes(route.key.esi.bytes);
  w.u32(route.key.ethernet_tag);
  w.u24(route.label);
  return success();
}

Result<void> write_body(wire::Writer& w, const MacIpRoute& route) {
  if (auto ok = check_label(mac_ip_advertisement, "label1", route.label1); !ok) return ok;
  if (route.label2)
    if (auto ok = check_label(mac_ip_advertisement, "label2", *route.label2); !ok) return ok;
  const auto& k = route.key;
  w.bytes(k.rd.bytes);
  w.bytes(route.esi.bytes);
  w.u32(k.ethernet_tag);
  w.u8(48);
  w.bytes(k.mac.bytes);
  if (k.ip) {
    write_ip_with_length(w, *k.ip);
  } else {
    w.u8(0);
  }
  w.u24(route.label1);
  if (route.label2) w.u24(*route.label2);
  return success();
}

Result<void> write_body(wire::Writer& w, const InclusiveMulticastRoute& route) {
  w.bytes(route.key.rd.bytes);
  w.u32(route.key.ethernet_tag);
  write_ip_with_length(w, route.key.originator);
  return success();
}

Result<void> write_body(wire::Writer& w, const EthernetSegmentRoute& route) {
  w.bytes(route.key.rd.bytes);
  w.bytes(route.key.esi.bytes);
  write_ip_with_length(w, route.key.originator);
  return success();
}

Result<void> write_body(wire::Writer& w, const IpPrefixRoute& route) {
  const auto& k = route.key;
  if (auto ok = check_label(ip_prefix, "label", route.label); !ok) return ok;
  unsigned bits = bit_length(k.prefix);
  if (k.prefix_length > bits)
    return out_of_range(ip_prefix,
                        fmt::format("prefix length {} is longer than {}", k.prefix_length, bits));
  if (bit_length(route.gateway) != bits)
    return out_of_range(ip_prefix, "gateway and prefix are of different address families");
  w.bytes(k.rd.bytes);
  w.bytes(route.esi.bytes);
  w.u32(k.ethernet_tag);
  w.u8(k.prefix_length);
  write_ip(w, k.prefix);
  write_ip(w, route.gateway);
  w.u24(route.label);
  return success();
}

Result<void> write_body(wire::Writer& w, const UnknownRoute& route) {
  w.bytes(route.key.value);
  return success();
}

}  // namespace

Result<void> encode_route(const Route& route, wire::Bytes& out) {
  size_t size_before = out.size();
  wire::Writer w(out);
  uint8_t type = route_type(route);
  w.u8(type);
  size_t length_at = w.reserve(1);
  auto ok = std::visit([&](const auto& r) { return write_body(w, r); }, route);
  if (ok && !w.patch_length(length_at, 1))
    ok = out_of_range(type, fmt::format("{} bytes of value do not fit a 1-byte length",
                                        out.size() - length_at - 1));
  if (!ok) out.resize(size_before);
  return ok;
}

}  // namespace nwbpf::evpn
