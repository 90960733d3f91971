// SPDX-License-Identifier: Apache-2.0
#include "bgp/framer.h"

#include <algorithm>
#include <string>

#include "bgp/message.h"

namespace nwbpf::bgp {
namespace {

// Smallest length of each type (RFC 4271 §4.2-4.5, RFC 2918 §3); KEEPALIVE
// is exactly its minimum. ROUTE-REFRESH's exact length is checked by its
// decoder, which answers with RFC 7313's own error.
size_t min_length(MessageType type) {
  switch (type) {
    case MessageType::open:
      return kHeaderSize + 10;
    case MessageType::update:
      return kHeaderSize + 4;
    case MessageType::notification:
      return kHeaderSize + 2;
    case MessageType::keepalive:
      return kHeaderSize;
    case MessageType::route_refresh:
      return kHeaderSize;
  }
  return kHeaderSize;
}

bool known_type(uint8_t type) {
  return type >= uint8_t(MessageType::open) && type <= uint8_t(MessageType::route_refresh);
}

}  // namespace

Result<uint16_t> check_header(std::span<const uint8_t> header) {
  // RFC 4271 §6.1: a marker that is not all ones means we lost the framing.
  if (!std::all_of(header.begin(), header.begin() + 16, [](uint8_t b) { return b == 0xff; }))
    return Error::make(ErrorCode::message_header, HeaderError::connection_not_synchronized, 0,
                       "message header: marker is not all ones");
  const uint16_t length = uint16_t(header[16] << 8 | header[17]);
  const uint8_t type = header[18];
  auto bad_length = [&](const std::string& why) {
    return Error::make(ErrorCode::message_header, HeaderError::bad_message_length, 16,
                       "message header: length " + std::to_string(length) + " " + why,
                       wire::Bytes{header[16], header[17]});
  };
  if (length < kHeaderSize) return bad_length("is below the 19-byte header");
  if (length > kMaxMessageSize) return bad_length("is above the 4096-byte maximum");
  if (!known_type(type))
    return Error::make(ErrorCode::message_header, HeaderError::bad_message_type, 18,
                       "message header: unknown message type " + std::to_string(type),
                       wire::Bytes{type});
  const auto t = MessageType(type);
  if (t == MessageType::keepalive && length != kHeaderSize)
    return bad_length("is not 19 for a KEEPALIVE");
  if (length < min_length(t))
    return bad_length("is below the " + std::to_string(min_length(t)) + "-byte minimum of type " +
                      std::to_string(type));
  return length;
}

void Framer::feed(std::span<const uint8_t> bytes) {
  if (failed_) return;
  buffer_.erase(buffer_.begin(), buffer_.begin() + std::ptrdiff_t(start_));
  start_ = 0;
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

std::optional<Result<wire::Bytes>> Framer::next() {
  if (failed_) return *failed_;
  const auto pending = std::span<const uint8_t>(buffer_).subspan(start_);
  if (pending.size() < kHeaderSize) return std::nullopt;
  auto length = check_header(pending);
  if (auto* error = std::get_if<Error>(&length)) {
    failed_ = *error;
    return *failed_;
  }
  const size_t n = std::get<uint16_t>(length);
  if (pending.size() < n) return std::nullopt;
  wire::Bytes message(pending.begin(), pending.begin() + std::ptrdiff_t(n));
  start_ += n;
  return message;
}

}  // namespace nwbpf::bgp
