// SPDX-License-Identifier: Apache-2.0
// The ebconfig ACL maps (maps/acl.h) as the agent writes them: a whole rule
// set (AclImage) at a time, swapped in atomically through the generation
// BPF reads once per frame, and the per-rule counters of the set in force.
#pragma once

#include <cstdint>
#include <vector>

#include "dataplane/acl_image.h"
#include "dataplane/bpf_map.h"
#include "maps/acl.h"

namespace nwbpf {

// The five ACL maps, typed (DatapathMaps::acl).
struct AclMaps {
  BpfMap<__u32, __u32> active;  // key 0: the generation frames read
  BpfMap<nwbpf_acl_vlan_key, nwbpf_acl_vlan> vlans;
  BpfMap<nwbpf_acl_ip_key, nwbpf_acl_hit> ip;
  BpfMap<nwbpf_acl_mac_key, nwbpf_acl_hit> mac;
  PerCpuArray<nwbpf_acl_counter> counters;  // gen * NWBPF_ACL_MAX_RULES + index
};

// What one generation may hold: half of each map, so that the next set
// always fits beside the one in force.
inline constexpr size_t kAclMaxVlans = NWBPF_ACL_MAX_VLANS / 2;
inline constexpr size_t kAclMaxIpKeys = NWBPF_ACL_MAX_IP_KEYS / 2;
inline constexpr size_t kAclMaxMacs = NWBPF_ACL_MAX_MACS / 2;

class AclTable {
 public:
  // Borrows maps, which must outlive the table.
  explicit AclTable(AclMaps& maps) : maps_(maps) {}

  // Puts image in force. Checks it first (sizes against the limits above
  // and NWBPF_ACL_MAX_RULES / _SHAPES, gen 0 in every key, rule indexes
  // below rule_count, actions): std::invalid_argument saying what is wrong,
  // before anything is written. Then: clears whatever a failed or
  // interrupted apply left in the inactive generation, writes the image
  // there, zeroes its counters 0..rule_count, flips acl_active to it (the
  // one write frames see), and deletes the old generation's entries.
  // A failure before the flip (BpfError: map full, no memory) removes what
  // it wrote and leaves the generation in force untouched; a failure to
  // delete the old entries after the flip leaves them unread (the next
  // apply clears them first) and is reported as a BpfError too.
  void apply(const AclImage& image);

  // Packets and bytes of indexes 0..rule_count of the generation in force,
  // summed over CPUs. std::invalid_argument if rule_count is above
  // NWBPF_ACL_MAX_RULES.
  std::vector<nwbpf_acl_counter> counters(uint32_t rule_count) const;

  // 0 or 1: the generation frames read.
  uint32_t active_generation() const;

 private:
  void erase_generation(uint8_t gen);
  void write(const AclImage& image, uint8_t gen);
  void zero_counters(uint8_t gen, uint32_t rule_count);

  AclMaps& maps_;
};

// The checks of AclTable::apply, on their own: throws std::invalid_argument.
void check_acl_image(const AclImage& image);

}  // namespace nwbpf
