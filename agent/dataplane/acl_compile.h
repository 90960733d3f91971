// SPDX-License-Identifier: Apache-2.0
// ebconfig -> the ACL maps' entries (maps/acl.h). Pure; the ACL table
// writer (acl_table.h) puts the result in the maps.
//
// How an ebconfig becomes map entries:
// - Every rule and every default gets a rule index (its counter slot and
//   its priority), VLAN after VLAN in file order: the VLAN's ip rules, the
//   ip default, its mac rules, the mac default, of the filters it has. A
//   VLAN with neither filter gets no acl_vlans entry: its frames pass.
// - An ip rule's shape is its masks: protocol exact or any, the two prefix
//   lengths, and a mask per port. A port range a:b is the fewest aligned
//   blocks (value, mask) that cover exactly it (1024:65535 is 6, at most
//   30), and the rule is the product of its source and destination blocks,
//   one acl_ip key each (the masked values). Rules of one VLAN sharing
//   masks share a shape, so the lookup costs one hash probe per shape, not
//   per rule. Shapes are numbered by the lowest rule index they hold (what
//   the BPF walk's early stop needs); a key an earlier rule of the VLAN
//   already produced is left out (it could only lose), as is a MAC a
//   mac-filter names twice; every rule keeps its index all the same, so
//   indexes and counters follow the file.
// - Limits, each refused with its numbers and the VLAN where it is passed:
//   64 shapes per VLAN (the array in acl_vlans' value), 16384 indexes
//   (rules and defaults, NWBPF_ACL_MAX_RULES), and half of acl_ip's
//   entries (131072 per rule set: the next set is written beside the one in
//   force). MACs need no limit of their own: each is an index. A file past
//   a limit is refused whole; the set in force stays.
// Cost: keys = sum over ip rules of (source blocks x destination blocks);
// shapes = distinct mask tuples per VLAN, which a file with /32 hosts and
// single ports keeps to a handful however many rules it has.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/family.h"
#include "central/ebconfig.h"
#include "central/error.h"
#include "dataplane/acl_image.h"

namespace nwbpf {

enum class AclFilterKind : uint8_t { ip, mac };

// What one rule index of an AclImage stands for (its counter's meaning).
struct AclRuleRef {
  uint16_t vlan = 0;
  AclFilterKind filter = AclFilterKind::ip;
  std::optional<uint32_t> position;  // 0-based among the filter's rules; nullopt: its default
  central::Action action = central::Action::permit;
  // The rule as the operator reads it (describe() below); empty for a
  // default. ip rules: proto, src, sport, dst, dport; mac rules: mac.
  std::string proto, src, sport, dst, dport, mac;
  bool operator==(const AclRuleRef&) const = default;
};

struct AclCompiled {
  AclImage image;
  std::vector<AclRuleRef> rules;  // rules[i]: rule index i; size() == image.rule_count
};

// Every rule and default gets an index, VLAN after VLAN in file order: its
// ip rules, the ip default, its mac rules, the mac default (of the filters
// present). A key another rule of the VLAN already produced (same shape,
// same masked values) is left out: the earlier rule wins there, as a first
// match does. On a data-plane limit the whole file is refused, every limit
// passed named in the error, e.g. "VLAN 10 needs 70 rule shapes; the data
// plane handles 64".
central::Result<AclCompiled> compile_acl(const central::Ebconfig& config);

// A port range as the fewest aligned blocks that cover exactly it: a port p
// is in the range iff (p & mask) == value for one block. 0:65535 is one
// block of mask 0; a range needs at most 30.
struct PortBlock {
  uint16_t value = 0;
  uint16_t mask = 0;
  bool operator==(const PortBlock&) const = default;
};
std::vector<PortBlock> port_blocks(central::PortRange range);

// Display text, as the file would write the value: "any", the protocol's
// name (central::protocol_name) or else its number; "10.0.0.0/8"; "any", "80" or "1024:65535"; "permit"/"deny".
std::string describe(const central::Protocol& proto);
std::string describe(const bgp::Prefix4& prefix);
std::string describe(const central::PortRange& range);
const char* describe(central::Action action);

}  // namespace nwbpf
