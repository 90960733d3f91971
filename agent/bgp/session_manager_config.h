// SPDX-License-Identifier: Apache-2.0
// What the session manager (session_manager.h) runs: who we are, where we
// listen, the configured peers and the listen ranges from which peers may
// connect without being configured (the route server's `bgp_range`).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/backoff.h"
#include "bgp/family.h"
#include "bgp/fsm_config.h"

namespace nwbpf::bgp {

inline constexpr uint16_t kBgpPort = 179;  // RFC 4271 §8.2.1

struct PeerConfig {
  Ipv4 address;  // where we connect, and whose connections we take
  uint16_t port = kBgpPort;
  std::optional<uint32_t> remote_as;  // nullopt: any AS
  bool passive = false;               // never connect: wait for the peer
  std::string password;               // TCP-MD5 key (RFC 2385); empty: none
  bool operator==(const PeerConfig&) const = default;
};

// Sources inside `prefix` may connect; each becomes a passive peer for as
// long as its session lasts. A source inside several ranges gets the most
// specific one (as the kernel picks TCP-MD5 keys). A configured peer's
// address always means that peer.
struct ListenRange {
  Prefix4 prefix;
  std::optional<uint32_t> remote_as;  // nullopt: any AS
  std::string password;               // TCP-MD5 key for the whole prefix
  bool operator==(const ListenRange&) const = default;
};

struct SessionManagerConfig {
  uint32_t local_as = 0;
  Ipv4 router_id;
  uint16_t hold_time = 90;
  // Listen address, and source address of the connections we open;
  // 0.0.0.0: every address, and the kernel picks the source.
  Ipv4 local_address;
  uint16_t listen_port = kBgpPort;  // 0: any free port (tests)
  std::vector<PeerConfig> peers;
  std::vector<ListenRange> listen_ranges;
  std::vector<Family> families{kL2vpnEvpn};
  std::optional<uint16_t> graceful_restart_time = 120;  // see fsm_config.h
  bool forwarding_preserved = false;                    // see fsm_config.h
  std::chrono::steady_clock::duration connect_retry_time = std::chrono::seconds(120);
  DampingConfig damping;
  // RFC 4271 §10 jitter on the timers; off gives exact periods (tests).
  bool jitter = true;
  bool operator==(const SessionManagerConfig&) const = default;
};

// Throws std::invalid_argument naming the first bad field: what fsm_config.h
// refuses, a peer address 0.0.0.0 or listed twice, port 0, a password
// over 80 bytes (the kernel's limit), a range whose prefix length is over
// 32, has host bits set or is listed twice, and a configured peer inside a
// range with another password (the kernel would ask it for the range's).
void validate(const SessionManagerConfig& config);

// The FSM configuration of a session with a peer of AS `remote_as`.
FsmConfig fsm_config(const SessionManagerConfig& config, std::optional<uint32_t> remote_as);

// Whether `address` is inside `prefix`.
bool contains(Prefix4 prefix, Ipv4 address);
// "10.0.0.0/24", for messages.
std::string to_string(Prefix4 prefix);

}  // namespace nwbpf::bgp
