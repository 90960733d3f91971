// SPDX-License-Identifier: Apache-2.0
// One named spdlog logger per subsystem ("config", "dataplane", "reconcile",
// "events", "control", ...), all sharing one sink and level.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace nwbpf::log {

// Sets the level of every logger ("trace".."critical", "off"). Throws
// std::invalid_argument on an unknown name.
void set_level(const std::string& level);
// The named logger, created on first use.
std::shared_ptr<spdlog::logger> get(const std::string& subsystem);

}  // namespace nwbpf::log
