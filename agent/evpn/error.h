// SPDX-License-Identifier: Apache-2.0
// Errors of the EVPN codec. Every decoder returns Result<T>: the value, or an
// Error with a code the caller can act on (the BGP layer maps a malformed NLRI
// list to RFC 7606's action for MP_REACH/MP_UNREACH), the offset where it
// happened (from the start of the buffer the caller passed, plus the
// base_offset it gave, so it points into the whole UPDATE) and a message for
// logs and the CLI.
#pragma once

#include <boost/outcome/result.hpp>
#include <cstddef>
#include <string>

namespace nwbpf::evpn {

enum class Errc {
  truncated,          // a header, field or route runs past the end of its buffer
  bad_length,         // a length that is wrong for its type (route, attribute)
  bad_mac_length,     // a type-2 MAC address length other than 48 bits
  bad_ip_length,      // an IP address length the route type does not allow
  bad_prefix_length,  // a type-5 prefix length beyond its address family
  unsupported,        // well formed, but not something the installer can use
  out_of_range,       // encode: a value does not fit its field
  bad_text,           // text that does not parse
};

struct Error {
  Errc code;
  size_t offset = 0;  // 0 for text and encode errors
  std::string message;
};

template <class T>
using Result = BOOST_OUTCOME_V2_NAMESPACE::checked<T, Error>;

inline auto success() { return BOOST_OUTCOME_V2_NAMESPACE::success(); }

}  // namespace nwbpf::evpn
