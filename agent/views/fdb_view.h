// SPDX-License-Identifier: Apache-2.0
// `nwbpf show fdb`: merges the control-plane map `fdb` and the learned map
// `fdb_learned` into one list sorted by (VNI, MAC), resolves where each MAC
// lives (edge port and its tagging, or VTEP and its NBMA address) and renders
// it as a table or JSON. Pure: the maps are read into an FdbSnapshot first
// (show_maps.cpp), so every line here is tested with exact text.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/net_types.h"
#include "maps/fdb.h"
#include "maps/peer.h"
#include "maps/port.h"

namespace nwbpf::views {

using FdbEntries = std::vector<std::pair<nwbpf_fdb_key, nwbpf_fdb_entry>>;

// What show fdb reads from the pinned maps, copied out as is.
struct FdbSnapshot {
  FdbEntries fdb;                        // control plane: static, EVPN
  FdbEntries learned;                    // fdb_learned
  std::map<uint32_t, nwbpf_port> ports;  // by ifindex: untagged-egress bitmap
  std::map<uint32_t, nwbpf_peer> peers;  // by VTEP overlay address (network order)
  uint64_t now_ns = 0;                   // CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns
};

// ifindex -> device name in the caller's network namespace; nullopt if none.
using IfNameFn = std::function<std::optional<std::string>(uint32_t ifindex)>;

struct FdbRow {
  uint32_t vni = 0;
  Mac mac;
  uint8_t kind = 0;    // enum nwbpf_fdb_kind; others shown as unknown
  uint8_t origin = 0;  // enum nwbpf_fdb_origin
  // kind LOCAL
  uint32_t ifindex = 0;
  std::optional<std::string> port;  // nullopt: no device has that ifindex
  std::optional<bool> untagged;     // nullopt: the device is not in the ports map
  // kind REMOTE
  Ipv4 vtep;
  std::optional<Ipv4> nbma;       // nullopt: VTEP not in the peers map
  uint16_t nbma_port = 0;         // host order; 0 = the VXLAN default
  std::optional<uint64_t> age_s;  // learned entries only
};

// Rows of both maps, optionally only one VNI, sorted by VNI then MAC; an
// entry present in both maps is listed twice, control plane first (it is
// the one BPF uses).
std::vector<FdbRow> fdb_rows(const FdbSnapshot& snapshot, const IfNameFn& ifname,
                             std::optional<uint32_t> vni);

// Columns VNI, MAC, WHERE, ORIGIN, AGE, e.g.
//   99  02:00:00:00:00:01  port vetha vlan 99 untagged     learned  12s
//   99  02:00:00:00:00:02  vtep 10.0.0.2 nbma 192.168.0.2  static     -
std::string fdb_table(const std::vector<FdbRow>& rows);
// One object per row, fields in table order: vni, mac, kind ("local" |
// "remote"), then port/ifindex/vlan/untagged or vtep/nbma/nbma_port, then
// origin, age_s; null where the table shows "-" or "?". The names follow
// the map's (nwbpf_fdb_kind) so the agent's answer has the same shape.
nlohmann::ordered_json fdb_json(const std::vector<FdbRow>& rows);

}  // namespace nwbpf::views
