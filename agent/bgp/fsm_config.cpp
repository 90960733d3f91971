// SPDX-License-Identifier: Apache-2.0
#include "bgp/fsm_config.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace nwbpf::bgp {

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("bgp session config: " + what);
}

}  // namespace

void validate(const FsmConfig& config) {
  require(config.local_as != 0, "local AS 0 is reserved (RFC 7607)");
  require(config.router_id.be != 0, "router-id 0.0.0.0 is not a BGP Identifier");
  require(config.peer_as != 0u, "peer AS 0 is reserved (RFC 7607)");
  require(config.hold_time == 0 || config.hold_time >= 3,
          "hold time " + std::to_string(config.hold_time) + " s: must be 0 or at least 3");
  require(config.connect_retry_time > Duration::zero(), "connect retry time must be positive");
  require(!config.families.empty(), "no address family");
  auto families = config.families;
  std::sort(families.begin(), families.end());
  require(std::adjacent_find(families.begin(), families.end()) == families.end(),
          "an address family is listed twice");
  require(config.graceful_restart_time.value_or(0) <= 0xfff, "graceful restart time over 4095 s");
  require(config.damping.initial > Duration::zero(), "idle hold time must be positive");
  require(config.damping.max >= config.damping.initial,
          "maximum idle hold time below the initial one");
}

}  // namespace nwbpf::bgp
