// SPDX-License-Identifier: Apache-2.0
// portconfig: which edge ports a CE bridges into the overlay and with which
// VLANs, as Nante-WAN's config server hands it out
// (<dir>/portconfig/<overlay address>.json). Schema and every rule: README.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "central/error.h"

namespace nwbpf::central {

struct PortEntry {
  std::string name;  // an interface name (the kernel's rules); not checked to exist here
  bool tagged = false;
  // Distinct, in file order. Untagged: every VLAN leaves untagged and the
  // last listed is the PVID, as Nante-WAN's `bridge vlan add ... pvid` in
  // list order leaves it. Tagged: all tagged, no PVID.
  std::vector<uint16_t> vlans;
  bool operator==(const PortEntry&) const = default;
};

struct PortConfig {
  std::string name;              // Nante-WAN's bridge; nwbpf has none and only shows it
  std::vector<PortEntry> ports;  // distinct names, in file order
  bool operator==(const PortConfig&) const = default;
};

// The file, or every problem in it; pure (no file or interface is looked at).
Result<Parsed<PortConfig>> parse_portconfig(std::string_view json);

}  // namespace nwbpf::central
