// SPDX-License-Identifier: Apache-2.0
// What a responder puts in its reply (RFC 2332 §5.2.2, §5.2.4, §5.3), as
// FRR nhrpd does it: the Resolution Reply's header (nhrp_handle_resolution_
// req), host CIEs, and the extensions (nhrp_ext_reply): the request's in their
// order, the Responder Address filled with the responder's CIE (§5.3.1),
// the Cisco NAT Address extension (type 9) with the CIEs the responder
// chose, everything else copied (Transit NHS records, Authentication,
// Vendor-Private and unknown non-compulsory ones, §5.3).
#pragma once

#include <cstdint>
#include <vector>

#include "nhrp/packet.h"

namespace nwbpf::nhrp {

inline constexpr uint8_t kHostPrefixLength = 32;

// A CIE for one host binding (prefix length 32, code success), as our
// Responder Address, NAT Address and Resolution Reply CIEs carry it.
Cie host_cie(Ipv4 nbma, Ipv4 protocol, uint16_t mtu, uint16_t holding_time);

// A Resolution Reply to `request` (§5.2.2) but for its CIE and extensions:
// the request's addresses and request ID, hop count 64 (a new packet, FRR
// nhrp_packet_push), flags Q and S copied and A and D set: the responder
// knows the binding first hand (it is the target's or its NHS's) and it is
// stable for its holding time. FRR copies neither U nor Cisco's NAT flag.
Packet resolution_reply_to(const Packet& request);

// The reply's extensions for `request` (§5.3): Responder Address filled
// with `responder`, the NAT Address extension's CIEs replaced by `nat`; when
// the request had no NAT Address extension and `nat` is not empty, one is
// appended (non-compulsory, §5.3: a station that does not know it ignores it).
std::vector<Extension> reply_extensions(const std::vector<Extension>& request, const Cie& responder,
                                        std::vector<Cie> nat);

}  // namespace nwbpf::nhrp
