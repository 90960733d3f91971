// SPDX-License-Identifier: Apache-2.0
// The Path Attributes field of an UPDATE (RFC 4271 §4.3): attribute headers,
// flags, duplicates and unknown attributes, with RFC 7606's verdict on each
// error (rfc7606.h). attribute_values.h reads and writes the values.
#pragma once

#include <bitset>
#include <optional>

#include "bgp/error.h"
#include "bgp/session_options.h"
#include "bgp/update.h"
#include "common/wire.h"

namespace nwbpf::bgp {

// Type codes that appeared in the field, valid or not.
using AttributesSeen = std::bitset<256>;

// Decodes `field` into update.attributes. Errors that call for attribute
// discard or treat-as-withdraw are appended to update.errors and raise
// update.action; the first error that calls for a session reset is returned
// (and the rest of the field is not read).
std::optional<Error> decode_attributes(wire::Reader field, const SessionOptions& options,
                                       Update& update, AttributesSeen& seen);

// Writes the attributes (the field without its length), using the Extended
// Length flag only for values over 255 octets. Throws EncodeError for a value
// over 65535 octets.
void encode_attributes(const PathAttributes& attrs, const SessionOptions& options,
                       wire::Writer& out);

// Records an error that leaves the UPDATE usable or withdrawn (never a reset).
void note_update_error(Update& update, Error error, UpdateAction action);

}  // namespace nwbpf::bgp
