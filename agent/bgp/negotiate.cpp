// SPDX-License-Identifier: Apache-2.0
#include "bgp/negotiate.h"

#include <algorithm>
#include <string>

#include "common/wire.h"

namespace nwbpf::bgp {

namespace {

// Field offsets in an OPEN message, header included (RFC 4271 §4.2).
constexpr size_t kMyAsAt = 20;
constexpr size_t kHoldTimeAt = 22;
constexpr size_t kBgpIdAt = 24;
constexpr size_t kOptionalParametersAt = 28;

Error open_error(OpenError subcode, size_t offset, std::string text, wire::Bytes data = {}) {
  return Error::make(ErrorCode::open_message, subcode, offset, "OPEN: " + std::move(text),
                     std::move(data));
}

std::string family_text(Family f) {
  if (f == kIpv4Unicast) return "IPv4 unicast";
  if (f == kL2vpnEvpn) return "L2VPN EVPN";
  return "AFI " + std::to_string(f.afi) + " SAFI " + std::to_string(f.safi);
}

std::string families_text(const std::vector<Family>& families) {
  std::string text;
  for (const auto& f : families) text += (text.empty() ? "" : ", ") + family_text(f);
  return text;
}

// Our MP capabilities as they stand in OPEN, the data of Unsupported
// Capability (RFC 5492 §3).
wire::Bytes multiprotocol_capabilities(const std::vector<Family>& families) {
  Capabilities caps;
  caps.multiprotocol = families;
  wire::Bytes out;
  wire::Writer w(out);
  encode_capabilities(caps, w);
  return out;
}

std::optional<Error> check_peer_as(const FsmConfig& config, const Open& peer) {
  const uint32_t as = peer.as_number();
  if (as == 0)
    return open_error(OpenError::bad_peer_as, kMyAsAt, "peer AS 0 is reserved (RFC 7607)");
  if (!peer.capabilities.four_octet_as && peer.my_as == kAsTrans)
    return open_error(OpenError::bad_peer_as, kMyAsAt,
                      "AS_TRANS without the 4-octet AS capability");
  if (config.peer_as && as != *config.peer_as)
    return open_error(
        OpenError::bad_peer_as, kMyAsAt,
        "peer AS " + std::to_string(as) + ", expected " + std::to_string(*config.peer_as));
  return std::nullopt;
}

}  // namespace

Open local_open(const FsmConfig& config) {
  Capabilities caps;
  caps.multiprotocol = config.families;
  caps.route_refresh = true;
  if (config.graceful_restart_time) {
    caps.graceful_restart.emplace();
    caps.graceful_restart->restart_time = *config.graceful_restart_time;
    if (config.forwarding_preserved)
      for (Family f : config.families) caps.graceful_restart->families.push_back({f, true});
  }
  return make_open(config.local_as, config.hold_time, config.router_id, std::move(caps));
}

Result<Session> negotiate(const FsmConfig& config, const Open& peer) {
  if (auto error = check_peer_as(config, peer)) return *error;
  if (peer.hold_time == 1 || peer.hold_time == 2)
    return open_error(OpenError::unacceptable_hold_time, kHoldTimeAt,
                      "hold time " + std::to_string(peer.hold_time) + " s (0 or at least 3)");
  Session s;
  s.peer_as = peer.as_number();
  s.peer_id = peer.bgp_id;
  s.internal = s.peer_as == config.local_as;
  if (peer.bgp_id.be == 0)
    return open_error(OpenError::bad_bgp_identifier, kBgpIdAt, "BGP identifier 0.0.0.0");
  if (s.internal && peer.bgp_id == config.router_id)
    return open_error(OpenError::bad_bgp_identifier, kBgpIdAt,
                      "BGP identifier " + peer.bgp_id.str() + " is ours");

  const auto& offered = peer.capabilities.multiprotocol;
  for (const auto& f : config.families)
    if (offered.empty() ? f == kIpv4Unicast : std::ranges::count(offered, f) > 0)
      s.families.push_back(f);
  if (s.families.empty())
    return open_error(
        OpenError::unsupported_capability, kOptionalParametersAt,
        "no address family in common (we offer " + families_text(config.families) + ")",
        multiprotocol_capabilities(config.families));

  s.hold_time = std::chrono::seconds(std::min(config.hold_time, peer.hold_time));
  s.keepalive_time = s.hold_time / 3;
  s.four_octet_as = peer.capabilities.four_octet_as.has_value();
  s.route_refresh = peer.capabilities.route_refresh;
  if (config.graceful_restart_time) s.peer_graceful_restart = peer.capabilities.graceful_restart;
  return s;
}

}  // namespace nwbpf::bgp
