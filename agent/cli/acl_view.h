// SPDX-License-Identifier: Apache-2.0
// Text of `nwbpf show acl [vlan N]` from the agent's answer (shape in
// views/acl_view.h): where the rule set came from, then per VLAN its
// ip-filter and its mac-filter, each a table of its rules in file order
// and its default last, with the packets and bytes each took:
//   VLAN 10 ip-filter
//   INDEX  PROTO    SRC        SPORT  DST          DPORT  ACTION  PACKETS  BYTES
//       0  6        0.0.0.0/0  any    10.0.0.1/32  any    deny          4    240
//       3  default                                        permit      120  98000
// Pure.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace nwbpf::cli {

// vlan: the request's filter, for the line saying there is nothing to show.
// Throws AnswerError (agent_view.h) for an answer of another shape.
std::string acl_text(const nlohmann::json& result, std::optional<uint16_t> vlan);

}  // namespace nwbpf::cli
