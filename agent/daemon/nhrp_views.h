// SPDX-License-Identifier: Apache-2.0
// The JSON answer of `nwbpf show nhrp [cache|nhs|shortcut]` (shape in
// control/protocol.h) from the running NHRP service. Pure apart from
// reading the service: `now` turns deadlines into seconds left.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "daemon/nhrp_service.h"

namespace nwbpf::daemon {

// `table`: "cache", "nhs", "shortcut" or nullopt (everything).
nlohmann::json nhrp_json(const NhrpService& service, const std::optional<std::string>& table,
                         nhrp::TimePoint now);

}  // namespace nwbpf::daemon
