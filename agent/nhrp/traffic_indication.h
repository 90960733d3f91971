// SPDX-License-Identifier: Apache-2.0
// Traffic Indication (type 8, draft-detienne-dmvpn-01 §4, "a better path
// may exist"), sent and read as FRR nhrpd does (nhrp_peer_send_indication,
// nhrp_handle_traffic_ind):
// - the NHS that relayed a packet sends one to the packet's source: hop
//   count 1, traffic code 0, ar$src = the NHS's NBMA and overlay address,
//   ar$dst.protoaddr = the relayed packet's *source* address (nhrpd parses
//   the packet's source into the variable it routes the indication to),
//   payload = the relayed packet from its IP header;
// - the source CE resolves the payload's IPv4 *destination* (nhrpd starts
//   a shortcut to it).
// The payload nwbpf sends is synthesized: Nante-WAN's relayed packets were
// VXLAN to the target's overlay address inside GRE, so their IP header was
// overlay to overlay; nwbpf sends VXLAN between NBMA addresses, so the
// relay has no such header. The indication carries the one that packet
// would have had: IPv4 from the origin CE's overlay address to the target
// VTEP's, UDP 4789 -> 4789 (checksum 0, RFC 7348 §5), and the VXLAN header
// with the VNI; 36 octets, no inner frame. nhrpd and Cisco read only the
// IP addresses; Wireshark dissects it down to VXLAN.
// Rate limiting per (source, destination) is the sender's, elsewhere.
#pragma once

#include <cstdint>

#include "nhrp/error_indication.h"

namespace nwbpf::nhrp {

inline constexpr uint16_t kVxlanPort = 4789;  // RFC 7348 §5

// The overlay addresses of a relayed packet.
struct RelayedFlow {
  Ipv4 origin;  // the CE that sent it (where the indication goes)
  Ipv4 target;  // the VTEP it was for (what the origin should resolve)
  bool operator==(const RelayedFlow&) const = default;
};

// The indication `nhs` sends to `flow.origin` (at its NBMA address, from
// the registration cache) about a VXLAN packet of `vni` it relayed.
Packet traffic_indication(const Station& nhs, const RelayedFlow& flow, uint32_t vni);

// What a received indication asks for: the payload's IPv4 source and
// destination. An Error (Protocol Error at the payload, offset 40) when the
// packet is not a Traffic Indication or its payload is not an IPv4 header.
Result<RelayedFlow> read_traffic_indication(const Packet& indication);

}  // namespace nwbpf::nhrp
