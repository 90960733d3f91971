// SPDX-License-Identifier: Apache-2.0
#include "views/acl_view.h"

#include "common/utc_time.h"
#include <stdexcept>

namespace nwbpf::views {

namespace {

using json = nlohmann::ordered_json;

json rule_json(const AclRuleRef& ref, uint32_t index, const nwbpf_acl_counter& counter) {
  json j = {{"index", index}};
  if (ref.position) {
    j["position"] = *ref.position;
    if (ref.filter == AclFilterKind::ip) {
      j["proto"] = ref.proto;
      j["src"] = ref.src;
      j["sport"] = ref.sport;
      j["dst"] = ref.dst;
      j["dport"] = ref.dport;
    } else {
      j["mac"] = ref.mac;
    }
  }
  j["action"] = describe(ref.action);
  j["packets"] = counter.packets;
  j["bytes"] = counter.bytes;
  return j;
}

}  // namespace

json acl_json(const std::vector<AclRuleRef>& rules, const std::vector<nwbpf_acl_counter>& counters,
              std::optional<uint16_t> vlan, const std::optional<AclSource>& source) {
  if (counters.size() < rules.size())
    throw std::invalid_argument("ACL counters cover " + std::to_string(counters.size()) +
                                " rule indexes, the rule set has " +
                                std::to_string(rules.size()));
  json vlans = json::array();
  for (uint32_t i = 0; i < rules.size(); ++i) {
    const AclRuleRef& ref = rules[i];
    if (vlan && ref.vlan != *vlan) continue;
    // A VLAN's indexes are contiguous (compile_acl).
    if (vlans.empty() || vlans.back()["vlan"] != ref.vlan) vlans.push_back({{"vlan", ref.vlan}});
    json& filter = vlans.back()[ref.filter == AclFilterKind::ip ? "ip_filter" : "mac_filter"];
    if (filter.is_null()) filter = {{"rules", json::array()}};
    json rule = rule_json(ref, i, counters[i]);
    if (ref.position)
      filter["rules"].push_back(std::move(rule));
    else
      filter["default"] = std::move(rule);
  }
  json src = nullptr;
  if (source) src = {{"url", source->url}, {"applied", utc_text(source->applied)}};
  return {{"source", std::move(src)}, {"vlans", std::move(vlans)}};
}

}  // namespace nwbpf::views
