// SPDX-License-Identifier: Apache-2.0
#include "evpn/pmsi.h"

#include <fmt/format.h>

#include <cstring>

#include "evpn/route_types.h"

namespace nwbpf::evpn {

PmsiTunnel PmsiTunnel::for_ingress_replication(uint32_t vni, Ipv4 vtep) {
  const auto* address = reinterpret_cast<const uint8_t*>(&vtep.be);  // network order
  return PmsiTunnel{0, ingress_replication, vni, {address, address + 4}};
}

Result<PmsiTunnel> decode_pmsi_tunnel(std::span<const uint8_t> value, size_t base_offset) {
  wire::Reader r(value, base_offset);
  PmsiTunnel tunnel;
  if (!(r.u8(tunnel.flags) && r.u8(tunnel.tunnel_type) && r.u24(tunnel.label)))
    return Error{Errc::bad_length, base_offset,
                 fmt::format("PMSI tunnel attribute at offset {}: length {} is shorter than 5 "
                             "(flags, tunnel type, label)",
                             base_offset, value.size())};
  auto id = r.rest();
  tunnel.tunnel_id.assign(id.begin(), id.end());
  return tunnel;
}

Result<wire::Bytes> encode_pmsi_tunnel(const PmsiTunnel& tunnel) {
  if (tunnel.label > max_label)
    return Error{Errc::out_of_range, 0,
                 fmt::format("PMSI tunnel label {} does not fit in 3 bytes", tunnel.label)};
  wire::Bytes out;
  wire::Writer w(out);
  w.u8(tunnel.flags);
  w.u8(tunnel.tunnel_type);
  w.u24(tunnel.label);
  w.bytes(tunnel.tunnel_id);
  return out;
}

Result<IngressReplication> ingress_replication_of(const PmsiTunnel& tunnel) {
  if (tunnel.tunnel_type != PmsiTunnel::ingress_replication)
    return Error{Errc::unsupported, 0,
                 fmt::format("unsupported PMSI tunnel type {} (only 6, ingress replication)",
                             tunnel.tunnel_type)};
  if (tunnel.tunnel_id.size() != 4)
    return Error{
        Errc::unsupported, 0,
        fmt::format("ingress replication tunnel identifier of {} bytes: only IPv4 (4 bytes) "
                    "endpoints are supported",
                    tunnel.tunnel_id.size())};
  IngressReplication ir{tunnel.label, {}};
  std::memcpy(&ir.vtep.be, tunnel.tunnel_id.data(), 4);
  return ir;
}

}  // namespace nwbpf::evpn
