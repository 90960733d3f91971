// SPDX-License-Identifier: Apache-2.0
// Error Indications (RFC 2332 §5.2.7) that we originate: an error code and
// offset, from this station to the one whose packet was in error, carrying
// that packet as it arrived.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "nhrp/packet.h"

namespace nwbpf::nhrp {

struct Station {
  Ipv4 nbma;      // our NBMA address: ar$src.nbma
  Ipv4 protocol;  // our protocol (overlay) address: ar$src.protoaddr
};

// §5.2.7: source = `from`; destination protocol address = the source
// protocol address of the packet in error (`to_protocol`, the station the
// indication goes back to); `code` and `offset` (from the start of the
// packet in error, as an Error from the decoder has them); payload =
// `packet_in_error` (FRR reads the request ID of the failed request from
// it). Hop count 64, as FRR sends every packet it originates.
Packet error_indication(const Station& from, Ipv4 to_protocol, ErrorCode code, uint16_t offset,
                        std::span<const uint8_t> packet_in_error);
// The same for an Error from the decoder or a state machine: its code and
// offset (its message is for our log, not the wire).
Packet error_indication(const Station& from, Ipv4 to_protocol, const Error& error,
                        std::span<const uint8_t> packet_in_error);

// The request ID of the packet an Error Indication we received carries
// (its payload): after the fixed header, the mandatory part starts with the
// two protocol address lengths and the flags (RFC 2332 §5.2.0.1). nullopt
// when the payload is too short to hold one.
std::optional<uint32_t> request_id_in_error(std::span<const uint8_t> packet_in_error);

}  // namespace nwbpf::nhrp
