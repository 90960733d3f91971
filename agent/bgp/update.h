// SPDX-License-Identifier: Apache-2.0
// UPDATE message (RFC 4271 §4.3) and how a receiver must react to a bad one
// (RFC 7606 §2), plus End-of-RIB (RFC 4724 §2).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "bgp/attributes.h"
#include "bgp/error.h"
#include "bgp/family.h"
#include "bgp/session_options.h"

namespace nwbpf::bgp {

// RFC 7606 §2, least to most severe. session_reset never appears in a decoded
// Update: decoding returns the Error to send in a NOTIFICATION instead.
enum class UpdateAction : uint8_t {
  none,
  attribute_discard,  // the bad attributes were dropped; the rest is valid
  treat_as_withdraw,  // withdraw every route the UPDATE carries: withdrawn,
                      // nlri, mp_unreach and mp_reach's NLRI alike
  session_reset,
};

struct Update {
  std::vector<Prefix4> withdrawn;
  PathAttributes attributes;
  std::vector<Prefix4> nlri;

  // Set by the decoder; ignored by the encoder.
  UpdateAction action = UpdateAction::none;
  std::vector<Error> errors;  // what caused `action`, in message order, for the log

  bool operator==(const Update&) const = default;
};

// The message body after the 19-byte header (offsets count from the start of
// the message). An Error is a session reset (RFC 7606 §3(j), §5.3: lengths
// that do not add up, unparseable withdrawn routes or NLRI, or an attribute
// whose rfc7606.h row says so); lesser errors are in the Update.
Result<Update> decode_update(wire::Reader body, const SessionOptions& options);
// Throws EncodeError when a field exceeds its 2-octet length.
void encode_update(const Update& update, const SessionOptions& options, wire::Writer& out);

// IPv4 unicast NLRI / withdrawn routes (RFC 4271 §4.3: length octet, then
// the fewest octets holding it). `base_offset` places error offsets in the
// message. Errors are UPDATE Message Error / Invalid Network Field (RFC 7606
// §5.3 makes them session resets).
Result<std::vector<Prefix4>> decode_ipv4_nlri(std::span<const uint8_t> bytes,
                                              size_t base_offset = 0);
void encode_ipv4_nlri(std::span<const Prefix4> prefixes, wire::Bytes& out);

// End-of-RIB (RFC 4724 §2): an UPDATE with nothing in it for IPv4 unicast,
// and an UPDATE holding only an empty MP_UNREACH_NLRI for other families.
Update make_end_of_rib(Family family);
// The family an UPDATE marks the end of, or nullopt if it is not End-of-RIB.
std::optional<Family> end_of_rib_family(const Update& update);

}  // namespace nwbpf::bgp
