// SPDX-License-Identifier: Apache-2.0
// ebconfig: per-VLAN filters on the frames a CE sends from its edge into the
// overlay, as Nante-WAN's config server hands them out
// (<dir>/ebconfig/<overlay address>.json). Schema, every rule and how a frame
// is matched: README.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "bgp/family.h"
#include "central/error.h"
#include "common/net_types.h"

namespace nwbpf::central {

enum class Action : uint8_t { permit, deny };

// An IP protocol number, or any protocol.
struct Protocol {
  std::optional<uint8_t> number;  // nullopt: "any"
  // The protocols whose headers start with 16-bit source and destination
  // ports (TCP, UDP, DCCP, SCTP): the ones ebtables' --ip-sport/--ip-dport
  // accept, and the only ones a port rule may name.
  bool has_ports() const;
  bool operator==(const Protocol&) const = default;
};

// Ports first..last, both included; the default is every port.
struct PortRange {
  uint16_t first = 0;
  uint16_t last = 65535;
  bool operator==(const PortRange&) const = default;
};

struct IpRule {
  Protocol proto;
  bgp::Prefix4 src{};  // no bits past the length; absent: 0.0.0.0/0
  PortRange src_port;  // narrower than every port only when proto.has_ports()
  bgp::Prefix4 dst{};
  PortRange dst_port;
  Action action = Action::deny;  // Nante-WAN's default for a rule without one
  bool operator==(const IpRule&) const = default;
};

// IPv4 frames: the first rule that matches decides, else default_action.
struct IpFilter {
  Action default_action = Action::permit;
  std::vector<IpRule> rules;
  bool operator==(const IpFilter&) const = default;
};

struct MacRule {
  Mac mac;  // matched against the frame's source MAC
  Action action = Action::deny;
  bool operator==(const MacRule&) const = default;
};

// Frames the ip-filter does not take: the first rule whose MAC is the
// source decides, else default_action.
struct MacFilter {
  Action default_action = Action::permit;
  std::vector<MacRule> rules;
  bool operator==(const MacFilter&) const = default;
};

// The filters of one VLAN (= VNI). A filter left out filters nothing: with
// no ip-filter, IPv4 frames go to the mac-filter like any other frame.
struct VlanFilters {
  uint16_t vlan = 0;
  std::optional<IpFilter> ip;
  std::optional<MacFilter> mac;
  bool operator==(const VlanFilters&) const = default;
};

struct Ebconfig {
  std::vector<VlanFilters> vlans;  // distinct VLANs, in file order
  bool operator==(const Ebconfig&) const = default;
};

// The file, or every problem in it; pure.
Result<Parsed<Ebconfig>> parse_ebconfig(std::string_view json);

}  // namespace nwbpf::central
