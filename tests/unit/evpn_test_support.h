// SPDX-License-Identifier: Apache-2.0
// Helpers for the EVPN codec tests: golden bytes written as hex text, and
// the values the tests build routes from.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "hex_bytes.h"
#include "common/net_types.h"
#include "common/wire.h"
#include "evpn/ip_address.h"
#include "evpn/nlri.h"

namespace nwbpf::evpn::test {

using hex_bytes::hex;

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
