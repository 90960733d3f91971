// SPDX-License-Identifier: Apache-2.0
// Text of `nwbpf show nhrp [cache|nhs|shortcut]` from the agent's answer
// (shape in control/protocol.h): what FRR's `show ip nhrp cache`,
// `show ip nhrp nhs`, `show ip nhrp shortcut` and `show dmvpn` tell a
// DMVPN operator, in the aligned tables of the other views.
//   cache     TYPE, PROTOCOL, NBMA, CLAIMED NBMA, EXPIRES, FLAGS: every
//             overlay -> NBMA binding the node knows: local (itself), nhs,
//             dynamic (a registration, route server), cached (a resolved
//             shortcut), incomplete (resolution in flight), negative.
//             Flags U unique, N NAT'd, T used.
//   nhs       NBMA, PROTOCOL, STATE, EXPIRES, NAT, RETRY, LAST ERROR: the
//             NHSes a CE registers with.
//   shortcut  PROTOCOL, STATE, NBMA, NAT'D, VIA, EXPIRES, REFRESH, USED.
//   (none)    our addresses and roles, the three under headings, counters.
// A list the answer leaves out (no role of the node has it) or that is
// empty is one line saying so.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace nwbpf::cli {

enum class NhrpTable { cache, nhs, shortcut };

// "cache", "nhs" or "shortcut" (the words of FRR's `show ip nhrp`);
// nullopt for anything else.
std::optional<NhrpTable> parse_nhrp_table(std::string_view word);
// The word parse_nhrp_table() takes, as sent in the request's "table".
std::string_view nhrp_table_name(NhrpTable table);

// table nullopt: everything. Throws AnswerError (agent_view.h) for an
// answer of another shape.
std::string nhrp_text(const nlohmann::json& result, std::optional<NhrpTable> table);

}  // namespace nwbpf::cli
