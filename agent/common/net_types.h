// SPDX-License-Identifier: Apache-2.0
// Value types for addresses, with strict parsers (no inet_aton shorthands).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nwbpf {

// IPv4 address held in network byte order, as the BPF maps store it.
struct Ipv4 {
  uint32_t be = 0;
  auto operator<=>(const Ipv4&) const = default;
  // Dotted quad only ("10.0.0.1"); nullopt on anything else.
  static std::optional<Ipv4> parse(std::string_view text);
  std::string str() const;
};

struct Mac {
  std::array<uint8_t, 6> bytes{};
  auto operator<=>(const Mac&) const = default;
  // "aa:bb:cc:dd:ee:ff" (case-insensitive); nullopt on anything else.
  static std::optional<Mac> parse(std::string_view text);
  std::string str() const;  // lower case
  bool is_multicast() const { return bytes[0] & 1; }
  bool is_zero() const { return bytes == std::array<uint8_t, 6>{}; }
};

}  // namespace nwbpf
