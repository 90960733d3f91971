// SPDX-License-Identifier: Apache-2.0
// The PMSI Tunnel attribute (path attribute 22, RFC 6514 §5) that a type-3
// route carries: flags, tunnel type, a 3-byte label and a tunnel identifier
// whose form depends on the type. For EVPN over VXLAN (RFC 7432 §11.2, RFC
// 8365 §5.1.3) the type is 6, ingress replication, the identifier is the
// originating router's IP address and the label field is the VNI (all 24
// bits, as for NLRI labels: see route_types.h).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/net_types.h"
#include "common/wire.h"
#include "evpn/error.h"

namespace nwbpf::evpn {

struct PmsiTunnel {
  static constexpr uint8_t ingress_replication = 6;
  static constexpr uint8_t leaf_info_required = 0x01;  // flags bit (RFC 6514 §5)

  uint8_t flags = 0;
  uint8_t tunnel_type = 0;
  uint32_t label = 0;              // 24 bits
  std::vector<uint8_t> tunnel_id;  // opaque for types other than 6
  bool operator==(const PmsiTunnel&) const = default;

  // What a VTEP attaches to its type-3 route for a VNI.
  static PmsiTunnel for_ingress_replication(uint32_t vni, Ipv4 vtep);
};

// Decodes the attribute's value (after the attribute header). Any tunnel
// type decodes; only the value shorter than flags + type + label (5 bytes)
// fails, with Errc::bad_length at base_offset.
Result<PmsiTunnel> decode_pmsi_tunnel(std::span<const uint8_t> value, size_t base_offset = 0);
// Errc::out_of_range for a label over 24 bits.
Result<wire::Bytes> encode_pmsi_tunnel(const PmsiTunnel& tunnel);

// What the installer needs from a type-3 route: the VNI whose flood list
// the VTEP joins. Errc::unsupported for any tunnel type but ingress
// replication ("unsupported PMSI tunnel type 3 (only 6, ingress
// replication)") and for an identifier that is not an IPv4 address.
struct IngressReplication {
  uint32_t vni = 0;
  Ipv4 vtep;
  auto operator<=>(const IngressReplication&) const = default;
};
Result<IngressReplication> ingress_replication_of(const PmsiTunnel& tunnel);

}  // namespace nwbpf::evpn
