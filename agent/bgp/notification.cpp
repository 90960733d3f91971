// SPDX-License-Identifier: Apache-2.0
#include "bgp/notification.h"

#include <algorithm>

namespace nwbpf::bgp {
namespace {

constexpr size_t kMaxShutdownCommunication = 255;  // RFC 9003 §2
constexpr size_t kRouteRefreshSize = 23;           // RFC 2918 §3

bool utf8_continuation(uint8_t byte) { return (byte & 0xc0) == 0x80; }

bool carries_shutdown_communication(const Notification& n) {
  return n.code == ErrorCode::cease && (n.subcode == uint8_t(CeaseError::administrative_shutdown) ||
                                        n.subcode == uint8_t(CeaseError::administrative_reset));
}

}  // namespace

Notification Notification::shutdown(CeaseError subcode, const std::string& communication) {
  size_t length = std::min(communication.size(), kMaxShutdownCommunication);
  // Cut before a continuation byte so no character is split.
  while (length < communication.size() && length > 0 &&
         utf8_continuation(uint8_t(communication[length])))
    --length;
  wire::Bytes data(1 + length);
  data[0] = uint8_t(length);
  std::copy_n(communication.begin(), length, data.begin() + 1);
  return Notification{ErrorCode::cease, uint8_t(subcode), std::move(data)};
}

std::optional<std::string> Notification::shutdown_communication() const {
  if (!carries_shutdown_communication(*this) || data.empty() || data[0] >= data.size())
    return std::nullopt;
  return std::string(data.begin() + 1, data.begin() + 1 + data[0]);
}

Notification decode_notification(wire::Reader body) {
  // RFC 4271 §4.5: code, subcode, then data to the end of the message.
  Notification n;
  uint8_t code = 0;
  body.u8(code);
  body.u8(n.subcode);
  n.code = ErrorCode(code);
  auto data = body.rest();
  n.data.assign(data.begin(), data.end());
  return n;
}

void encode_notification(const Notification& notification, wire::Writer& out) {
  out.u8(uint8_t(notification.code));
  out.u8(notification.subcode);
  out.bytes(notification.data);
}

Result<RouteRefresh> decode_route_refresh(std::span<const uint8_t> message) {
  if (message.size() != kRouteRefreshSize)
    return Error::make(ErrorCode::route_refresh_message, RouteRefreshError::invalid_message_length,
                       16, "ROUTE-REFRESH: length " + std::to_string(message.size()) + " is not 23",
                       wire::Bytes(message.begin(), message.end()));
  // RFC 2918 §3: AFI, reserved (RFC 7313's subtype), SAFI.
  wire::Reader body(message.subspan(19), 19);
  RouteRefresh refresh;
  body.u16(refresh.family.afi);
  body.u8(refresh.subtype);
  body.u8(refresh.family.safi);
  return refresh;
}

void encode_route_refresh(const RouteRefresh& refresh, wire::Writer& out) {
  out.u16(refresh.family.afi);
  out.u8(refresh.subtype);
  out.u8(refresh.family.safi);
}

}  // namespace nwbpf::bgp
