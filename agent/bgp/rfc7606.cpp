// SPDX-License-Identifier: Apache-2.0
#include "bgp/rfc7606.h"

#include <array>

namespace nwbpf::bgp {
namespace {

constexpr uint8_t kWellKnown = kFlagTransitive;  // RFC 4271 §5: well-known are transitive
constexpr uint8_t kOptionalTransitive = kFlagOptional | kFlagTransitive;
constexpr uint8_t kOptional = kFlagOptional;

constexpr auto kDiscard = UpdateAction::attribute_discard;
constexpr auto kWithdraw = UpdateAction::treat_as_withdraw;
constexpr auto kReset = UpdateAction::session_reset;
using T = AttrType;

// clang-format off
// Bad flags: RFC 7606 §3(c) makes Optional/Transitive bits in conflict a
// malformed attribute, treat-as-withdraw unless the attribute's own
// specification says otherwise. Malformed: the attribute's row in §7.
constexpr std::array kRules{
  //           type                     name                    flags                 malformed  bad flags
  AttributeRule{T::origin,               "ORIGIN",               kWellKnown,           kWithdraw, kWithdraw},  // §7.1
  AttributeRule{T::as_path,              "AS_PATH",              kWellKnown,           kWithdraw, kWithdraw},  // §7.2
  AttributeRule{T::next_hop,             "NEXT_HOP",             kWellKnown,           kWithdraw, kWithdraw},  // §7.3
  AttributeRule{T::multi_exit_disc,      "MULTI_EXIT_DISC",      kOptional,            kWithdraw, kWithdraw},  // §7.4
  AttributeRule{T::local_pref,           "LOCAL_PREF",           kWellKnown,           kWithdraw, kWithdraw},  // §7.5
  AttributeRule{T::atomic_aggregate,     "ATOMIC_AGGREGATE",     kWellKnown,           kDiscard,  kWithdraw},  // §7.6
  AttributeRule{T::aggregator,           "AGGREGATOR",           kOptionalTransitive,  kDiscard,  kWithdraw},  // §7.7
  AttributeRule{T::communities,          "COMMUNITIES",          kOptionalTransitive,  kWithdraw, kWithdraw},  // §7.8
  AttributeRule{T::originator_id,        "ORIGINATOR_ID",        kOptional,            kWithdraw, kWithdraw},  // §7.9
  AttributeRule{T::cluster_list,         "CLUSTER_LIST",         kOptional,            kWithdraw, kWithdraw},  // §7.10
  // §7.11/§7.12: a next hop length the family does not allow hides where the
  // NLRI starts, and treat-as-withdraw needs the NLRI (§3(j)); the same holds
  // for any MP attribute we cannot trust, flags included.
  AttributeRule{T::mp_reach_nlri,        "MP_REACH_NLRI",        kOptional,            kReset,    kReset},
  AttributeRule{T::mp_unreach_nlri,      "MP_UNREACH_NLRI",      kOptional,            kReset,    kReset},
  AttributeRule{T::extended_communities, "EXTENDED_COMMUNITIES", kOptionalTransitive,  kWithdraw, kWithdraw},  // §7.14
  // RFC 6793 §6: a malformed AS4_PATH or AS4_AGGREGATOR is discarded (the
  // 2-octet AS_PATH/AGGREGATOR stay usable).
  AttributeRule{T::as4_path,             "AS4_PATH",             kOptionalTransitive,  kDiscard,  kWithdraw},
  AttributeRule{T::as4_aggregator,       "AS4_AGGREGATOR",       kOptionalTransitive,  kDiscard,  kWithdraw},
  // RFC 6514 §5 predates RFC 7606 and names no approach; following §8's
  // guidance, an attribute that shapes forwarding (the flood list) is
  // treat-as-withdraw.
  AttributeRule{T::pmsi_tunnel,          "PMSI_TUNNEL",          kOptionalTransitive,  kWithdraw, kWithdraw},
};
// clang-format on

}  // namespace

const AttributeRule* find_attribute_rule(uint8_t type) {
  for (const auto& rule : kRules)
    if (uint8_t(rule.type) == type) return &rule;
  return nullptr;
}

}  // namespace nwbpf::bgp
