// SPDX-License-Identifier: Apache-2.0
#include "bgp/capabilities.h"

#include <string>

namespace nwbpf::bgp {
namespace {

Error malformed(size_t offset, std::string text) {
  return Error::make(ErrorCode::open_message, kUnspecific, offset, "OPEN: " + std::move(text));
}

// RFC 4724 §3: Restart Flags (4 bits) + Restart Time (12 bits), then per
// family AFI, SAFI and the Flags for Address Family.
constexpr uint16_t kRestartState = 0x8000;
constexpr uint16_t kRestartNotification = 0x4000;
constexpr uint16_t kRestartTimeMask = 0x0fff;
constexpr uint8_t kForwardingPreserved = 0x80;

GracefulRestart decode_graceful_restart(wire::Reader& value) {
  GracefulRestart gr;
  uint16_t flags_time = 0;
  value.u16(flags_time);
  gr.restart_state = flags_time & kRestartState;
  gr.notification = flags_time & kRestartNotification;
  gr.restart_time = flags_time & kRestartTimeMask;
  while (!value.empty()) {
    GracefulRestart::FamilyState state;
    uint8_t flags = 0;
    value.u16(state.family.afi);
    value.u8(state.family.safi);
    value.u8(flags);
    state.forwarding_preserved = flags & kForwardingPreserved;
    gr.families.push_back(state);
  }
  return gr;
}

// Whether a typed capability's length fits its code (RFC 4760 §8, RFC 2918
// §3, RFC 6793 §3, RFC 4724 §3); unknown codes take any length.
bool length_ok(uint8_t code, size_t length) {
  switch (code) {
    case kCapMultiprotocol:
      return length == 4;
    case kCapRouteRefresh:
      return length == 0;
    case kCapFourOctetAs:
      return length == 4;
    case kCapGracefulRestart:
      return length >= 2 && (length - 2) % 4 == 0;
    default:
      return true;
  }
}

}  // namespace

std::optional<Error> decode_capabilities(wire::Reader& param, Capabilities& caps) {
  while (!param.empty()) {
    const size_t at = param.offset();
    uint8_t code = 0, length = 0;
    wire::Reader value(std::span<const uint8_t>{});
    if (!param.u8(code) || !param.u8(length)) return malformed(at, "capability header truncated");
    if (!param.sub(length, value))
      return malformed(at, "capability " + std::to_string(code) + " length " +
                               std::to_string(length) + " overruns its parameter");
    if (!length_ok(code, length))
      return malformed(
          at, "capability " + std::to_string(code) + " has bad length " + std::to_string(length));
    switch (code) {
      case kCapMultiprotocol: {  // RFC 4760 §8: AFI, reserved, SAFI
        Family family;
        value.u16(family.afi);
        value.skip(1);
        value.u8(family.safi);
        caps.multiprotocol.push_back(family);
        break;
      }
      case kCapRouteRefresh:
        caps.route_refresh = true;
        break;
      case kCapFourOctetAs: {
        uint32_t as_number = 0;
        value.u32(as_number);
        caps.four_octet_as = as_number;
        break;
      }
      case kCapGracefulRestart:
        caps.graceful_restart = decode_graceful_restart(value);
        break;
      default: {
        auto bytes = value.rest();
        caps.unknown.push_back({code, wire::Bytes(bytes.begin(), bytes.end())});
      }
    }
  }
  return std::nullopt;
}

void encode_capabilities(const Capabilities& caps, wire::Writer& out) {
  auto header = [&](uint8_t code, uint8_t length) {
    out.u8(code);
    out.u8(length);
  };
  for (const Family& family : caps.multiprotocol) {
    header(kCapMultiprotocol, 4);
    out.u16(family.afi);
    out.u8(0);
    out.u8(family.safi);
  }
  if (caps.route_refresh) header(kCapRouteRefresh, 0);
  if (caps.four_octet_as) {
    header(kCapFourOctetAs, 4);
    out.u32(*caps.four_octet_as);
  }
  if (const auto& gr = caps.graceful_restart) {
    if (gr->restart_time > kRestartTimeMask)
      throw EncodeError("graceful restart time " + std::to_string(gr->restart_time) +
                        " does not fit 12 bits");
    if (gr->families.size() > (255 - 2) / 4)
      throw EncodeError("graceful restart lists too many families");
    header(kCapGracefulRestart, uint8_t(2 + 4 * gr->families.size()));
    out.u16(uint16_t((gr->restart_state ? kRestartState : 0) |
                     (gr->notification ? kRestartNotification : 0) | gr->restart_time));
    for (const auto& state : gr->families) {
      out.u16(state.family.afi);
      out.u8(state.family.safi);
      out.u8(state.forwarding_preserved ? kForwardingPreserved : 0);
    }
  }
  for (const auto& cap : caps.unknown) {
    if (cap.value.size() > 255)
      throw EncodeError("capability " + std::to_string(cap.code) + " is over 255 octets");
    header(cap.code, uint8_t(cap.value.size()));
    out.bytes(cap.value);
  }
}

}  // namespace nwbpf::bgp
