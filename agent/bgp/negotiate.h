// SPDX-License-Identifier: Apache-2.0
// The OPEN exchange as the FSM sees it: the OPEN we send, and the checks
// on the peer's OPEN that need our configuration (RFC 4271 §6.2; the codec
// checks only syntax), giving what the two sides agreed on.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "bgp/capabilities.h"
#include "bgp/error.h"
#include "bgp/family.h"
#include "bgp/fsm_config.h"
#include "bgp/open.h"

namespace nwbpf::bgp {

// What a session negotiated, reported when it reaches Established.
struct Session {
  uint32_t peer_as = 0;
  Ipv4 peer_id;
  bool internal = false;  // iBGP: the peer is in our AS
  // min(ours, theirs) (RFC 4271 §4.2); zero: no HoldTimer, no KEEPALIVEs.
  std::chrono::seconds hold_time{0};
  std::chrono::seconds keepalive_time{0};  // hold_time / 3 (RFC 4271 §10)
  bool four_octet_as = false;              // both sent the capability (RFC 6793 §4)
  bool route_refresh = false;              // the peer accepts ROUTE-REFRESH (RFC 2918)
  std::vector<Family> families;            // offered by both, in our order
  // The peer's Graceful Restart capability when both sides advertised one
  // (RFC 4724 §3): its restart time and per-family forwarding state.
  std::optional<GracefulRestart> peer_graceful_restart;
  bool operator==(const Session&) const = default;
};

// The OPEN we send: our AS (AS_TRANS plus the 4-octet AS capability when it
// needs 4 octets), hold time, router-id, one MP capability per family,
// ROUTE-REFRESH, and Graceful Restart as a helper when configured.
Open local_open(const FsmConfig& config);

// Checks the peer's OPEN against our configuration, in the order of RFC 4271
// §6.2 (the codec has rejected versions other than 4), and returns the
// session or the OPEN Message Error to send:
// - AS 0 (RFC 7607), AS_TRANS without the 4-octet AS capability (the real
//   AS is unknown, RFC 6793 §4.1) or not the configured AS: Bad Peer AS;
// - hold time 1 or 2: Unacceptable Hold Time;
// - identifier 0, or ours from an internal peer (RFC 6286 §2.2; an external
//   peer may share it, §2.3 settles collisions by AS): Bad BGP Identifier;
// - no family in common: Unsupported Capability, data = our MP capabilities
//   (RFC 5492 §3). A peer without MP capabilities speaks IPv4 unicast.
// The error's offset is the field's offset in the message.
Result<Session> negotiate(const FsmConfig& config, const Open& peer);

}  // namespace nwbpf::bgp
