// SPDX-License-Identifier: Apache-2.0
// OPEN message (RFC 4271 §4.2) with the capabilities optional parameter
// (RFC 5492 §4). The codec checks syntax only; whether the peer AS, hold time
// and BGP identifier are acceptable is the FSM's decision (RFC 4271 §6.2).
#pragma once

#include <cstdint>

#include "bgp/capabilities.h"
#include "bgp/error.h"
#include "common/net_types.h"
#include "common/wire.h"

namespace nwbpf::bgp {

inline constexpr uint8_t kBgpVersion = 4;
inline constexpr uint16_t kAsTrans = 23456;  // RFC 6793 §9

struct Open {
  uint8_t version = kBgpVersion;
  uint16_t my_as = 0;      // the 2-octet field: AS_TRANS when the AS needs 4 octets
  uint16_t hold_time = 0;  // seconds
  Ipv4 bgp_id;
  Capabilities capabilities;

  // The speaker's AS: the 4-octet AS capability when present (RFC 6793 §4.1),
  // else My Autonomous System.
  uint32_t as_number() const { return capabilities.four_octet_as.value_or(my_as); }
  bool operator==(const Open&) const = default;
};

// An OPEN for `as_number`: My AS is AS_TRANS when the AS does not fit in 2
// octets, and the 4-octet AS capability is set (RFC 6793 §4.1).
Open make_open(uint32_t as_number, uint16_t hold_time, Ipv4 bgp_id, Capabilities capabilities);

// The message body after the 19-byte header (the reader's offsets count from
// the start of the message). Errors: Unsupported Version Number (data: 0x0004,
// RFC 4271 §6.2), Unsupported Optional Parameter for parameters other than
// capabilities, Unspecific for lengths that do not add up. Optional
// parameters may use RFC 9072's extended length.
Result<Open> decode_open(wire::Reader body);
// Capabilities go in one optional parameter. Throws EncodeError when they do
// not fit its 255 octets.
void encode_open(const Open& open, wire::Writer& out);

}  // namespace nwbpf::bgp
