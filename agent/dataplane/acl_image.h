// SPDX-License-Identifier: Apache-2.0
// A compiled ebconfig rule set: the entries of the ACL maps (maps/acl.h)
// exactly as BPF reads them, with gen = 0 in every key. The compiler
// (dataplane/acl_compile.h) makes one from an ebconfig; the ACL table
// writer (dataplane/acl_table.h) writes it under the inactive generation
// and flips to it.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "maps/acl.h"

namespace nwbpf {

struct AclImage {
  std::vector<std::pair<nwbpf_acl_vlan_key, nwbpf_acl_vlan>> vlans;
  std::vector<std::pair<nwbpf_acl_ip_key, nwbpf_acl_hit>> ip;
  std::vector<std::pair<nwbpf_acl_mac_key, nwbpf_acl_hit>> mac;
  uint32_t rule_count = 0;  // indexes 0..rule_count) used (rules and defaults)
};

}  // namespace nwbpf
