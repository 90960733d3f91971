// SPDX-License-Identifier: Apache-2.0
#include "evpn/nlri.h"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

namespace nwbpf::evpn {

namespace {

// Lengths of the fields, in the order RFC 7432 §7 lays them out.
constexpr size_t rd_len = 8, esi_len = 10, tag_len = 4, label_len = 3, mac_len = 6;
constexpr size_t v4_len = 4, v6_len = 16;

// One route being decoded: its type, its length and where it starts, for
// the errors, and a reader bounded to its value.
struct RouteInput {
  uint8_t type;
  uint8_t length;
  size_t start;  // offset of the route type octet
  wire::Reader& r;

  // `detail` names the offending field and its offset when that is not the
  // route's own.
  Error fail(Errc code, size_t offset, const std::string& detail) const {
    return Error{code, offset,
                 fmt::format("EVPN type-{} route at offset {}: {}", type, start, detail)};
  }
  // Decoders check the route length before reading, so a short read here
  // means a bug in that check; it still fails cleanly.
  Error short_read() const {
    return fail(Errc::truncated, start,
                fmt::format("a field runs past the route length {}", length));
  }
  Result<void> expect_length(std::initializer_list<size_t> valid) const {
    if (std::find(valid.begin(), valid.end(), length) != valid.end()) return success();
    std::vector<size_t> v(valid);
    std::string list =
        v.size() == 1 ? fmt::format("{}", v[0])
                      : fmt::format("{} or {}", fmt::join(v.begin(), v.end() - 1, ", "), v.back());
    return fail(Errc::bad_length, start, fmt::format("length {} is not {}", length, list));
  }
};

Result<Route> decode_ethernet_ad(const RouteInput& in) {
  if (auto ok = in.expect_length({rd_len + esi_len + tag_len + label_len}); !ok) return ok.error();
  EthernetAdRoute route;
  auto& k = route.key;
  if (!(in.r.copy(k.rd.bytes) && in.r.copy(k.esi.bytes) && in.r.u32(k.ethernet_tag) &&
        in.r.u24(route.label)))
    return in.short_read();
  return route;
}

Result<Route> decode_mac_ip(const RouteInput& in) {
  // RD, ESI, tag, MAC length, MAC, IP length, label1: 33; IP 0/4/16 bytes;
  // label2 optional.
  constexpr size_t base = rd_len + esi_len + tag_len + 1 + mac_len + 1 + label_len;
  if (auto ok = in.expect_length({base, base + label_len, base + v4_len, base + v4_len + label_len,
                                  base + v6_len, base + v6_len + label_len});
      !ok)
    return ok.error();
  MacIpRoute route;
  auto& k = route.key;
  uint8_t mac_bits = 0, ip_bits = 0;
  if (!(in.r.copy(k.rd.bytes) && in.r.copy(route.esi.bytes) && in.r.u32(k.ethernet_tag)))
    return in.short_read();
  size_t mac_at = in.r.offset();
  if (!in.r.u8(mac_bits)) return in.short_read();
  if (mac_bits != 48)
    return in.fail(Errc::bad_mac_length, mac_at,
                   fmt::format("MAC address length {} at offset {} is not 48", mac_bits, mac_at));
  size_t ip_at = in.r.offset() + mac_len;
  if (!(in.r.copy(k.mac.bytes) && in.r.u8(ip_bits))) return in.short_read();
  if (ip_bits != 0 && ip_bits != 32 && ip_bits != 128)
    return in.fail(
        Errc::bad_ip_length, ip_at,
        fmt::format("IP address length {} at offset {} is not 0, 32 or 128", ip_bits, ip_at));
  size_t with_ip = base + ip_bits / 8;
  if (in.length != with_ip && in.length != with_ip + label_len)
    return in.fail(Errc::bad_ip_length, ip_at,
                   fmt::format("IP address length {} at offset {} does not match route length {} "
                               "({} or {} with that IP)",
                               ip_bits, ip_at, in.length, with_ip, with_ip + label_len));
  if (ip_bits != 0) {
    IpAddress ip;
    if (!read_ip(in.r, ip_bits, ip)) return in.short_read();
    k.ip = ip;
  }
  if (!in.r.u24(route.label1)) return in.short_read();
  if (!in.r.empty()) {
    uint32_t label2 = 0;
    if (!in.r.u24(label2)) return in.short_read();
    route.label2 = label2;
  }
  return route;
}

// Types 3 and 4 end in an originator address whose length octet must agree
// with the route length (the shorter length is IPv4).
Result<void> read_originator(const RouteInput& in, size_t v4_route_len, IpAddress& out) {
  size_t at = in.r.offset();
  uint8_t bits = 0;
  if (!in.r.u8(bits)) return in.short_read();
  unsigned expected = in.length == v4_route_len ? 32 : 128;
  if (bits != expected)
    return in.fail(Errc::bad_ip_length, at,
                   fmt::format("IP address length {} at offset {} is not {} (route length {})",
                               bits, at, expected, in.length));
  if (!read_ip(in.r, bits, out)) return in.short_read();
  return success();
}

Result<Route> decode_inclusive_multicast(const RouteInput& in) {
  constexpr size_t v4 = rd_len + tag_len + 1 + v4_len;
  if (auto ok = in.expect_length({v4, v4 + v6_len - v4_len}); !ok) return ok.error();
  InclusiveMulticastRoute route;
  auto& k = route.key;
  if (!(in.r.copy(k.rd.bytes) && in.r.u32(k.ethernet_tag))) return in.short_read();
  if (auto ok = read_originator(in, v4, k.originator); !ok) return ok.error();
  return route;
}

Result<Route> decode_ethernet_segment(const RouteInput& in) {
  constexpr size_t v4 = rd_len + esi_len + 1 + v4_len;
  if (auto ok = in.expect_length({v4, v4 + v6_len - v4_len}); !ok) return ok.error();
  EthernetSegmentRoute route;
  auto& k = route.key;
  if (!(in.r.copy(k.rd.bytes) && in.r.copy(k.esi.bytes))) return in.short_read();
  if (auto ok = read_originator(in, v4, k.originator); !ok) return ok.error();
  return route;
}

Result<Route> decode_ip_prefix(const RouteInput& in) {
  // RFC 9136 §3.1: 34 bytes for IPv4 (prefix and gateway 4 each), 58 for IPv6.
  constexpr size_t v4 = rd_len + esi_len + tag_len + 1 + 2 * v4_len + label_len;
  if (auto ok = in.expect_length({v4, v4 + 2 * (v6_len - v4_len)}); !ok) return ok.error();
  unsigned bits = in.length == v4 ? 32 : 128;
  IpPrefixRoute route;
  auto& k = route.key;
  if (!(in.r.copy(k.rd.bytes) && in.r.copy(route.esi.bytes) && in.r.u32(k.ethernet_tag)))
    return in.short_read();
  size_t at = in.r.offset();
  if (!in.r.u8(k.prefix_length)) return in.short_read();
  if (k.prefix_length > bits)
    return in.fail(Errc::bad_prefix_length, at,
                   fmt::format("IP prefix length {} at offset {} is longer than {}",
                               k.prefix_length, at, bits));
  if (!(read_ip(in.r, bits, k.prefix) && read_ip(in.r, bits, route.gateway) &&
        in.r.u24(route.label)))
    return in.short_read();
  return route;
}

Result<Route> decode_route(const RouteInput& in) {
  switch (in.type) {
    case ethernet_auto_discovery:
      return decode_ethernet_ad(in);
    case mac_ip_advertisement:
      return decode_mac_ip(in);
    case inclusive_multicast:
      return decode_inclusive_multicast(in);
    case ethernet_segment:
      return decode_ethernet_segment(in);
    case ip_prefix:
      return decode_ip_prefix(in);
    default: {
      auto rest = in.r.rest();
      return UnknownRoute{{in.type, {rest.begin(), rest.end()}}};
    }
  }
}

}  // namespace

Result<std::vector<Route>> decode_routes(std::span<const uint8_t> nlri, size_t base_offset) {
  wire::Reader r(nlri, base_offset);
  std::vector<Route> routes;
  while (!r.empty()) {
    size_t start = r.offset();
    size_t left = r.remaining();
    uint8_t type = 0, length = 0;
    if (!(r.u8(type) && r.u8(length)))
      return Error{
          Errc::truncated, start,
          fmt::format("EVPN NLRI at offset {}: route header needs 2 bytes, {} left", start, left)};
    wire::Reader body(nlri);
    if (!r.sub(length, body))
      return Error{
          Errc::truncated, start,
          fmt::format(
              "EVPN type-{} route at offset {}: length {} runs past the end ({} bytes left)", type,
              start, length, left - 2)};
    auto route = decode_route(RouteInput{type, length, start, body});
    if (!route) return route.error();
    routes.push_back(std::move(route).value());
  }
  return routes;
}

}  // namespace nwbpf::evpn
