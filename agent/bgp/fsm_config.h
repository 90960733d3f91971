// SPDX-License-Identifier: Apache-2.0
// What one BGP session's FSM is told about its peer and itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "bgp/backoff.h"
#include "bgp/family.h"
#include "bgp/timers.h"
#include "common/net_types.h"

namespace nwbpf::bgp {

struct FsmConfig {
  uint32_t local_as = 0;
  Ipv4 router_id;                   // our BGP Identifier (the overlay address)
  std::optional<uint32_t> peer_as;  // nullopt: any AS (a listen range's peers)
  uint16_t hold_time = 90;          // seconds we offer: 0 (no KEEPALIVEs) or >= 3
  Duration connect_retry_time = std::chrono::seconds(120);  // RFC 4271 §10
  std::vector<Family> families{kL2vpnEvpn};                 // offered, as MP capabilities
  // Restart Time we advertise in the Graceful Restart capability (RFC 4724
  // §3). nullopt: no capability, and no helper mode.
  std::optional<uint16_t> graceful_restart_time = 120;
  // Whether the capability lists our families with the Forwarding State
  // bit: the forwarding built from them outlives a restart of the speaker
  // (nwbpfd leaves its BPF programs attached and the maps pinned), so peers
  // keep our routes while we restart. false: a helper only, no families.
  bool forwarding_preserved = false;
  DampingConfig damping;
  Jitter jitter;  // empty: periods as configured
};

// Throws std::invalid_argument naming the first bad field: AS 0, router-id
// 0.0.0.0, a hold time of 1 or 2 s (RFC 4271 §4.2), a connect retry time or
// damping wait that is not positive, no families or a repeated one, a
// restart time over 4095 s (12 bits, RFC 4724 §3).
void validate(const FsmConfig& config);

}  // namespace nwbpf::bgp
