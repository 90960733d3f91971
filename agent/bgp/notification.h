// SPDX-License-Identifier: Apache-2.0
// NOTIFICATION (RFC 4271 §4.5) and ROUTE-REFRESH (RFC 2918 §3, RFC 7313 §3).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "bgp/error.h"
#include "bgp/family.h"
#include "common/wire.h"

namespace nwbpf::bgp {

struct Notification {
  ErrorCode code = ErrorCode::cease;
  uint8_t subcode = kUnspecific;
  wire::Bytes data;

  // The NOTIFICATION that reports a decode error.
  static Notification from(const Error& error) { return {error.code, error.subcode, error.data}; }
  // Cease / administrative shutdown or reset with a shutdown communication
  // (RFC 8203 §2 as extended by RFC 9003 §2: length octet + UTF-8, at most
  // 255 octets; longer text is cut at a character boundary).
  static Notification shutdown(CeaseError subcode, const std::string& communication);
  // The shutdown communication of an administrative shutdown/reset, if its
  // length octet fits the data; nullopt otherwise.
  std::optional<std::string> shutdown_communication() const;
  bool operator==(const Notification&) const = default;
};

// ROUTE-REFRESH (RFC 2918 §3); subtype is RFC 7313's "Message Subtype"
// (0 normal request, 1 BoRR, 2 EoRR), the reserved octet of RFC 2918.
struct RouteRefresh {
  Family family;
  uint8_t subtype = 0;
  bool operator==(const RouteRefresh&) const = default;
};

struct Keepalive {
  bool operator==(const Keepalive&) const = default;
};

// Bodies after the 19-byte header; the framer guarantees NOTIFICATION's two
// fixed octets and that KEEPALIVE has none.
Notification decode_notification(wire::Reader body);
void encode_notification(const Notification& notification, wire::Writer& out);
// The whole message: a length other than 23 is ROUTE-REFRESH Message Error /
// Invalid Message Length with the message as data (RFC 7313 §5).
Result<RouteRefresh> decode_route_refresh(std::span<const uint8_t> message);
void encode_route_refresh(const RouteRefresh& refresh, wire::Writer& out);

}  // namespace nwbpf::bgp
