// SPDX-License-Identifier: Apache-2.0
// AS_PATH and AS4_PATH values (RFC 4271 §4.3, §5.1.2; RFC 6793 §4) in 2- or
// 4-octet form, and the RFC 6793 §4.2.3 reconstruction of the real path on a
// session with a 2-octet speaker.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "bgp/attributes.h"
#include "common/wire.h"

namespace nwbpf::bgp {

// Decodes segments of `as_size` (2 or 4) octet ASes. Returns why the value is
// malformed (RFC 7606 §7.2: unknown segment type, zero-length segment,
// overrun, a single octet left over), or nullopt.
std::optional<std::string> decode_as_path(wire::Reader value, size_t as_size, AsPath& out);

// Writes segments of `as_size` octet ASes; in 2-octet form an AS above 65535
// becomes AS_TRANS (RFC 6793 §4.2.2). Throws EncodeError for an empty segment
// or one over 255 ASes.
void encode_as_path(const AsPath& path, size_t as_size, wire::Writer& out);

// Whether some AS of the path needs 4 octets, so a 2-octet peer must also
// get AS4_PATH.
bool needs_as4_path(const AsPath& path);
// The path as AS4_PATH carries it: without confederation segments (RFC 6793
// §4.2.2).
AsPath as4_path_of(const AsPath& path);

// RFC 6793 §4.2.3: the leading ASes of AS_PATH that AS4_PATH does not cover,
// followed by AS4_PATH. AS4_PATH is ignored when it is longer than AS_PATH.
AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_path);

}  // namespace nwbpf::bgp
