// SPDX-License-Identifier: Apache-2.0
#include "daemon/evpn_preserved.h"

#include <algorithm>
#include <cstring>

#include "dataplane/fdb_map.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {

EvpnInstall preserved_evpn_state(const std::vector<std::pair<nwbpf_fdb_key, nwbpf_fdb_entry>>& fdb,
                                 const std::vector<std::pair<uint32_t, nwbpf_flood>>& flood,
                                 const Config& config) {
  EvpnInstall out;
  for (const auto& [key, entry] : fdb)
    if (entry.origin == NWBPF_ORIGIN_EVPN && entry.kind == NWBPF_FDB_REMOTE)
      out.macs[{key.vni, mac_of(key.mac)}] = Ipv4{entry.vtep};
  for (const auto& [vni, list] : flood) {
    const uint32_t n = std::min<uint32_t>(list.count, NWBPF_MAX_FLOOD_VTEPS);
    for (uint32_t i = 0; i < n; ++i) {
      const Ipv4 vtep{list.vtep[i]};
      const bool configured = std::any_of(config.flood.begin(), config.flood.end(), [&](const auto& f) {
        return f.vni == vni && std::find(f.vteps.begin(), f.vteps.end(), vtep) != f.vteps.end();
      });
      if (!configured) out.flood[vni].insert(vtep);
    }
  }
  return out;
}

EvpnInstall merge_installs(const EvpnInstall& preserved, const EvpnInstall& live) {
  EvpnInstall out = preserved;
  for (const auto& [key, vtep] : live.macs) out.macs[key] = vtep;
  for (const auto& [vni, vteps] : live.flood) out.flood[vni].insert(vteps.begin(), vteps.end());
  return out;
}

bool evpn_synced(const std::vector<bgp::PeerStatus>& sessions,
                 const std::vector<evpn::PeerView>& rib_peers) {
  return std::all_of(sessions.begin(), sessions.end(), [&](const bgp::PeerStatus& s) {
    if (s.dynamic) return true;
    return std::any_of(rib_peers.begin(), rib_peers.end(), [&](const evpn::PeerView& p) {
      return p.address == s.address && p.established && p.end_of_rib_received;
    });
  });
}

}  // namespace nwbpf::daemon
