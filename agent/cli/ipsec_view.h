// SPDX-License-Identifier: Apache-2.0
// Text of `nwbpf show ipsec` from the agent's answer (shape in
// control/protocol.h): the mode, our address and charon's socket, then one
// block per peer: whether the data plane may send to it (only over an SA),
// its connection in charon, and each IKE_SA with its CHILD_SAs as the last
// listing saw them. Peers that set up SAs with us without being wanted here
// (through the responder "nwbpf-any") get a block of their own.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nwbpf::cli {

// Throws AnswerError (agent_view.h) for an answer of another shape.
std::string ipsec_text(const nlohmann::json& result);

}  // namespace nwbpf::cli
