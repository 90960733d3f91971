// SPDX-License-Identifier: Apache-2.0
// Text of `nwbpf show config-server` from the agent's answer (shape in
// control/protocol.h): whether the server listens and watches its
// directory (and why not), the folders with their CEs' kick ports, the
// kick counters, the kicks still pending and the recent changes with what
// became of their kick.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nwbpf::cli {

// Throws AnswerError (agent_view.h) for an answer of another shape.
std::string config_server_text(const nlohmann::json& result);

}  // namespace nwbpf::cli
