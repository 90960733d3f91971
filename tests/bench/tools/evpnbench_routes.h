// SPDX-License-Identifier: Apache-2.0
// The table nwbpf-evpnbench advertises as a route reflector: `count` EVPN
// type-2 routes (RFC 7432 §7.2, MAC only) of one VNI, as a reflector passes
// on what its clients originated (RFC 4456 §8: ORIGINATOR_ID = the
// originating VTEP, CLUSTER_LIST = ours), spread round-robin over a few
// VTEPs. Route i: MAC 02:eb:XX:XX:XX:XX (i + 1 in the last four octets,
// locally administered unicast), next hop vteps[i % vteps.size()], RD
// vtep:1, route target AS:VNI and the VXLAN encapsulation (RFC 8365 §5.1.3),
// label = VNI. Pure: UPDATEs out, no I/O, so the packing is unit-tested.
#pragma once

#include <cstdint>
#include <vector>

#include "bgp/session_options.h"
#include "bgp/update.h"
#include "common/net_types.h"

namespace nwbpf::evpnbench {

struct TableSpec {
  uint32_t as = 65000;
  uint32_t vni = 100;
  uint32_t count = 100000;
  std::vector<Ipv4> vteps;  // at least one
  Ipv4 cluster_id;          // the reflector's
};

// Throws std::invalid_argument for no VTEP, a count of 0 or over 2^32 - 2
// (the MAC space used), or a VNI outside 1..16777215.
void validate(const TableSpec& spec);

Mac route_mac(uint32_t index);
Ipv4 route_vtep(const TableSpec& spec, uint32_t index);

// Every route, packed as many per UPDATE as fit (evpn::UpdatePacker), then
// End-of-RIB (RFC 4724 §2).
std::vector<bgp::Update> announcements(const TableSpec& spec, const bgp::SessionOptions& options);
// Every route withdrawn (MP_UNREACH_NLRI), packed likewise; no End-of-RIB.
std::vector<bgp::Update> withdrawals(const TableSpec& spec, const bgp::SessionOptions& options);

}  // namespace nwbpf::evpnbench
