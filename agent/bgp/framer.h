// SPDX-License-Identifier: Apache-2.0
// Splits a TCP byte stream into BGP messages (RFC 4271 §4.1) and checks the
// header (§6.1): marker, length (also per type) and type.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "bgp/error.h"
#include "common/wire.h"

namespace nwbpf::bgp {

class Framer {
 public:
  // Appends bytes received from the stream.
  void feed(std::span<const uint8_t> bytes);

  // The next complete message (header included), nullopt while more bytes are
  // needed, or the header Error (Message Header Error, RFC 4271 §6.1) to send
  // in a NOTIFICATION. After an error the stream cannot be resynchronised:
  // every later call returns the same error.
  std::optional<Result<wire::Bytes>> next();

  // Bytes fed but not yet returned as messages.
  size_t buffered() const { return buffer_.size() - start_; }

 private:
  wire::Bytes buffer_;
  size_t start_ = 0;  // first byte not yet returned
  std::optional<Error> failed_;
};

// Checks a message header (RFC 4271 §6.1): marker all ones, 19 <= length <=
// 4096 and the minimum/exact length of its type, known type. `header` holds
// at least the 19 header bytes; returns the message length. Error offsets
// are those of the field at fault (marker 0, length 16, type 18).
Result<uint16_t> check_header(std::span<const uint8_t> header);

}  // namespace nwbpf::bgp
