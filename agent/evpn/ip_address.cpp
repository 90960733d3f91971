// SPDX-License-Identifier: Apache-2.0
#include "evpn/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace nwbpf::evpn {

std::optional<Ipv6> Ipv6::parse(std::string_view text) {
  std::string s(text);  // inet_pton needs a terminated string
  Ipv6 ip;
  if (inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) != 1) return std::nullopt;
  return ip;
}

std::string Ipv6::str() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  return buf;
}

std::string to_string(const IpAddress& ip) {
  return std::visit([](const auto& a) { return a.str(); }, ip);
}

bool read_ip(wire::Reader& r, unsigned bits, IpAddress& out) {
  if (bits == 32) {
    std::array<uint8_t, 4> b;
    if (!r.copy(b)) return false;
    Ipv4 v4;
    std::memcpy(&v4.be, b.data(), 4);  // already network order
    out = v4;
    return true;
  }
  Ipv6 v6;
  if (!r.copy(v6.bytes)) return false;
  out = v6;
  return true;
}

void write_ip(wire::Writer& w, const IpAddress& ip) {
  if (const auto* v4 = std::get_if<Ipv4>(&ip)) {
    std::array<uint8_t, 4> b;
    std::memcpy(b.data(), &v4->be, 4);
    w.bytes(b);
  } else {
    w.bytes(std::get<Ipv6>(ip).bytes);
  }
}

}  // namespace nwbpf::evpn
