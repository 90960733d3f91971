// SPDX-License-Identifier: Apache-2.0
// IPv4 or IPv6 address as EVPN routes carry them (RFC 7432 §7: an address
// field is preceded by its length in bits, 32 or 128; RFC 9136 §3.1 fixes the
// family by the route length). The overlay itself is IPv4 (common/net_types.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/net_types.h"
#include "common/wire.h"

namespace nwbpf::evpn {

struct Ipv6 {
  std::array<uint8_t, 16> bytes{};
  auto operator<=>(const Ipv6&) const = default;
  // inet_pton's textual forms; nullopt on anything else.
  static std::optional<Ipv6> parse(std::string_view text);
  std::string str() const;  // RFC 5952 form
};

using IpAddress = std::variant<Ipv4, Ipv6>;

inline unsigned bit_length(const IpAddress& ip) {
  return std::holds_alternative<Ipv4>(ip) ? 32 : 128;
}
std::string to_string(const IpAddress& ip);

// Reads an address of `bits` (32 or 128) bits; false if the reader is short.
bool read_ip(wire::Reader& r, unsigned bits, IpAddress& out);
void write_ip(wire::Writer& w, const IpAddress& ip);

}  // namespace nwbpf::evpn
