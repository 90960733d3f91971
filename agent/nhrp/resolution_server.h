// SPDX-License-Identifier: Apache-2.0
// The NHS's (route server's) answer to a Resolution Request (RFC 2332
// §5.2.1, §5.2.2) from its registration cache, in the DMVPN dialect of FRR
// nhrpd and Cisco, sans-io:
// - a target registered with us (or our own overlay address) gets a
//   Resolution Reply: the request's addresses and request ID; flags Q and S
//   copied, A (the binding was registered with us: authoritative) and D (it
//   holds for its holding time unless purged) set, as FRR's target CE sets
//   them; one CIE with code 0, prefix length 0xff (this host only), the
//   binding's MTU, its remaining holding time and its NBMA address as
//   claimed; when the target is behind NAT, a NAT Address extension CIE
//   with the NAT'd NBMA address for the target's protocol address (what
//   ShortcutTable and FRR's nhrp_process_nat_extension read); Responder
//   Address = this NHS;
// - no live binding: Error Indication Protocol Address Unreachable (6,
//   §5.2.7) at the destination protocol address, which ShortcutTable and
//   FRR's shortcut code turn into a negative entry. We do not forward to
//   another NHS: every CE registers with every route server (issue 5).
// Both go to the NBMA address the request came from: the requester's
// ar$src.nbma, or its NAT'd address when NAT is in the way (FRR's NHS
// answers over the requester's peer, whose address is the NAT'd one).
// They are new packets with hop count 64 (FRR nhrp_packet_push); the
// request's hop count was checked on decoding (0 is Hop Count Exceeded).
#pragma once

#include <span>

#include "nhrp/registration_cache.h"
#include "nhrp/registration_client.h"

namespace nwbpf::nhrp {

// `request` was decoded from `request_bytes` (carried back in an Error
// Indication) and arrived from `source_nbma` (the outer IP source). An
// Error only for a packet that is not a Resolution Request.
Result<Send> answer_resolution(const RegistrationCache& cache, const Packet& request,
                               std::span<const uint8_t> request_bytes, Ipv4 source_nbma,
                               TimePoint now);

}  // namespace nwbpf::nhrp
