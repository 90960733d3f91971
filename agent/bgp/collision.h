// SPDX-License-Identifier: Apache-2.0
// Connection collision (RFC 4271 §6.8): both speakers connected to each
// other at once. Each connection has its own Fsm; the session manager, which
// sees both, calls resolve_collision() when an OPEN arrives on one of them
// and feeds the verdict to the FSMs: OpenCollisionDump to the connection
// that goes (it sends Cease/Connection Collision Resolution and stays Idle,
// and the manager discards it), or TcpConnectionFails to an Established one
// whose peer has restarted.
#pragma once

#include <cstdint>

#include "bgp/fsm_events.h"
#include "common/net_types.h"

namespace nwbpf::bgp {

// Who opened a TCP connection.
enum class Initiator : uint8_t { local, remote };

// Of two connections to one peer, the initiator of the one to close: the
// speaker with the higher BGP Identifier (compared as unsigned 32-bit
// integers) keeps the connection it initiated (§6.8), so with ours higher
// the peer's connection goes. Equal identifiers (external peers may share
// one, RFC 6286 §2.3): the speaker with the larger AS keeps its own.
Initiator collision_loser(Ipv4 local_id, uint32_t local_as, Ipv4 remote_id, uint32_t remote_as);

struct ExistingConnection {
  State state = State::idle;
  Initiator initiator = Initiator::local;
  // The peer's Graceful Restart capability was negotiated on it.
  bool peer_graceful_restart = false;
};

enum class Collision : uint8_t {
  none,              // the existing connection has no OPEN exchange yet
  close_new,         // OpenCollisionDump to the connection that got the OPEN
  close_existing,    // OpenCollisionDump to the existing connection
  restart_existing,  // TcpConnectionFails to the existing one, keep the new
};

// An OPEN from `remote_id`/`remote_as` arrived on a new connection initiated
// by `new_initiator` while `existing` runs to the same peer:
// - existing in Idle, Connect or Active: none (no BGP connection to collide);
// - existing in OpenSent or OpenConfirm: the loser by collision_loser() (§6.8
//   requires OpenConfirm and allows OpenSent; the identifier is the one in
//   this OPEN, as both connections lead to the same speaker);
// - existing Established: close_new (§6.8), unless the peer negotiated
//   Graceful Restart: a new OPEN from it means it restarted while we missed
//   the TCP failure, so the old session goes as a TCP failure (routes kept
//   as stale, RFC 4724 §4.2) and the new one continues.
// When both connections have the same initiator (a misbehaving peer), the
// new one goes.
Collision resolve_collision(const ExistingConnection& existing, Initiator new_initiator,
                            Ipv4 local_id, uint32_t local_as, Ipv4 remote_id, uint32_t remote_as);

}  // namespace nwbpf::bgp
