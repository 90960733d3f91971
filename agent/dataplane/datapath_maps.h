// SPDX-License-Identifier: Apache-2.0
// Every map of the data plane, typed. Built from a loaded skeleton (agent)
// or from the pin directory (CLI, tests), so both read the same structures.
#pragma once

#include <string>

#include "dataplane/acl_table.h"
#include "dataplane/bpf_map.h"
#include "dataplane/fdb_map.h"
#include "dataplane/slot_layouts.h"
#include "maps/fdb.h"
#include "maps/flood.h"
#include "maps/names.h"
#include "maps/nexthop.h"
#include "maps/peer.h"
#include "maps/port.h"
#include "maps/settings.h"
#include "nwbpf/counters.h"

namespace nwbpf {

struct DatapathMaps {
  BpfMap<__u32, nwbpf_settings> settings;
  PortTable ports;           // and "ports_overflow"
  BpfMap<__u32, nwbpf_vlan_ports> vlan_ports;
  FdbMap fdb;               // writes bump "fdb_gen"
  FdbMap fdb_learned;
  PeerTable peers;           // and "peers_overflow"
  PeerNbmaTable peer_nbma;   // and "peer_nbma_overflow"
  NextHopTable nexthops;     // and "nexthops_overflow"
  BpfMap<__u32, nwbpf_flood> flood;
  PerCpuArray<nwbpf_counter> stats;
  PerCpuArray<nwbpf_counter> drops;
  AclMaps acl;               // "acl_*": write through an AclTable over them

  // Opens every map pinned under pin_dir (Config::pin_dir()). Throws
  // BpfError naming the first map that is missing ("is nwbpfd running, or
  // has it run, with this instance and bpffs?"), std::runtime_error naming a
  // map whose type or key/value size differs from this build's.
  static DatapathMaps open_pinned(const std::string& pin_dir);
  // The maps of a loaded BPF object; the fds are borrowed, so the object
  // must outlive the result. Same type and size checks as open_pinned.
  static DatapathMaps from_object(const bpf_object* obj);
};

}  // namespace nwbpf
