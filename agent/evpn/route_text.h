// SPDX-License-Identifier: Apache-2.0
// Text of a route's key in the prefix notation of FRR's
// `show bgp l2vpn evpn route` (FRR 8.x, lib/prefix.c prefixevpn2str()), so
// the CLI reads like FRR's and the two can be compared line by line. The RD
// is not part of it: FRR prints it on a "Route Distinguisher:" line above
// the routes (RouteDistinguisher::str()).
//   type 1  [1]:[EthTag]:[ESI]:[32]:[0.0.0.0]:[0]
//           FRR's prefix adds the VTEP IP and fragment id of the routes it
//           originates; a received route has 0.0.0.0 and 0 there.
//   type 2  [2]:[EthTag]:[48]:[MAC] or [2]:[EthTag]:[48]:[MAC]:[IPlen]:[IP]
//   type 3  [3]:[EthTag]:[IPlen]:[OrigIP]
//   type 4  [4]:[ESI]:[IPlen]:[OrigIP]
//   type 5  [5]:[EthTag]:[IPlen]:[IP]        (IPlen is the prefix length)
//   other   [T]:[unknown]:[value in hex]     (FRR: "Unsupported EVPN prefix")
// FRR prints the Ethernet Tag of types 2, 3 and 5 signed; we print it
// unsigned, which is the same below 2^31 (VLAN-based services use tag 0).
#pragma once

#include <string>

#include "evpn/route_types.h"

namespace nwbpf::evpn {

std::string to_string(const RouteKey& key);
inline std::string to_string(const Route& route) { return to_string(key_of(route)); }

}  // namespace nwbpf::evpn
