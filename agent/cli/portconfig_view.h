// SPDX-License-Identifier: Apache-2.0
// Text of `nwbpf show portconfig` from the agent's answer (shape in
// control/protocol.h): per [fetch] source (portconfig, then ebconfig) its
// URL, where it connects, its kick listener, the last fetch and its
// result, the counts, and what became of the last file (applied, or
// rejected with every problem while the last good one stays); then the
// portconfig in force, desired (the file: bridge, ports, tagged, VLANs,
// PVID) beside applied (the port's device in the data plane: up, down or
// missing).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nwbpf::cli {

// Throws AnswerError (agent_view.h) for an answer of another shape.
std::string portconfig_text(const nlohmann::json& result);

}  // namespace nwbpf::cli
