// SPDX-License-Identifier: Apache-2.0
// The copy of a Resolution Request that our NHS sends on to its target
// after answering it from the registration cache (RFC 2332 §5.2.1: an NHS
// may forward a request toward the station serving the target). In FRR's
// DMVPN the target CE answers forwarded requests and keeps the requester's
// binding (resolution_responder.h); that is what makes a shortcut
// two-way: without it the target knows nothing of the requester, and drops
// the requester's VXLAN as coming from an unknown peer until it resolves
// the requester itself. The requester already has its answer from the
// cache; the target's reply, sent back to us, is not forwarded.
#pragma once

#include <optional>

#include "nhrp/error_indication.h"
#include "nhrp/packet.h"

namespace nwbpf::nhrp {

// `request` with its hop count less one, this NHS appended to its Forward
// Transit NHS Record (§5.3.2, when the request has that extension) and,
// when the requester is behind NAT, a NAT Address CIE giving its NAT'd
// NBMA address (`requester_nat_nbma`), as an FRR NHS fills it in when
// forwarding. nullopt when the hop count would reach 0.
std::optional<Packet> forward_to_target(const Packet& request, const Station& nhs,
                                        std::optional<Ipv4> requester_nat_nbma);

}  // namespace nwbpf::nhrp
