// SPDX-License-Identifier: Apache-2.0
// One run of nwbpf-evpnbench: play the route reflector of a CE running
// nwbpfd, advertise a table of type-2 routes (evpnbench_routes.h) and End-
// of-RIB, and time until the CE's fdb map holds every route; then withdraw
// them all and time until it holds none. The BGP side is the agent's own
// stack (bgp::SessionManager) on an io_context; a second thread polls the
// map, so polling never holds back the UPDATEs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/net_types.h"
#include "evpnbench_routes.h"

namespace nwbpf::evpnbench {

struct RunSettings {
  Ipv4 local;      // where we listen (the CE's route_reflectors entry)
  Ipv4 peer;       // the CE's address; only it may connect
  uint16_t port = 179;
  TableSpec table;  // table.as is the AS of both sides (iBGP)
  std::string pin_dir;  // the CE's Config::pin_dir()
  pid_t agent_pid = 0;  // the CE's nwbpfd, for its memory
  bool withdraw = true;
  std::chrono::seconds timeout{120};  // for each phase
};

// The result document (README: nwbpf-evpnbench). Throws std::runtime_error
// when the session does not come up or goes down, a phase times out, or the
// fdb map does not hold exactly the table once complete.
nlohmann::json run(const RunSettings& settings);

}  // namespace nwbpf::evpnbench
