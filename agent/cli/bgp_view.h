// SPDX-License-Identifier: Apache-2.0
// Text of `nwbpf show bgp summary` and `nwbpf show bgp evpn`, from the
// agent's answers (shapes in control/protocol.h). Both read like FRR's
// `show bgp summary` and `show bgp l2vpn evpn route`, so an operator who
// knows those finds the same fields in the same places.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace nwbpf::cli {

// Throw AnswerError (agent_view.h) for an answer of another shape.
std::string bgp_summary_text(const nlohmann::json& result);
std::string bgp_evpn_text(const nlohmann::json& result);

// FRR's Up/Down column: hh:mm:ss below a day, 1d02h03m below a week,
// 01w2d03h after.
std::string up_down_text(int64_t seconds);

// `show bgp evpn` filter words as FRR takes them: "type" followed by 1-5 or
// ead, macip, multicast, es, prefix; "vni" followed by 1-16777215. nullopt
// for words that are not a type.
std::optional<uint8_t> parse_route_type(std::string_view word);

}  // namespace nwbpf::cli
