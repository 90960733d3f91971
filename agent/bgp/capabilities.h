// SPDX-License-Identifier: Apache-2.0
// Capabilities advertised in OPEN (RFC 5492): the ones the speaker uses are
// typed, every other one is kept as code + bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "bgp/error.h"
#include "bgp/family.h"
#include "common/wire.h"

namespace nwbpf::bgp {

// Capability codes (IANA "Capability Codes").
inline constexpr uint8_t kCapMultiprotocol = 1;     // RFC 4760 §8
inline constexpr uint8_t kCapRouteRefresh = 2;      // RFC 2918 §3
inline constexpr uint8_t kCapGracefulRestart = 64;  // RFC 4724 §3
inline constexpr uint8_t kCapFourOctetAs = 65;      // RFC 6793 §3

// RFC 4724 §3.
struct GracefulRestart {
  struct FamilyState {
    Family family;
    bool forwarding_preserved = false;  // F bit of the AFI flags
    bool operator==(const FamilyState&) const = default;
  };
  bool restart_state = false;  // R bit: the sender has restarted
  bool notification = false;   // N bit (RFC 8538): GR also covers NOTIFICATION
  uint16_t restart_time = 0;   // seconds, 12 bits
  std::vector<FamilyState> families;
  bool operator==(const GracefulRestart&) const = default;
};

struct UnknownCapability {
  uint8_t code = 0;
  wire::Bytes value;
  bool operator==(const UnknownCapability&) const = default;
};

struct Capabilities {
  std::vector<Family> multiprotocol;  // one capability per family
  bool route_refresh = false;
  std::optional<uint32_t> four_octet_as;  // the speaker's AS, 4 octets
  std::optional<GracefulRestart> graceful_restart;
  std::vector<UnknownCapability> unknown;  // in the order received
  bool operator==(const Capabilities&) const = default;
};

// Adds the capabilities of one Capabilities Optional Parameter value (RFC
// 5492 §4) to `caps`. A repeated typed capability adds its family (MP,
// graceful restart) or replaces the earlier one. A capability that overruns
// the parameter or has the wrong length for its code is an OPEN Message
// Error, Unspecific (RFC 4271 §4.5: no subcode names it).
std::optional<Error> decode_capabilities(wire::Reader& param, Capabilities& caps);
// All capabilities, one after the other (the value of one parameter).
void encode_capabilities(const Capabilities& caps, wire::Writer& out);

}  // namespace nwbpf::bgp
