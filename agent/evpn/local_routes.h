// SPDX-License-Identifier: Apache-2.0
// The routes a CE originates (RFC 7432 §7.2, §7.3, §11; RFC 8365 §5.1.3):
// a type-2 route per local MAC and a type-3 route per VNI, for VLAN-based
// service (Ethernet Tag 0, one VNI per EVI), with FRR's automatic RD and
// route targets unless configured.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "evpn/import.h"
#include "evpn/path.h"
#include "evpn/route_distinguisher.h"

namespace nwbpf::evpn {

struct VniConfig {
  uint32_t vni = 0;
  // Default: router-id:index, index = the VNI's position in the list + 1
  // (FRR hands indexes out in creation order).
  std::optional<RouteDistinguisher> rd;
  // Empty: FRR's automatic AS:VNI (RouteTarget::automatic).
  std::vector<RouteTarget> import_targets;
  std::vector<RouteTarget> export_targets;
  bool operator==(const VniConfig&) const = default;
};

struct LocalConfig {
  uint32_t local_as = 0;
  Ipv4 router_id;  // the overlay address
  Ipv4 vtep;       // next hop and PMSI endpoint of our routes (the overlay address)
  std::vector<VniConfig> vnis;
};

class LocalRoutes {
 public:
  // Throws std::invalid_argument for VNI 0 or over 24 bits, a VNI listed
  // twice, more VNIs than automatic RD indexes (65535), or router-id/VTEP
  // 0.0.0.0.
  explicit LocalRoutes(LocalConfig config);

  bool has_vni(uint32_t vni) const { return vnis_.contains(vni); }
  // Type 3 for every VNI: PMSI tunnel of ingress replication with label =
  // VNI and our VTEP (RFC 8365 §5.1.3), next hop our VTEP.
  std::vector<Path> inclusive_multicast() const;
  // Type 2 for a local MAC: label = VNI, the Encapsulation community
  // (VXLAN), and MAC Mobility with `sequence` when it is above 0 (RFC 7432
  // §7.7: a MAC that never moved has none). `vni` must be configured.
  Path mac_route(const MacKey& mac, uint32_t sequence) const;
  RouteKey mac_route_key(const MacKey& mac) const;
  // The import route targets of every VNI, for ImportTable.
  std::vector<VniImport> imports() const;

 private:
  struct Vni {
    RouteDistinguisher rd;
    std::vector<RouteTarget> import_targets;
    std::vector<RouteTarget> export_targets;
    std::shared_ptr<const PathInfo> mac_info;  // sequence 0, shared by every MAC
    std::shared_ptr<const PathInfo> multicast_info;
  };
  std::shared_ptr<const PathInfo> info(const std::vector<RouteTarget>& targets,
                                       std::optional<uint32_t> sequence,
                                       std::optional<uint32_t> pmsi_vni) const;

  LocalConfig config_;
  std::map<uint32_t, Vni> vnis_;
};

}  // namespace nwbpf::evpn
