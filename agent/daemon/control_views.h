// SPDX-License-Identifier: Apache-2.0
// The "result" JSON of each show command (shapes in control/protocol.h),
// built from plain data so the shapes are unit-tested without maps.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/desired_state.h"

namespace nwbpf::daemon {

nlohmann::json ports_json(const std::vector<PortView>& ports);

// Static peers with the VNIs whose flood lists name them.
nlohmann::json peers_json(const Config& config);

}  // namespace nwbpf::daemon
