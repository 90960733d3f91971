// SPDX-License-Identifier: Apache-2.0
#include "bgp/open.h"

#include <arpa/inet.h>

#include <string>

namespace nwbpf::bgp {
namespace {

constexpr uint8_t kParamCapabilities = 2;      // RFC 5492 §4
constexpr uint8_t kParamExtendedLength = 255;  // RFC 9072 §2

Error unspecific(size_t offset, std::string text) {
  return Error::make(ErrorCode::open_message, kUnspecific, offset, "OPEN: " + std::move(text));
}

// Optional Parameters (RFC 4271 §4.2, RFC 5492 §4), in the RFC 9072 form
// when the first length and type octets are both 255.
std::optional<Error> decode_parameters(wire::Reader& body, Capabilities& caps) {
  const size_t at = body.offset();
  uint8_t length = 0;
  body.u8(length);  // present: the framer guarantees the 10 fixed octets
  bool extended = false;
  uint16_t total = length;
  if (length == kParamExtendedLength && !body.empty() && body.rest()[0] == kParamExtendedLength) {
    extended = true;
    body.skip(1);
    if (!body.u16(total)) return unspecific(at, "extended optional parameters length truncated");
  }
  if (total != body.remaining())
    return unspecific(at, "optional parameters length " + std::to_string(total) +
                              " does not match the " + std::to_string(body.remaining()) +
                              " octets after it");
  wire::Reader params(std::span<const uint8_t>{});
  body.sub(total, params);
  while (!params.empty()) {
    const size_t param_at = params.offset();
    uint8_t type = 0;
    uint8_t short_length = 0;
    uint16_t param_length = 0;
    bool ok = params.u8(type);
    if (extended) {
      ok = ok && params.u16(param_length);
    } else {
      ok = ok && params.u8(short_length);
      param_length = short_length;
    }
    if (!ok) return unspecific(param_at, "optional parameter header truncated");
    wire::Reader value(std::span<const uint8_t>{});
    if (!params.sub(param_length, value))
      return unspecific(param_at, "optional parameter length " + std::to_string(param_length) +
                                      " overruns the parameters");
    if (type != kParamCapabilities)
      return Error::make(ErrorCode::open_message, OpenError::unsupported_optional_parameter,
                         param_at, "OPEN: unsupported optional parameter " + std::to_string(type));
    if (auto error = decode_capabilities(value, caps)) return error;
  }
  return std::nullopt;
}

}  // namespace

Open make_open(uint32_t as_number, uint16_t hold_time, Ipv4 bgp_id, Capabilities capabilities) {
  Open open;
  open.my_as = as_number > 0xffff ? kAsTrans : uint16_t(as_number);
  open.hold_time = hold_time;
  open.bgp_id = bgp_id;
  open.capabilities = std::move(capabilities);
  open.capabilities.four_octet_as = as_number;
  return open;
}

Result<Open> decode_open(wire::Reader body) {
  // RFC 4271 §4.2. The framer checked the 10 fixed octets are there.
  Open open;
  const size_t at = body.offset();
  uint32_t id = 0;
  body.u8(open.version);
  if (open.version != kBgpVersion)
    return Error::make(
        ErrorCode::open_message, OpenError::unsupported_version_number, at,
        "OPEN: unsupported BGP version " + std::to_string(open.version) + " (only 4)",
        wire::Bytes{0, kBgpVersion});
  body.u16(open.my_as);
  body.u16(open.hold_time);
  body.u32(id);
  open.bgp_id.be = htonl(id);
  if (auto error = decode_parameters(body, open.capabilities)) return *error;
  return open;
}

void encode_open(const Open& open, wire::Writer& out) {
  out.u8(open.version);
  out.u16(open.my_as);
  out.u16(open.hold_time);
  out.u32(ntohl(open.bgp_id.be));
  const size_t params = out.reserve(1);
  // No capabilities: no parameter at all rather than an empty one.
  if (open.capabilities != Capabilities{}) {
    out.u8(kParamCapabilities);
    const size_t value = out.reserve(1);
    encode_capabilities(open.capabilities, out);
    out.patch_length(value, 1);  // shorter than the whole, checked next
  }
  if (!out.patch_length(params, 1))
    throw EncodeError("OPEN capabilities exceed the 255 octets of the optional parameters");
}

}  // namespace nwbpf::bgp
