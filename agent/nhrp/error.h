// SPDX-License-Identifier: Apache-2.0
// What the NHRP decoder reports when a packet is bad: the Error Indication
// it calls for (RFC 2332 §5.2.7: error code and the offset, from the start
// of the fixed header, where the error was detected) plus a line for logs.
#pragma once

#include <boost/outcome/result.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

namespace nwbpf::nhrp {

// Error Indication codes (RFC 2332 §5.2.7). FRR's nhrp_protocol.h numbers
// Loop Detected 2; the RFC (and we) say 3.
enum class ErrorCode : uint16_t {
  unrecognized_extension = 1,  // a compulsory extension we do not know (§5.3)
  loop_detected = 3,           // we are already in the transit NHS record
  protocol_address_unreachable = 6,
  protocol_error = 7,     // generic: version, protocol type, checksum, lengths
  sdu_size_exceeded = 8,  // the packet does not fit where it must go
  invalid_extension = 9,  // an extension inappropriate for the packet type
  invalid_resolution_reply = 10,
  authentication_failure = 11,
  hop_count_exceeded = 15,
};

struct Error {
  ErrorCode code = ErrorCode::protocol_error;
  size_t offset = 0;  // ar$... byte where it was detected (the Error Offset field)
  std::string message;
  bool operator==(const Error&) const = default;
};

template <class T>
using Result = BOOST_OUTCOME_V2_NAMESPACE::checked<T, Error>;

inline auto success() { return BOOST_OUTCOME_V2_NAMESPACE::success(); }

}  // namespace nwbpf::nhrp
