// SPDX-License-Identifier: Apache-2.0
#include "common/net_types.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstdio>

namespace nwbpf {

namespace {

// Parses a decimal field of 1-3 digits with no leading zeros ("010" is
// ambiguous: inet_aton reads it as octal) into 0..255.
std::optional<uint8_t> parse_octet(std::string_view s) {
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > 255) return std::nullopt;
  return static_cast<uint8_t>(v);
}

std::optional<uint8_t> parse_hex_byte(std::string_view s) {
  if (s.size() != 2) return std::nullopt;
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + 2, v, 16);
  if (ec != std::errc() || p != s.data() + 2) return std::nullopt;
  return static_cast<uint8_t>(v);
}

}  // namespace

std::optional<Ipv4> Ipv4::parse(std::string_view text) {
  uint32_t host = 0;
  for (int i = 0; i < 4; ++i) {
    size_t dot = text.find('.');
    if ((i < 3) != (dot != std::string_view::npos)) return std::nullopt;
    auto octet = parse_octet(text.substr(0, dot));
    if (!octet) return std::nullopt;
    host = host << 8 | *octet;
    text = i < 3 ? text.substr(dot + 1) : std::string_view{};
  }
  return Ipv4{htonl(host)};
}

std::string Ipv4::str() const {
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &be, buf, sizeof buf);
  return buf;
}

std::optional<Mac> Mac::parse(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  Mac mac;
  for (int i = 0; i < 6; ++i) {
    if (i < 5 && text[i * 3 + 2] != ':') return std::nullopt;
    auto byte = parse_hex_byte(text.substr(i * 3, 2));
    if (!byte) return std::nullopt;
    mac.bytes[i] = *byte;
  }
  return mac;
}

std::string Mac::str() const {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2],
                bytes[3], bytes[4], bytes[5]);
  return buf;
}

}  // namespace nwbpf
