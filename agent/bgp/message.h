// SPDX-License-Identifier: Apache-2.0
// BGP-4 messages (RFC 4271 §4): the one entry point to decode a framed
// message and to encode any message. Pure: bytes in, values out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "bgp/error.h"
#include "bgp/notification.h"
#include "bgp/open.h"
#include "bgp/session_options.h"
#include "bgp/update.h"

namespace nwbpf::bgp {

inline constexpr size_t kHeaderSize = 19;        // marker 16, length 2, type 1
inline constexpr size_t kMaxMessageSize = 4096;  // RFC 4271 §4.1

enum class MessageType : uint8_t {
  open = 1,
  update = 2,
  notification = 3,
  keepalive = 4,
  route_refresh = 5,  // RFC 2918
};

using Message = std::variant<Open, Update, Notification, Keepalive, RouteRefresh>;

// Decodes one whole message, header included (as framer.h delivers them).
// An Error is a NOTIFICATION to send and a session to reset; an Update may
// still carry RFC 7606 errors that called for less (Update::action).
Result<Message> decode_message(std::span<const uint8_t> message, const SessionOptions& options);

// Encodes a whole message, header included. Throws EncodeError (error.h).
wire::Bytes encode_message(const Message& message, const SessionOptions& options);

}  // namespace nwbpf::bgp
