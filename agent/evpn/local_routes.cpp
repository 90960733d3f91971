// SPDX-License-Identifier: Apache-2.0
#include "evpn/local_routes.h"

#include <fmt/format.h>

#include <stdexcept>

#include "evpn/best_path.h"

namespace nwbpf::evpn {
namespace {

wire::Bytes address_bytes(Ipv4 address) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(&address.be);  // network order
  return {bytes, bytes + 4};
}

bgp::ExtCommunity encoded(const ExtCommunity& community) {
  auto bytes = encode_ext_community(community);
  if (!bytes) throw std::invalid_argument(bytes.error().message);
  return bytes.value();
}

}  // namespace

LocalRoutes::LocalRoutes(LocalConfig config) : config_(std::move(config)) {
  if (config_.router_id == Ipv4{}) throw std::invalid_argument("EVPN router-id 0.0.0.0");
  if (config_.vtep == Ipv4{}) throw std::invalid_argument("EVPN VTEP address 0.0.0.0");
  if (config_.vnis.size() > 0xffff)
    throw std::invalid_argument(
        fmt::format("{} VNIs: automatic RDs number at most 65535", config_.vnis.size()));
  uint16_t index = 0;
  for (const auto& vni : config_.vnis) {
    ++index;
    if (vni.vni == 0 || vni.vni > max_label)
      throw std::invalid_argument(fmt::format("VNI {} is not in 1..16777215", vni.vni));
    const std::vector<RouteTarget> automatic{RouteTarget::automatic(config_.local_as, vni.vni)};
    Vni v{vni.rd.value_or(RouteDistinguisher::automatic(config_.router_id, index)),
          vni.import_targets.empty() ? automatic : vni.import_targets,
          vni.export_targets.empty() ? automatic : vni.export_targets, nullptr, nullptr};
    v.mac_info = info(v.export_targets, std::nullopt, std::nullopt);
    v.multicast_info = info(v.export_targets, std::nullopt, vni.vni);
    if (!vnis_.emplace(vni.vni, std::move(v)).second)
      throw std::invalid_argument(fmt::format("VNI {} is listed twice", vni.vni));
  }
}

std::shared_ptr<const PathInfo> LocalRoutes::info(const std::vector<RouteTarget>& targets,
                                                  std::optional<uint32_t> sequence,
                                                  std::optional<uint32_t> pmsi_vni) const {
  auto info = std::make_shared<PathInfo>();
  auto& attrs = info->attributes;
  attrs.origin = bgp::Origin::igp;
  attrs.as_path = bgp::AsPath{};
  attrs.local_pref = kDefaultLocalPref;  // RFC 4271 §5.1.5: sent to internal peers
  attrs.mp_reach = bgp::MpReach{bgp::kL2vpnEvpn, address_bytes(config_.vtep), {}};
  // Type order, as FRR sorts them: route targets (0x00-0x02), encapsulation
  // (0x03), MAC Mobility (0x06).
  for (const auto& rt : targets) attrs.ext_communities.push_back(encoded(rt));
  attrs.ext_communities.push_back(encoded(Encapsulation{Encapsulation::vxlan}));
  if (sequence) attrs.ext_communities.push_back(encoded(MacMobility{false, *sequence}));
  if (pmsi_vni)
    attrs.pmsi_tunnel =
        bgp::PmsiTunnel{0, PmsiTunnel::ingress_replication, *pmsi_vni, address_bytes(config_.vtep)};
  info->next_hop = config_.vtep;
  info->sender_id = config_.router_id;
  decode_views(*info);
  return info;
}

std::vector<Path> LocalRoutes::inclusive_multicast() const {
  std::vector<Path> paths;
  for (const auto& [vni, v] : vnis_)
    paths.push_back(Path{kLocalPeer, InclusiveMulticastRoute{{v.rd, 0, config_.vtep}},
                         v.multicast_info, false});
  return paths;
}

RouteKey LocalRoutes::mac_route_key(const MacKey& mac) const {
  return MacIpKey{vnis_.at(mac.vni).rd, 0, mac.mac, std::nullopt};
}

Path LocalRoutes::mac_route(const MacKey& mac, uint32_t sequence) const {
  const Vni& v = vnis_.at(mac.vni);
  auto path_info = sequence == 0 ? v.mac_info : info(v.export_targets, sequence, std::nullopt);
  MacIpRoute route{std::get<MacIpKey>(mac_route_key(mac)), Esi{}, mac.vni, std::nullopt};
  return Path{kLocalPeer, std::move(route), std::move(path_info), false};
}

std::vector<VniImport> LocalRoutes::imports() const {
  std::vector<VniImport> out;
  for (const auto& [vni, v] : vnis_) out.push_back(VniImport{vni, v.import_targets});
  return out;
}

}  // namespace nwbpf::evpn
