// SPDX-License-Identifier: Apache-2.0
// The value of each path attribute this codec knows, one decoder and one
// encoder per attribute (RFC 4271 §4.3, RFC 1997, RFC 4456 §8, RFC 4760 §3-4,
// RFC 4360 §2, RFC 6793 §4, RFC 6514 §5). Flags, duplicates and what an error
// costs the UPDATE are attribute_list.cpp's business (rfc7606.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bgp/attributes.h"
#include "bgp/error.h"
#include "bgp/session_options.h"
#include "common/wire.h"

namespace nwbpf::bgp {

// What is wrong with one attribute value: the UPDATE Message Error subcode
// of RFC 4271 §6.3 and a sentence for the log.
struct ValueProblem {
  UpdateError subcode;
  std::string text;
};

// AS4_PATH and AS4_AGGREGATOR from a 2-octet session, held until every
// attribute is read and then merged (RFC 6793 §4.2.3).
struct As4Attributes {
  std::optional<AsPath> path;
  std::optional<Aggregator> aggregator;
};

// Decodes `value` (the whole attribute value) of a known attribute into
// `out`, or `as4` for AS4_PATH/AS4_AGGREGATOR. On a problem, `out` is left
// without the attribute.
std::optional<ValueProblem> decode_attribute_value(AttrType type, wire::Reader value,
                                                   const SessionOptions& options,
                                                   PathAttributes& out, As4Attributes& as4);

// Applies RFC 6793 §4.2.3 to the AS_PATH and AGGREGATOR of a 2-octet session.
void merge_as4_attributes(const As4Attributes& as4, PathAttributes& attrs);

struct EncodedAttribute {
  uint8_t flags = 0;  // without Extended Length, which the framing decides
  uint8_t type = 0;
  wire::Bytes value;
};

// Every attribute present in `attrs`, in type-code order, with AS4_PATH and
// AS4_AGGREGATOR added on a 2-octet session when an AS needs 4 octets
// (RFC 6793 §4.2.2), and unknown transitive attributes as kept.
std::vector<EncodedAttribute> encode_attribute_values(const PathAttributes& attrs,
                                                      const SessionOptions& options);

}  // namespace nwbpf::bgp
