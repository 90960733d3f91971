// SPDX-License-Identifier: Apache-2.0
// Ethernet Segment Identifier (RFC 7432 §5): 10 bytes, a type byte (0..5)
// and 9 bytes of value. All zero means single-homed; we never originate an
// ESI, but types 1, 2, 4 and 5 routes carry one and the CLI shows it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "evpn/error.h"

namespace nwbpf::evpn {

struct Esi {
  std::array<uint8_t, 10> bytes{};
  auto operator<=>(const Esi&) const = default;

  // RFC 7432 §5 defines types 0 (operator configured) to 5 (AS based).
  static constexpr uint8_t max_type = 5;

  uint8_t type() const { return bytes[0]; }
  bool is_zero() const { return bytes == std::array<uint8_t, 10>{}; }

  // FRR's text: ten two-digit hex bytes separated by ':' (lib str_to_esi()),
  // either case. The wire accepts any type byte; text, which is
  // configuration, must name a defined type. Errors are Errc::bad_text.
  static Result<Esi> parse(std::string_view text);
  std::string str() const;  // lower case, as FRR's esi_to_str()
};

}  // namespace nwbpf::evpn
