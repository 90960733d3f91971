// SPDX-License-Identifier: Apache-2.0
// The data plane's "used" mark on a peer (NWBPF_PEER_USED, maps/peer.h),
// which BPF sets when it encapsulates a frame to that peer and which the
// agent's rewrite of the entry (a new NhrpBinding epoch) clears: what the
// shortcut refresh reads to tell a shortcut in use (re-resolve it at 2/3 of
// its holding time) from an idle one (let it expire).
#pragma once

#include "common/net_types.h"
#include "dataplane/slot_layouts.h"
#include "maps/peer.h"

namespace nwbpf {

// Whether a frame went to `overlay` since its entry was last written; false
// when it has no entry. `peers`: DatapathMaps::peers, of the loaded object
// or of the pins. Throws BpfError if the map cannot be read.
inline bool peer_used(const PeerTable& peers, Ipv4 overlay) {
  auto peer = peers.lookup(overlay.be);
  return peer && (peer->flags & NWBPF_PEER_USED);
}

}  // namespace nwbpf
