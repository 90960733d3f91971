// SPDX-License-Identifier: Apache-2.0
// NHRP extensions (RFC 2332 §5.3) as FRR nhrpd and Cisco DMVPN send them:
// Responder Address, Forward/Reverse Transit NHS Record, Authentication
// (Cisco's form), Vendor-Private, the Cisco NAT Address extension, End.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "nhrp/cie.h"

namespace nwbpf::nhrp {

enum class ExtensionType : uint16_t {
  end = 0,                  // §5.3.0, closes the list (we always send it compulsory)
  responder_address = 3,    // §5.3.1: one CIE in replies, empty in requests
  forward_transit_nhs = 4,  // §5.3.2: a CIE per NHS the request crossed
  reverse_transit_nhs = 5,  // §5.3.3: a CIE per NHS the reply crossed
  authentication = 7,       // §5.3.4, in Cisco's form (CiscoAuthentication)
  vendor_private = 8,       // §5.3.5, kept as bytes
  nat_address = 9,          // Cisco/FRR: CIEs with the NBMA address seen by the NHS
};

// §5.3: the C bit of the type field; the u bit (0x4000) is unused and the
// type is the low 14 bits.
inline constexpr uint16_t kCompulsory = 0x8000;
inline constexpr uint16_t kExtensionTypeMask = 0x3fff;

// The Authentication extension as Cisco and FRR nhrpd send it (not §5.3.4's
// SPI layout): a 4-octet type, 1 = cleartext password, then the password
// (FRR: at most 8 octets, unpadded).
struct CiscoAuthentication {
  static constexpr uint32_t kCleartext = 1;
  uint32_t type = kCleartext;
  wire::Bytes secret;
  bool operator==(const CiscoAuthentication&) const = default;
};

struct Extension {
  uint16_t type = 0;  // 14 bits: an ExtensionType or one we do not know
  bool compulsory = false;
  // CIEs for types 3, 4, 5 and 9; CiscoAuthentication for 7; the value as
  // received for 8 and for non-compulsory types we do not know (§5.3: such
  // an extension is ignored, and passed on by an NHS that forwards).
  std::variant<std::vector<Cie>, CiscoAuthentication, wire::Bytes> value;
  bool operator==(const Extension&) const = default;
};

// Decodes the extensions part (from ar$extoff to the end of the packet),
// which must close with End of Extensions. A compulsory type we do not know
// is Unrecognized Extension (§5.3); one out of place for the packet type (a
// filled Responder Address in a `request`) Invalid Extension (§5.2.7);
// anything malformed Protocol Error.
// With `password`, the packet must carry a cleartext Authentication
// extension with exactly that password, else Authentication Failure (§5.3.4).
Result<std::vector<Extension>> decode_extensions(
    Fields in, bool request, const std::optional<std::span<const uint8_t>>& password);

// The CIEs of the first extension of `type` in `extensions`, or nullptr.
const std::vector<Cie>* extension_cies(const std::vector<Extension>& extensions,
                                       ExtensionType type);

// What FRR nhrpd puts in every request it originates (nhrp_ext_request):
// empty, compulsory Responder Address and Forward/Reverse Transit NHS
// records, for the NHSes on the way and the responder to fill in.
std::vector<Extension> request_extensions();

// Appends the extensions and End of Extensions (compulsory, as FRR sends it).
// False if one is longer than its 16-bit length field.
bool encode_extensions(const std::vector<Extension>& extensions, wire::Writer& out);

}  // namespace nwbpf::nhrp
