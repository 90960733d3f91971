// SPDX-License-Identifier: Apache-2.0
// `nwbpf show acl [vlan N]`: the ebconfig rule set in force, rule by rule
// in file order, each with the packets and bytes its counter took. nwbpfd
// answers with this JSON (it alone knows the rules behind the indexes);
// the CLI prints it with cli/acl_view.h. Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dataplane/acl_compile.h"
#include "maps/acl.h"

namespace nwbpf::views {

// Where the rule set came from.
struct AclSource {
  std::string url;                                // the ebconfig fetched
  std::chrono::system_clock::time_point applied;  // when it went into force
};

// {"source": null | {"url", "applied" ("2026-11-22T16:13:53Z")},
//  "vlans": [{"vlan",
//    "ip_filter" (left out when the VLAN has none): {
//      "rules": [{"index", "position", "proto", "src", "sport", "dst",
//                 "dport", "action", "packets", "bytes"}],
//      "default": {"index", "action", "packets", "bytes"}},
//    "mac_filter" (likewise): {
//      "rules": [{"index", "position", "mac", "action", "packets", "bytes"}],
//      "default": {...}}}]}
// VLANs and rules in file order; "index" is the rule's counter index,
// "position" its place among its filter's rules (rules[position] in the
// file); texts as compile_acl() describes them. `counters[i]` is index i
// summed over CPUs; `vlan` keeps only that VLAN (none: "vlans" is empty).
// Throws std::invalid_argument if counters has fewer entries than rules.
nlohmann::ordered_json acl_json(const std::vector<AclRuleRef>& rules,
                                const std::vector<nwbpf_acl_counter>& counters,
                                std::optional<uint16_t> vlan,
                                const std::optional<AclSource>& source);

}  // namespace nwbpf::views
