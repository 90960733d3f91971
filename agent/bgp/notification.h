// SPDX-License-Identifier: Apache-2.0
// NOTIFICATION (RFC 4271 §4.5) and ROUTE-REFRESH (RFC 2918 §3, RFC 7313 §3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bgp/error.h"
#include "bgp/family.h"

namespace nwbpf::bgp {

struct Notification {
  ErrorCode code = ErrorCode::cease;
  uint8_t subcode = kUnspecific;
  wire::Bytes data;

  // The NOTIFICATION that reports a decode error.
  static Notification from(const Error& error) { return {error.code, error.subcode, error.data}; }
  // Cease / administrative shutdown or reset with a shutdown communication
  // (RFC 8203 §2: length octet + UTF-8, at most 255 octets; longer text is cut
  // at a character boundary).
  static Notification shutdown(CeaseError subcode, const std::string& communication);
  // The shutdown communication of an administrative shutdown/reset, if the
  // data holds a well-formed one (RFC 8203 §2); nullopt otherwise.
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

}  // namespace nwbpf::bgp
