// SPDX-License-Identifier: Apache-2.0
#include "evpnbench_routes.h"

#include <fmt/format.h>

#include <memory>
#include <stdexcept>

#include "evpn/best_path.h"
#include "evpn/ext_community.h"
#include "evpn/route_types.h"
#include "evpn/update_packer.h"

namespace nwbpf::evpnbench {
namespace {

wire::Bytes address_bytes(Ipv4 address) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(&address.be);  // network order
  return {bytes, bytes + 4};
}

bgp::ExtCommunity encoded(const evpn::ExtCommunity& community) {
  auto bytes = evpn::encode_ext_community(community);
  if (!bytes) throw std::invalid_argument(bytes.error().message);
  return bytes.value();
}

// What a reflector passes on for a route its client `vtep` originated.
std::shared_ptr<const bgp::PathAttributes> reflected_attributes(const TableSpec& spec, Ipv4 vtep) {
  auto a = std::make_shared<bgp::PathAttributes>();
  a->origin = bgp::Origin::igp;
  a->as_path = bgp::AsPath{};
  a->local_pref = evpn::kDefaultLocalPref;
  a->originator_id = vtep;
  a->cluster_list = {spec.cluster_id};
  a->mp_reach = bgp::MpReach{bgp::kL2vpnEvpn, address_bytes(vtep), {}};
  a->ext_communities = {encoded(evpn::RouteTarget::automatic(spec.as, spec.vni)),
                        encoded(evpn::Encapsulation{evpn::Encapsulation::vxlan})};
  return a;
}

evpn::Route route(const TableSpec& spec, uint32_t index) {
  const Ipv4 vtep = route_vtep(spec, index);
  evpn::MacIpKey key{evpn::RouteDistinguisher::automatic(vtep, 1), 0, route_mac(index),
                     std::nullopt};
  return evpn::MacIpRoute{key, evpn::Esi{}, spec.vni, std::nullopt};
}

}  // namespace

void validate(const TableSpec& spec) {
  if (spec.vteps.empty()) throw std::invalid_argument("no VTEP to advertise routes from");
  if (spec.count == 0 || spec.count > 0xfffffffeu)
    throw std::invalid_argument(fmt::format("{} routes: 1..4294967294 expected", spec.count));
  if (spec.vni == 0 || spec.vni > evpn::max_label)
    throw std::invalid_argument(fmt::format("VNI {} is not in 1..16777215", spec.vni));
}

Mac route_mac(uint32_t index) {
  const uint32_t n = index + 1;  // never the all-zero tail
  return Mac{{0x02, 0xeb, uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)}};
}

Ipv4 route_vtep(const TableSpec& spec, uint32_t index) {
  return spec.vteps[index % spec.vteps.size()];
}

std::vector<bgp::Update> announcements(const TableSpec& spec, const bgp::SessionOptions& options) {
  validate(spec);
  std::vector<std::shared_ptr<const bgp::PathAttributes>> attributes;
  for (Ipv4 vtep : spec.vteps) attributes.push_back(reflected_attributes(spec, vtep));
  evpn::UpdatePacker packer(options);
  for (uint32_t i = 0; i < spec.count; ++i)
    packer.announce(route(spec, i), attributes[i % attributes.size()]);
  packer.end_of_rib();
  return packer.take();
}

std::vector<bgp::Update> withdrawals(const TableSpec& spec, const bgp::SessionOptions& options) {
  validate(spec);
  evpn::UpdatePacker packer(options);
  for (uint32_t i = 0; i < spec.count; ++i) packer.withdraw(route(spec, i));
  return packer.take();
}

}  // namespace nwbpf::evpnbench
