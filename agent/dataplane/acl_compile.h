// SPDX-License-Identifier: Apache-2.0
// ebconfig -> the ACL maps' entries (maps/acl.h): rule indexes, rule shapes,
// port ranges as aligned blocks, and the data plane's limits. Pure. How
// and why: README.md, "The ebconfig ACL".
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

// Display text, as the file would write the value: "any" or the protocol
// number; "10.0.0.0/8"; "any", "80" or "1024:65535"; "permit"/"deny".
std::string describe(const central::Protocol& proto);
std::string describe(const bgp::Prefix4& prefix);
std::string describe(const central::PortRange& range);
const char* describe(central::Action action);

}  // namespace nwbpf
