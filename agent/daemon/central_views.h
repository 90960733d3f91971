// SPDX-License-Identifier: Apache-2.0
// The JSON answer of `nwbpf show portconfig` (shape in control/protocol.h):
// the fetched portconfig (desired) beside what the data plane has for its
// ports (applied), and every [fetch] source's fetch status. Pure: `now`
// turns times into ages.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <vector>

#include "daemon/central_client.h"
#include "daemon/desired_state.h"

namespace nwbpf::daemon {

// `applied`: the desired state's port views (their state: up, down or
// missing). Times are UTC "YYYY-MM-DDTHH:MM:SSZ" with their age in seconds.
nlohmann::json portconfig_json(const CentralClient& client, const std::vector<PortView>& applied,
                               std::chrono::system_clock::time_point now);

}  // namespace nwbpf::daemon
