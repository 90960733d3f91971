// SPDX-License-Identifier: Apache-2.0
#include "evpn/received.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "bgp/attribute_values.h"
#include "evpn/nlri.h"

namespace nwbpf::evpn {
namespace {

// The attribute as it travels (type, flags, length, value), for the Data
// field of an Optional Attribute Error (RFC 4271 §6.3).
wire::Bytes attribute_bytes(const bgp::PathAttributes& only) {
  wire::Bytes out;
  wire::Writer w(out);
  for (const auto& attr : bgp::encode_attribute_values(only, bgp::SessionOptions{})) {
    const bool extended = attr.value.size() > 255;
    w.u8(attr.flags | (extended ? bgp::kFlagExtendedLength : 0));
    w.u8(attr.type);
    if (extended) {
      w.u16(uint16_t(attr.value.size()));
    } else {
      w.u8(uint8_t(attr.value.size()));
    }
    w.bytes(attr.value);
  }
  return out;
}

bgp::Error nlri_error(const char* name, const Error& error, bgp::PathAttributes only) {
  return bgp::Error::make(
      bgp::ErrorCode::update_message, bgp::UpdateError::optional_attribute_error, 0,
      fmt::format("{}: EVPN NLRI: {}", name, error.message), attribute_bytes(only));
}

bool contains_as(const bgp::AsPath& path, uint32_t as) {
  return std::any_of(path.begin(), path.end(), [&](const bgp::AsSegment& segment) {
    return std::find(segment.asns.begin(), segment.asns.end(), as) != segment.asns.end();
  });
}

std::optional<std::string> loop_reason(const bgp::PathAttributes& attrs, const Sender& sender,
                                       const LoopPolicy& policy) {
  if (attrs.originator_id == policy.router_id)
    return fmt::format("ORIGINATOR_ID {} is our router id (RFC 4456 §8)", policy.router_id.str());
  if (policy.cluster_id && std::find(attrs.cluster_list.begin(), attrs.cluster_list.end(),
                                     *policy.cluster_id) != attrs.cluster_list.end())
    return fmt::format("CLUSTER_LIST holds our cluster id {} (RFC 4456 §8)",
                       policy.cluster_id->str());
  if (!sender.internal && attrs.as_path && contains_as(*attrs.as_path, policy.local_as))
    return fmt::format("AS_PATH holds our AS {} (RFC 4271 §9.1.2)", policy.local_as);
  return std::nullopt;
}

std::shared_ptr<const PathInfo> path_info(const bgp::PathAttributes& attrs, const Sender& sender) {
  auto info = std::make_shared<PathInfo>();
  info->attributes = attrs;
  info->attributes.mp_reach->nlri.clear();
  info->attributes.mp_unreach.reset();
  const auto& next_hop = attrs.mp_reach->next_hop;
  if (next_hop.size() == 4) {
    Ipv4 address;
    std::memcpy(&address.be, next_hop.data(), 4);
    info->next_hop = address;
  }
  info->sender_id = sender.router_id;
  info->internal = sender.internal;
  decode_views(*info);
  return info;
}

}  // namespace

bgp::Result<Received> read_update(const bgp::Update& update, const Sender& sender,
                                  const LoopPolicy& policy) {
  Received out;
  if (bgp::end_of_rib_family(update) == bgp::kL2vpnEvpn) {
    out.end_of_rib = true;
    return out;
  }
  const auto& attrs = update.attributes;
  if (attrs.mp_unreach && attrs.mp_unreach->family == bgp::kL2vpnEvpn) {
    auto routes = decode_routes(attrs.mp_unreach->withdrawn);
    if (!routes) {
      bgp::PathAttributes only;
      only.mp_unreach = attrs.mp_unreach;
      return nlri_error("MP_UNREACH_NLRI", routes.error(), std::move(only));
    }
    for (const Route& route : routes.value()) out.withdrawn.push_back(key_of(route));
  }
  if (!attrs.mp_reach || attrs.mp_reach->family != bgp::kL2vpnEvpn) return out;
  auto routes = decode_routes(attrs.mp_reach->nlri);
  if (!routes) {
    bgp::PathAttributes only;
    only.mp_reach = attrs.mp_reach;
    return nlri_error("MP_REACH_NLRI", routes.error(), std::move(only));
  }
  if (update.action == bgp::UpdateAction::treat_as_withdraw) {
    out.rejected =
        "treat-as-withdraw (RFC 7606): " +
        (update.errors.empty() ? std::string("no reason given") : update.errors.front().text);
  } else {
    out.rejected = loop_reason(attrs, sender, policy);
    out.looped = out.rejected.has_value();
  }
  if (out.rejected) {
    for (const Route& route : routes.value()) out.withdrawn.push_back(key_of(route));
    return out;
  }
  out.announced = std::move(routes.value());
  out.info = path_info(attrs, sender);
  return out;
}

}  // namespace nwbpf::evpn
