// SPDX-License-Identifier: Apache-2.0
// What a BGP decoder reports when a message is bad: exactly what the
// NOTIFICATION carries (RFC 4271 §4.5, §6) plus where and why, for logs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>

#include "common/wire.h"

namespace nwbpf::bgp {

// NOTIFICATION error codes (RFC 4271 §4.5; 7 from RFC 7313).
enum class ErrorCode : uint8_t {
  message_header = 1,
  open_message = 2,
  update_message = 3,
  hold_timer_expired = 4,
  fsm = 5,
  cease = 6,
  route_refresh_message = 7,
};

// RFC 4271 §4.5: "If no appropriate Error Subcode is defined, then a zero
// (Unspecific) value is used", for every code.
inline constexpr uint8_t kUnspecific = 0;

// Message Header Error subcodes (RFC 4271 §6.1).
enum class HeaderError : uint8_t {
  connection_not_synchronized = 1,
  bad_message_length = 2,
  bad_message_type = 3,
};

// OPEN Message Error subcodes (RFC 4271 §6.2; 7 from RFC 5492).
enum class OpenError : uint8_t {
  unsupported_version_number = 1,
  bad_peer_as = 2,
  bad_bgp_identifier = 3,
  unsupported_optional_parameter = 4,
  unacceptable_hold_time = 6,
  unsupported_capability = 7,
};

// UPDATE Message Error subcodes (RFC 4271 §6.3).
enum class UpdateError : uint8_t {
  malformed_attribute_list = 1,
  unrecognized_well_known_attribute = 2,
  missing_well_known_attribute = 3,
  attribute_flags_error = 4,
  attribute_length_error = 5,
  invalid_origin_attribute = 6,
  invalid_next_hop_attribute = 8,
  optional_attribute_error = 9,
  invalid_network_field = 10,
  malformed_as_path = 11,
};

// Finite State Machine Error subcodes (RFC 6608).
enum class FsmError : uint8_t {
  unexpected_in_open_sent = 1,
  unexpected_in_open_confirm = 2,
  unexpected_in_established = 3,
};

// Cease subcodes (RFC 4486; 9 from RFC 8538). Administrative shutdown and
// reset may carry a shutdown communication (RFC 8203, notification.h).
enum class CeaseError : uint8_t {
  max_prefixes_reached = 1,
  administrative_shutdown = 2,
  peer_deconfigured = 3,
  administrative_reset = 4,
  connection_rejected = 5,
  other_configuration_change = 6,
  connection_collision_resolution = 7,
  out_of_resources = 8,
  hard_reset = 9,
};

// ROUTE-REFRESH Message Error subcodes (RFC 7313 §5).
enum class RouteRefreshError : uint8_t {
  invalid_message_length = 1,
};

struct Error {
  ErrorCode code = ErrorCode::message_header;
  uint8_t subcode = kUnspecific;
  wire::Bytes data;   // the NOTIFICATION Data field the RFC prescribes
  size_t offset = 0;  // byte offset from the start of the message (header included)
  std::string text;   // one line for the log: what was wrong, in words

  template <class Subcode>
  static Error make(ErrorCode code, Subcode subcode, size_t offset, std::string text,
                    wire::Bytes data = {}) {
    return Error{code, uint8_t(subcode), std::move(data), offset, std::move(text)};
  }
  bool operator==(const Error&) const = default;
};

// A decoded value or the error that stops it.
template <class T>
using Result = std::variant<T, Error>;

// Thrown by the encoders when a value cannot be put on the wire (a message
// over 4096 bytes, RFC 4271 §4.1, or a field over its length width). Values
// that decode always re-encode, except an UPDATE that grows when converted
// between 2- and 4-octet AS forms; callers that pack routes split first.
class EncodeError : public std::length_error {
 public:
  using std::length_error::length_error;
};

}  // namespace nwbpf::bgp
