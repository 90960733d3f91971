// SPDX-License-Identifier: Apache-2.0
// Helpers for the EVPN codec tests: golden bytes written as hex text, and
// the values the tests build routes from.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "common/net_types.h"
#include "common/wire.h"
#include "evpn/ip_address.h"
#include "evpn/nlri.h"

namespace nwbpf::evpn::test {

// "02 21 00 01" -> {0x02, 0x21, 0x00, 0x01}; spaces and newlines are ignored.
inline wire::Bytes hex(std::string_view text) {
  wire::Bytes out;
  int hi = -1;
  for (char c : text) {
    if (c == ' ' || c == '\n') continue;
    int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(uint8_t(hi << 4 | v));
      hi = -1;
    }
  }
  EXPECT_EQ(hi, -1) << "odd number of hex digits in " << text;
  return out;
}

inline Ipv4 v4(std::string_view text) { return *Ipv4::parse(text); }
inline Ipv6 v6(std::string_view text) { return *Ipv6::parse(text); }
inline Mac mac(std::string_view text) { return *Mac::parse(text); }

inline wire::Bytes encode(const Route& route) {
  wire::Bytes out;
  auto ok = encode_route(route, out);
  EXPECT_TRUE(ok) << (ok ? "" : ok.error().message);
  return out;
}

// Decodes a list that must be well formed.
inline std::vector<Route> decode(const wire::Bytes& bytes) {
  auto routes = decode_routes(bytes);
  EXPECT_TRUE(routes) << (routes ? "" : routes.error().message);
  return routes ? routes.value() : std::vector<Route>{};
}

}  // namespace nwbpf::evpn::test
