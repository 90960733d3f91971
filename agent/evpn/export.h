// SPDX-License-Identifier: Apache-2.0
// What we advertise to a peer: which best paths (RFC 4271 §9.2, RFC 4456 §6)
// and with which attributes (RFC 4456 §8, RFC 4271 §5.1).
//
// The Adj-RIB-Out of a peer is implicit: a route is advertised to it exactly
// when advertises(best path, peer) holds. A best-path change is therefore an
// announcement where the new best is advertised, a withdrawal where only the
// old one was, and nothing else; no per-peer copy of the table is kept.
#pragma once

#include <cstdint>
#include <optional>

#include "bgp/attributes.h"
#include "evpn/path.h"

namespace nwbpf::evpn {

struct ExportPolicy {
  uint32_t local_as = 0;
  // Set: we are a route reflector (the route-server role) and every peer is
  // a client (RFC 4456 §6: a client's routes go to all other clients). Not
  // set: we advertise only our own routes, as an iBGP speaker that is not a
  // reflector must (RFC 4271 §9.2).
  std::optional<Ipv4> cluster_id;
};

struct Receiver {
  Ipv4 address;
  bool internal = true;
};

// Whether `best` is advertised to `to`: never back to the peer it came
// from; a received path only when we reflect.
bool advertises(const Path& best, const Receiver& to, const ExportPolicy& policy);

// The attributes `info` is advertised with (MP_REACH_NLRI without NLRI):
// - reflected to an internal peer (RFC 4456 §8): ORIGINATOR_ID set to the
//   sender's BGP Identifier unless present, our cluster id prepended to
//   CLUSTER_LIST; everything else, the next hop included, as received;
// - ours to an internal peer: as originated;
// - to an external peer (RFC 4271 §5.1): our AS prepended to AS_PATH, and
//   LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST (which do not leave the AS)
//   and a MED learned from another AS (§5.1.4) removed. The next hop stays
//   the VTEP: EVPN's next hop names the tunnel endpoint, which we are not.
bgp::PathAttributes export_attributes(const PathInfo& info, bool local, const Receiver& to,
                                      const ExportPolicy& policy);

}  // namespace nwbpf::evpn
