// SPDX-License-Identifier: Apache-2.0
// Client Information Entries (RFC 2332 §5.2.0.1, "Client Information
// Entry"), in the mandatory part of requests and replies and inside the
// Responder Address, Transit NHS Record and NAT Address extensions.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/net_types.h"
#include "nhrp/fields.h"

namespace nwbpf::nhrp {

// CIE Code values: Resolution Reply (§5.2.2) and Registration Reply
// (§5.2.4); other values decode and are kept as numbers.
enum class CieCode : uint8_t {
  success = 0,
  administratively_prohibited = 4,
  insufficient_resources = 5,
  no_binding_exists = 11,
  binding_non_unique = 13,
  unique_address_registered = 14,
};

// One CIE. In DMVPN the client NBMA address is IPv4 (ar$afn 1) and the
// protocol address IPv4 (ar$pro.type 0x0800); either may be absent (length
// 0: FRR's registration CIE leaves the NBMA address to the mandatory part).
// There is never a subaddress.
struct Cie {
  uint8_t code = uint8_t(CieCode::success);
  uint8_t prefix_length = 0;  // 0 and 32 both mean the host (§5.2.1)
  uint16_t mtu = 0;
  uint16_t holding_time = 0;  // seconds
  std::optional<Ipv4> nbma;
  std::optional<Ipv4> protocol;
  uint8_t preference = 0;
  bool operator==(const Cie&) const = default;
};

inline constexpr size_t kCieHeaderSize = 12;

// Decodes CIEs until `in` is empty; a bad or cut CIE is Protocol Error.
Result<std::vector<Cie>> decode_cies(Fields in);
void encode_cie(const Cie& cie, wire::Writer& out);

// ar$shtl and the CIE's client NBMA type/length octet (§5.2.0.1): bit 7
// reserved, bit 6 the type (0 NSAP-style, the only one for IPv4), bits 0-5
// the length. An address we accept has type 0 and a length of 0 or 4; the
// error (Protocol Error at `offset`) starts with `field`. (The subaddress
// octets have the same form and must be 0: DMVPN has no subaddresses.)
Result<bool> ipv4_present(uint8_t type_length, const char* field, size_t offset);

}  // namespace nwbpf::nhrp
