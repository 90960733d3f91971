// SPDX-License-Identifier: Apache-2.0
// Graceful restart, the restarting side (RFC 4724 §4.1): nwbpfd's BPF data
// plane forwards on while the agent restarts, and its OPEN says so (the
// Forwarding State bit). So a starting nwbpfd keeps the EVPN state it finds
// in the pinned maps (FDB entries of origin evpn, flood-list VTEPs no
// [[flood]] names) until its route reflectors have sent their tables again
// (End-of-RIB from every configured peer) or the restart time runs out;
// until then it is merged under what the new speaker imports.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "bgp/peer.h"
#include "config/config.h"
#include "daemon/evpn_install.h"
#include "evpn/speaker.h"
#include "maps/fdb.h"
#include "maps/flood.h"

namespace nwbpf::daemon {

// The EVPN state in the maps as a preserved install.
EvpnInstall preserved_evpn_state(const std::vector<std::pair<nwbpf_fdb_key, nwbpf_fdb_entry>>& fdb,
                                 const std::vector<std::pair<uint32_t, nwbpf_flood>>& flood,
                                 const Config& config);

// `live` over `preserved`: the speaker's MAC wins, flood lists are joined.
EvpnInstall merge_installs(const EvpnInstall& preserved, const EvpnInstall& live);

// Every configured peer (the route reflectors; not listen-range ones) is
// Established and has sent its End-of-RIB.
bool evpn_synced(const std::vector<bgp::PeerStatus>& sessions,
                 const std::vector<evpn::PeerView>& rib_peers);

}  // namespace nwbpf::daemon
