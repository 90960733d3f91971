// SPDX-License-Identifier: Apache-2.0
#include "bgp/rfc7606.h"

#include <array>

namespace nwbpf::bgp {
namespace {

constexpr uint8_t kWellKnown = kFlagTransitive;  // RFC 4271 §5: well-known are transitive
constexpr uint8_t kOptionalTransitive = kFlagOptional | kFlagTransitive;
constexpr uint8_t kOptional = kFlagOptional;

constexpr auto kIgnore = UpdateAction::attribute_discard;
constexpr auto kWithdraw = UpdateAction::treat_as_withdraw;
constexpr auto kReset = UpdateAction::session_reset;

// RFC 7606 §3(c): Optional/Transitive bits in conflict are a malformed
// attribute, treat-as-withdraw unless the attribute's own specification says
// otherwise. The malformed column is §7's row for the attribute.
constexpr std::array kRules{
    //                                                                  malformed  bad flags
    AttributeRule{AttrType::origin, "ORIGIN", kWellKnown, kWithdraw, kWithdraw},  // §7.1
    AttributeRule{AttrType::as_path, "AS_PATH", kWellKnown, kWithdraw, kWithdraw},  // §7.2
    AttributeRule{AttrType::next_hop, "NEXT_HOP", kWellKnown, kWithdraw, kWithdraw},  // §7.3
    AttributeRule{AttrType::multi_exit_disc, "MULTI_EXIT_DISC", kOptional, kWithdraw,
                  kWithdraw},  // §7.4
    AttributeRule{AttrType::local_pref, "LOCAL_PREF", kWellKnown, kWithdraw, kWithdraw},  // §7.5
    AttributeRule{AttrType::atomic_aggregate, "ATOMIC_AGGREGATE", kWellKnown, kIgnore,
                  kWithdraw},  // §7.6
    AttributeRule{AttrType::aggregator, "AGGREGATOR", kOptionalTransitive, kIgnore,
                  kWithdraw},  // §7.7
    AttributeRule{AttrType::communities, "COMMUNITIES", kOptionalTransitive, kWithdraw,
                  kWithdraw},  // §7.8
    AttributeRule{AttrType::originator_id, "ORIGINATOR_ID", kOptional, kWithdraw,
                  kWithdraw},  // §7.9
    AttributeRule{AttrType::cluster_list, "CLUSTER_LIST", kOptional, kWithdraw,
                  kWithdraw},  // §7.10
    // §7.11: a next hop length the family does not allow hides where the NLRI
    // starts, and treat-as-withdraw needs the NLRI (§3(j)); the same holds for
    // any MP attribute we cannot trust, flags included.
    AttributeRule{AttrType::mp_reach_nlri, "MP_REACH_NLRI", kOptional, kReset, kReset},
    AttributeRule{AttrType::mp_unreach_nlri, "MP_UNREACH_NLRI", kOptional, kReset,
                  kReset},  // §7.12
    AttributeRule{AttrType::extended_communities, "EXTENDED_COMMUNITIES", kOptionalTransitive,
                  kWithdraw, kWithdraw},  // §7.14
    // RFC 6793 §6: a malformed AS4_PATH or AS4_AGGREGATOR is discarded (the
    // 2-octet AS_PATH/AGGREGATOR stay usable).
    AttributeRule{AttrType::as4_path, "AS4_PATH", kOptionalTransitive, kIgnore, kWithdraw},
    AttributeRule{AttrType::as4_aggregator, "AS4_AGGREGATOR", kOptionalTransitive, kIgnore,
                  kWithdraw},
    // RFC 6514 §5 predates RFC 7606 and names no approach; following §8's
    // guidance, an attribute that shapes forwarding (the flood list) is
    // treat-as-withdraw.
    AttributeRule{AttrType::pmsi_tunnel, "PMSI_TUNNEL", kOptionalTransitive, kWithdraw,
                  kWithdraw},
};

}  // namespace

const AttributeRule* find_attribute_rule(uint8_t type) {
  for (const auto& rule : kRules)
    if (uint8_t(rule.type) == type) return &rule;
  return nullptr;
}

}  // namespace nwbpf::bgp
