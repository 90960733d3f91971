// SPDX-License-Identifier: Apache-2.0
// Route reflectors named by overlay address (nante-wan.conf's rr_addr*,
// EvpnPlan::nhrp_reflectors). nwbpf has no overlay device, so such an
// address has no route: the session goes to the NBMA address NHRP has for
// it. An NHS's registration reply names its overlay address; any other
// route reflector is resolved like a shortcut.
// A session stays where it is when NHRP forgets the address (a shortcut
// expires: BGP's own packets never mark it used in the data plane), and
// moves when NHRP finds the address at another NBMA address. Sessions are
// added and removed one by one; the others are never touched (restarting
// the speaker instead raced with the NHSes' failover, see the daemon README).
// Pure.
#pragma once

#include <map>
#include <utility>
#include <vector>

#include "bgp/session_manager_config.h"
#include "common/net_types.h"
#include "daemon/nhrp_install.h"

namespace nwbpf::daemon {

struct ReflectorMoves {
  std::vector<Ipv4> remove;                    // NBMA addresses of sessions to close
  std::vector<std::pair<Ipv4, Ipv4>> add;      // overlay -> NBMA: sessions to open
  std::vector<Ipv4> unresolved;                // overlay addresses to ask NHRP for
  bool operator==(const ReflectorMoves&) const = default;
};

// `current`: overlay -> NBMA of the sessions open now, all of them of
// `reflectors` (a new plan restarts the speaker with none open).
ReflectorMoves follow_reflectors(const std::vector<bgp::PeerConfig>& reflectors,
                                 const std::map<Ipv4, NhrpBinding>& nhrp_peers,
                                 const std::map<Ipv4, Ipv4>& current);

}  // namespace nwbpf::daemon
