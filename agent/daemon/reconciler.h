// SPDX-License-Identifier: Apache-2.0
// The only writer of the data plane's maps on the agent side (BPF itself
// writes fdb_learned and the counters). Brings maps and program hooks to a
// DesiredState by changing only what differs: a reload that edits one port
// rewrites that port's entries and nothing else.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "daemon/desired_state.h"
#include "daemon/map_sync.h"
#include "dataplane/datapath.h"
#include "maps/names.h"
#include "dataplane/peer_marks.h"

namespace nwbpf::daemon {

struct SyncCount {
  size_t written = 0;
  size_t deleted = 0;
  bool operator==(const SyncCount&) const = default;
};
// Map name (maps/names.h) -> what changed; maps left untouched are absent.
using MapChanges = std::map<std::string, SyncCount>;

// Brings every reconciler-owned map of `maps` to `want`. `Maps` has one
// member per map with the names of DatapathMaps (which is what the agent
// passes). Entries are added and changed in dependency order (ports before
// the VLAN lists naming them, peers before the flood lists and FDB entries
// naming them, next hops before the peers whose NBMA they serve, so a new
// peer's first frame need not miss) and deleted in the reverse order, so BPF
// never meets a reference to a key that is not there. Throws what the maps
// throw.
template <typename Maps>
MapChanges sync_maps(Maps& maps, const DesiredState& want) {
  // Read everything first so the diff is against one view of the maps.
  const auto settings = diff_table(want.settings, read_sorted<__u32, nwbpf_settings>(maps.settings));
  const auto ports = diff_table(want.ports, read_sorted<__u32, nwbpf_port>(maps.ports));
  // Peers without what BPF writes in them (dataplane/peer_marks.h).
  const auto current_peers = read_sorted<__be32, nwbpf_peer>(maps.peers);
  auto peers = diff_table(want.peers, as_agent_writes(current_peers));
  keep_learned_ports(peers.write, current_peers);
  const auto peer_nbma = diff_table(
      want.peer_nbma, read_sorted<nwbpf_peer_nbma_key, nwbpf_peer_nbma>(maps.peer_nbma));
  const auto nexthops = diff_table(want.nexthops, read_sorted<__be32, nwbpf_nexthop>(maps.nexthops));
  const auto vlan_ports =
      diff_table(want.vlan_ports, read_sorted<__u32, nwbpf_vlan_ports>(maps.vlan_ports));
  const auto flood = diff_table(want.flood, read_sorted<__u32, nwbpf_flood>(maps.flood));
  const auto fdb = diff_table(want.fdb, read_sorted<nwbpf_fdb_key, nwbpf_fdb_entry>(maps.fdb));

  MapChanges c;
  c[NWBPF_MAP_SETTINGS].written = write_changed(maps.settings, settings);
  c[NWBPF_MAP_PORTS].written = write_changed(maps.ports, ports);
  c[NWBPF_MAP_NEXTHOPS].written = write_changed(maps.nexthops, nexthops);
  c[NWBPF_MAP_PEERS].written = write_changed(maps.peers, peers);
  c[NWBPF_MAP_PEER_NBMA].written = write_changed(maps.peer_nbma, peer_nbma);
  c[NWBPF_MAP_VLAN_PORTS].written = write_changed(maps.vlan_ports, vlan_ports);
  c[NWBPF_MAP_FLOOD].written = write_changed(maps.flood, flood);
  c[NWBPF_MAP_FDB].written = write_changed(maps.fdb, fdb);

  // settings is an ARRAY: its one key always exists and is never deleted.
  c[NWBPF_MAP_FDB].deleted = delete_stale(maps.fdb, fdb);
  c[NWBPF_MAP_FLOOD].deleted = delete_stale(maps.flood, flood);
  c[NWBPF_MAP_VLAN_PORTS].deleted = delete_stale(maps.vlan_ports, vlan_ports);
  c[NWBPF_MAP_PEER_NBMA].deleted = delete_stale(maps.peer_nbma, peer_nbma);
  c[NWBPF_MAP_PEERS].deleted = delete_stale(maps.peers, peers);
  c[NWBPF_MAP_NEXTHOPS].deleted = delete_stale(maps.nexthops, nexthops);
  c[NWBPF_MAP_PORTS].deleted = delete_stale(maps.ports, ports);

  std::erase_if(c, [](const auto& kv) { return kv.second == SyncCount{}; });
  return c;
}

// Brings only the nexthops map to `want`: what the periodic next-hop
// refresh changes, without reading every other map each second.
template <typename Maps>
SyncCount sync_nexthops(Maps& maps, const DesiredState& want) {
  const auto diff = diff_table(want.nexthops, read_sorted<__be32, nwbpf_nexthop>(maps.nexthops));
  return {write_changed(maps.nexthops, diff), delete_stale(maps.nexthops, diff)};
}

// A hook on which an earlier agent run may have left a program whose role
// we cannot know (the first reconcile after start).
inline constexpr nwbpf_port_role kRoleUnknown = static_cast<nwbpf_port_role>(0);

struct HookPlan {
  std::vector<std::pair<HookKey, nwbpf_port_role>> attach;  // new, or role changed
  std::vector<HookKey> detach;                              // no longer wanted
};

// What to attach and detach to go from `attached` to `desired`. Attaching
// replaces a program in place, so a role change is an attach, not a detach.
HookPlan plan_hooks(const HookSet& attached, const HookSet& desired);

// Every hook of every device in `links`, role unknown: after a restart (or a
// mode change while the agent was down) any of them may hold our program.
HookSet possibly_attached(const LinkSnapshot& links);

class Reconciler {
 public:
  explicit Reconciler(Datapath& datapath) : datapath_(datapath) {}

  struct Outcome {
    MapChanges maps;
    size_t attached = 0;
    size_t detached = 0;
    std::vector<std::string> errors;  // one line each; empty on success
  };

  // Applies `want`: maps first (so a new port's entry exists before its
  // programs see a frame), then hooks. Never throws: failures are returned,
  // and the hooks that failed are retried by the next call.
  Outcome apply(const DesiredState& want, const LinkSnapshot& links);
  // Applies `want.nexthops` only. Throws what the map throws.
  SyncCount apply_nexthops(const DesiredState& want) {
    return sync_nexthops(datapath_.maps(), want);
  }
  // Removes every program this agent attached (agent.detach_on_exit).
  void detach_all();

 private:
  Datapath& datapath_;
  HookSet attached_;
  bool first_ = true;
};

}  // namespace nwbpf::daemon
