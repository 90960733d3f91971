// SPDX-License-Identifier: Apache-2.0
// EVPN NLRI (RFC 7432 §7): a list of (route type, length, value) as the
// MP_REACH_NLRI and MP_UNREACH_NLRI attributes carry it for AFI 25 / SAFI 70
// (RFC 4760). Types 1-4 follow RFC 7432 §7.1-7.4, type 5 RFC 9136 §3.1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/wire.h"
#include "evpn/error.h"
#include "evpn/route_types.h"

namespace nwbpf::evpn {

// Decodes the NLRI field of MP_REACH_NLRI or MP_UNREACH_NLRI; base_offset is
// where `nlri` starts in the caller's message, for error offsets. An unknown
// route type is skipped by its length and returned as UnknownRoute. Any
// error fails the whole list (RFC 7606 §5.4: a length that runs past the
// end, or one wrong for a known type, leaves the rest unparseable; §7.3 then
// has the attribute handled by session reset or AFI/SAFI disable):
//   truncated         the route header or a route runs past the end
//   bad_length        a route length that is not one of its type's
//   bad_mac_length    type 2 MAC address length not 48
//   bad_ip_length     type 2 IP length not 0/32/128 or not matching the route
//                     length; type 3/4 originator length not matching it
//   bad_prefix_length type 5 prefix length longer than its address
// Labels are taken as they are: a withdrawal's labels are ignored by the
// receiver (RFC 7432 §7.2), whatever they hold.
Result<std::vector<Route>> decode_routes(std::span<const uint8_t> nlri, size_t base_offset = 0);

// Appends one route in wire form. Errc::out_of_range when a field does not
// fit (a label over 24 bits, a type-5 prefix length beyond its family, a
// type-5 gateway of the other family, an unknown route over 255 bytes);
// `out` is then left as it was.
Result<void> encode_route(const Route& route, wire::Bytes& out);

}  // namespace nwbpf::evpn
