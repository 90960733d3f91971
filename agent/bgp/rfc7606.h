// SPDX-License-Identifier: Apache-2.0
// How a receiver handles a bad path attribute (RFC 7606 §2, §3, §7): the one
// table the UPDATE decoder consults, one row per attribute it knows.
#pragma once

#include <cstdint>

#include "bgp/attributes.h"
#include "bgp/update.h"

namespace nwbpf::bgp {

struct AttributeRule {
  AttrType type;
  const char* name;        // as RFCs and logs spell it
  uint8_t flags;           // the Optional and Transitive bits it must carry
  UpdateAction malformed;  // a bad length or value
  UpdateAction bad_flags;  // Optional/Transitive conflicting with `flags`
};

// The row for an attribute type code, or nullptr for types this codec does
// not know (RFC 4271 §5: those are handled by their flags).
const AttributeRule* find_attribute_rule(uint8_t type);

// Outcomes that are not about one attribute's content.
// RFC 7606 §4: an attribute header or length that overruns the attribute
// field; the field's total length still locates the NLRI.
inline constexpr UpdateAction kOnAttributeOverrun = UpdateAction::treat_as_withdraw;
// ... unless the attribute cut short is MP_REACH_NLRI / MP_UNREACH_NLRI: its
// NLRI is lost, and treat-as-withdraw needs it (§3(j)).
inline constexpr UpdateAction kOnMpOverrun = UpdateAction::session_reset;
// RFC 7606 §3(g): MP_REACH_NLRI / MP_UNREACH_NLRI twice resets the session;
// later copies of any other attribute are discarded.
inline constexpr UpdateAction kOnDuplicateMp = UpdateAction::session_reset;
inline constexpr UpdateAction kOnDuplicate = UpdateAction::attribute_discard;
// RFC 7606 §3(d): a well-known mandatory attribute missing.
inline constexpr UpdateAction kOnMissingMandatory = UpdateAction::treat_as_withdraw;
// RFC 4271 §6.3 (not relaxed by RFC 7606): an unrecognized well-known attribute.
inline constexpr UpdateAction kOnUnknownWellKnown = UpdateAction::session_reset;
// RFC 7606 §5.3: withdrawn routes or NLRI that cannot be parsed; treat-as-
// withdraw needs them (§3(j)), so only a reset is left.
inline constexpr UpdateAction kOnBadNlri = UpdateAction::session_reset;

}  // namespace nwbpf::bgp
