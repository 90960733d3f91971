// SPDX-License-Identifier: Apache-2.0
#include "bgp/message.h"

#include "bgp/framer.h"

namespace nwbpf::bgp {
namespace {

MessageType type_of(const Message& message) {
  return std::visit(
      [](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Open>) return MessageType::open;
        if constexpr (std::is_same_v<T, Update>) return MessageType::update;
        if constexpr (std::is_same_v<T, Notification>) return MessageType::notification;
        if constexpr (std::is_same_v<T, Keepalive>) return MessageType::keepalive;
        if constexpr (std::is_same_v<T, RouteRefresh>) return MessageType::route_refresh;
      },
      message);
}

template <class T>
Result<Message> lift(Result<T>&& result) {
  if (auto* error = std::get_if<Error>(&result)) return std::move(*error);
  return Result<Message>(std::in_place_index<0>, std::in_place_type<T>,
                         std::move(std::get<T>(result)));
}

}  // namespace

Result<Message> decode_message(std::span<const uint8_t> message, const SessionOptions& options) {
  if (message.size() < kHeaderSize)
    return Error::make(ErrorCode::message_header, HeaderError::bad_message_length, 0,
                       "message header: " + std::to_string(message.size()) +
                           " octets, shorter than the 19-byte header");
  auto length = check_header(message);
  if (auto* error = std::get_if<Error>(&length)) return *error;
  if (std::get<uint16_t>(length) != message.size())
    return Error::make(ErrorCode::message_header, HeaderError::bad_message_length, 16,
                       "message header: length " + std::to_string(std::get<uint16_t>(length)) +
                           " but " + std::to_string(message.size()) + " octets given",
                       wire::Bytes{message[16], message[17]});
  wire::Reader body(message.subspan(kHeaderSize), kHeaderSize);
  switch (MessageType(message[18])) {
    case MessageType::open:
      return lift(decode_open(body));
    case MessageType::update:
      return lift(decode_update(body, options));
    case MessageType::notification:
      return Message(decode_notification(body));
    case MessageType::keepalive:
      return Message(Keepalive{});
    case MessageType::route_refresh:
      return lift(decode_route_refresh(message));
  }
  return Message(Keepalive{});  // unreachable: check_header knows the types
}

wire::Bytes encode_message(const Message& message, const SessionOptions& options) {
  wire::Bytes bytes(16, 0xff);  // marker (RFC 4271 §4.1)
  wire::Writer out(bytes);
  const size_t length = out.reserve(2);
  out.u8(uint8_t(type_of(message)));
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Open>) encode_open(m, out);
        if constexpr (std::is_same_v<T, Update>) encode_update(m, options, out);
        if constexpr (std::is_same_v<T, Notification>) encode_notification(m, out);
        if constexpr (std::is_same_v<T, RouteRefresh>) encode_route_refresh(m, out);
      },
      message);
  if (bytes.size() > kMaxMessageSize)
    throw EncodeError("message of " + std::to_string(bytes.size()) + " octets exceeds 4096");
  bytes[length] = uint8_t(bytes.size() >> 8);
  bytes[length + 1] = uint8_t(bytes.size());
  return bytes;
}

}  // namespace nwbpf::bgp
