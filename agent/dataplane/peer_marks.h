// SPDX-License-Identifier: Apache-2.0
// What BPF itself writes into a peers entry (maps/peer.h), which the
// agent's rewrite of the entry resets:
// - the "used" mark (NWBPF_PEER_USED), set when a frame is encapsulated to
//   the peer: what the shortcut refresh reads to tell a shortcut in use
//   (re-resolve it at 2/3 of its holding time) from an idle one (let it
//   expire). A new NhrpBinding epoch rewrites the entry and clears it;
// - a NAT peer's port (NWBPF_PEER_NAT): nbma_port, learned from the outer
//   source port of the peer's frames.
// The reconciler compares entries without these (as_agent_writes) and
// keeps a learned port when it rewrites an entry (keep_learned_ports).
#pragma once

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <arpa/inet.h>

#include "common/net_types.h"
#include "dataplane/slot_layouts.h"
#include "maps/peer.h"

namespace nwbpf {

using PeerEntries = std::vector<std::pair<__be32, nwbpf_peer>>;

// Whether a frame went to `overlay` since its entry was last written; false
// when it has no entry. `peers`: DatapathMaps::peers, of the loaded object
// or of the pins. Throws BpfError if the map cannot be read.
inline bool peer_used(const PeerTable& peers, Ipv4 overlay) {
  auto peer = peers.lookup(overlay.be);
  return peer && (peer->flags & NWBPF_PEER_USED);
}

// The port the data plane learned for a NAT peer (host order); nullopt
// when `overlay` has no entry, is not behind NAT or sent nothing yet.
inline std::optional<uint16_t> peer_learned_port(const PeerTable& peers, Ipv4 overlay) {
  auto peer = peers.lookup(overlay.be);
  if (!peer || !(peer->flags & NWBPF_PEER_NAT) || !peer->nbma_port) return std::nullopt;
  return ntohs(peer->nbma_port);
}

// Entries as the agent writes them: no used mark, no learned port.
// Compared with them, every used or NAT peer would differ from the desired
// state and be rewritten, losing what BPF wrote.
inline PeerEntries as_agent_writes(PeerEntries peers) {
  for (auto& [overlay, peer] : peers) {
    peer.flags &= static_cast<__u8>(~NWBPF_PEER_USED);
    if (peer.flags & NWBPF_PEER_NAT) peer.nbma_port = 0;
  }
  return peers;
}

// An entry the agent rewrites (another epoch) for the same NAT peer at the
// same address keeps the port BPF learned: frames to it keep going direct
// instead of through the route server until the peer's next frame.
inline void keep_learned_ports(PeerEntries& write, const PeerEntries& current) {
  const std::map<__be32, nwbpf_peer> now(current.begin(), current.end());
  for (auto& [overlay, peer] : write) {
    auto it = now.find(overlay);
    if (it == now.end() || !(peer.flags & NWBPF_PEER_NAT) || peer.nbma_port) continue;
    const nwbpf_peer& was = it->second;
    if ((was.flags & NWBPF_PEER_NAT) && was.nbma == peer.nbma) peer.nbma_port = was.nbma_port;
  }
}

}  // namespace nwbpf
