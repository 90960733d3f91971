// SPDX-License-Identifier: Apache-2.0
#include "bgp/collision.h"

#include <arpa/inet.h>

namespace nwbpf::bgp {

Initiator collision_loser(Ipv4 local_id, uint32_t local_as, Ipv4 remote_id, uint32_t remote_as) {
  const uint32_t local = ntohl(local_id.be);
  const uint32_t remote = ntohl(remote_id.be);
  const bool local_wins = local != remote ? local > remote : local_as > remote_as;
  return local_wins ? Initiator::remote : Initiator::local;
}

Collision resolve_collision(const ExistingConnection& existing, Initiator new_initiator,
                            Ipv4 local_id, uint32_t local_as, Ipv4 remote_id, uint32_t remote_as) {
  switch (existing.state) {
    case State::idle:
    case State::connect:
    case State::active:
      return Collision::none;
    case State::established:
      return existing.peer_graceful_restart ? Collision::restart_existing : Collision::close_new;
    case State::open_sent:
    case State::open_confirm:
      break;
  }
  if (existing.initiator == new_initiator) return Collision::close_new;
  return collision_loser(local_id, local_as, remote_id, remote_as) == existing.initiator
             ? Collision::close_existing
             : Collision::close_new;
}

}  // namespace nwbpf::bgp
