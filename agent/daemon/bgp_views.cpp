// SPDX-License-Identifier: Apache-2.0
#include "daemon/bgp_views.h"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <map>

#include "evpn/ext_community.h"
#include "evpn/route_text.h"

namespace nwbpf::daemon {

namespace {

using nlohmann::json;

// FRR's names of the families we negotiate ("l2vpn evpn").
std::string family_name(bgp::Family family) {
  if (family == bgp::kL2vpnEvpn) return "l2vpn evpn";
  if (family == bgp::kIpv4Unicast) return "ipv4 unicast";
  return fmt::format("afi {} safi {}", family.afi, family.safi);
}

json optional_address(const std::optional<Ipv4>& address) {
  return address ? json(address->str()) : json(nullptr);
}

json session_json(const bgp::Session& session) {
  json families = json::array();
  for (auto f : session.families) families.push_back(family_name(f));
  json gr = nullptr;
  if (session.peer_graceful_restart) gr = session.peer_graceful_restart->restart_time;
  return json{{"remote_as", session.peer_as},
              {"remote_id", session.peer_id.str()},
              {"internal", session.internal},
              {"hold_time_s", session.hold_time.count()},
              {"keepalive_s", session.keepalive_time.count()},
              {"families", std::move(families)},
              {"peer_restart_time_s", std::move(gr)}};
}

json peer_json(const bgp::PeerStatus& status, const evpn::PeerView* rib, bgp::TimePoint now) {
  auto since = std::chrono::duration_cast<std::chrono::seconds>(now - status.since).count();
  json j{{"address", status.address.str()},
         {"dynamic", status.dynamic},
         {"passive", status.passive},
         {"stopped", status.stopped},
         {"state", std::string(bgp::to_string(status.state))},
         {"up_down_s", std::max<int64_t>(since, 0)},
         {"msg_rcvd", status.messages.received},
         {"msg_sent", status.messages.sent},
         {"updates_rcvd", status.messages.updates_received},
         {"updates_sent", status.messages.updates_sent},
         {"connect_retries", status.connect_retry_counter},
         {"session", status.session ? session_json(*status.session) : json(nullptr)},
         {"last_down", status.last_down ? json(status.last_down->text) : json(nullptr)},
         // The Adj-RIB-In as the speaker holds it; stale paths are kept from a
         // restarting peer (RFC 4724) until it refreshes them.
         {"paths_rcvd", rib ? rib->paths : 0},
         {"stale_paths", rib ? rib->stale : 0},
         {"end_of_rib_rcvd", rib && rib->end_of_rib_received}};
  return j;
}

// RFC 4271 §4.3 AS_PATH in the usual notation: sequences as space-separated
// ASes, sets in braces; "" for the empty path of an iBGP route.
std::string as_path_text(const std::optional<bgp::AsPath>& path) {
  if (!path) return "";
  std::string out;
  for (const auto& segment : *path) {
    if (!out.empty()) out += ' ';
    bool set = segment.type == bgp::AsSegment::Type::as_set ||
               segment.type == bgp::AsSegment::Type::confed_set;
    std::string asns = fmt::format("{}", fmt::join(segment.asns, set ? "," : " "));
    out += set ? "{" + asns + "}" : asns;
  }
  return out;
}

// FRR's origin codes: i, e, ? ("" when the attribute is missing).
std::string origin_code(const std::optional<bgp::Origin>& origin) {
  if (!origin) return "";
  switch (*origin) {
    case bgp::Origin::igp: return "i";
    case bgp::Origin::egp: return "e";
    case bgp::Origin::incomplete: return "?";
  }
  return "";
}

// The next hop as the overlay sees it: the IPv4 VTEP, or the IPv6 one we
// cannot install (shown so the operator sees why).
json next_hop_json(const evpn::PathInfo& info) {
  if (info.next_hop) return info.next_hop->str();
  const auto& reach = info.attributes.mp_reach;
  if (reach && reach->next_hop.size() >= 16) {
    evpn::Ipv6 v6;
    std::copy_n(reach->next_hop.begin(), 16, v6.bytes.begin());
    return v6.str();
  }
  return nullptr;
}

// The fields of the route's key and the attributes it carries on the wire.
void add_route_fields(const evpn::Route& route, json& j) {
  if (const auto* r = std::get_if<evpn::MacIpRoute>(&route)) {
    j["mac"] = r->key.mac.str();
    j["ip"] = r->key.ip ? json(evpn::to_string(*r->key.ip)) : json(nullptr);
    j["ethernet_tag"] = r->key.ethernet_tag;
    j["esi"] = r->esi.str();
    j["vni"] = r->label1;
    j["vni2"] = r->label2 ? json(*r->label2) : json(nullptr);
  } else if (const auto* r = std::get_if<evpn::InclusiveMulticastRoute>(&route)) {
    j["ethernet_tag"] = r->key.ethernet_tag;
    j["originator"] = evpn::to_string(r->key.originator);
  } else if (const auto* r = std::get_if<evpn::EthernetAdRoute>(&route)) {
    j["ethernet_tag"] = r->key.ethernet_tag;
    j["esi"] = r->key.esi.str();
    j["label"] = r->label;
  } else if (const auto* r = std::get_if<evpn::EthernetSegmentRoute>(&route)) {
    j["esi"] = r->key.esi.str();
    j["originator"] = evpn::to_string(r->key.originator);
  } else if (const auto* r = std::get_if<evpn::IpPrefixRoute>(&route)) {
    j["ethernet_tag"] = r->key.ethernet_tag;
    j["esi"] = r->esi.str();
    j["gateway"] = evpn::to_string(r->gateway);
    j["label"] = r->label;
  }
}

json path_json(const evpn::Path& path, bool best) {
  const evpn::PathInfo& info = *path.info;
  const bgp::PathAttributes& a = info.attributes;
  json ext = json::array();
  for (const auto& bytes : a.ext_communities)
    ext.push_back(evpn::to_string(evpn::decode_ext_community(bytes)));
  json clusters = json::array();
  for (const auto& c : a.cluster_list) clusters.push_back(c.str());
  json pmsi = nullptr;
  if (info.pmsi)
    pmsi = {{"tunnel_type", info.pmsi->tunnel_type},
            {"label", info.pmsi->label},
            {"flags", info.pmsi->flags}};
  json j{{"best", best},
         {"stale", path.stale},
         {"from", path.local() ? "local" : info.internal ? "internal" : "external"},
         {"peer", path.local() ? json(nullptr) : json(path.peer.str())},
         {"next_hop", next_hop_json(info)},
         {"metric", a.med ? json(*a.med) : json(nullptr)},
         {"local_pref", a.local_pref ? json(*a.local_pref) : json(nullptr)},
         // FRR gives the paths it originates weight 32768 and received ones 0.
         {"weight", path.local() ? 32768 : 0},
         {"as_path", as_path_text(a.as_path)},
         {"origin", origin_code(a.origin)},
         {"ext_communities", std::move(ext)},
         {"originator_id", optional_address(a.originator_id)},
         {"cluster_list", std::move(clusters)},
         {"pmsi_tunnel", std::move(pmsi)}};
  add_route_fields(path.route, j);
  return j;
}

std::optional<evpn::RouteDistinguisher> rd_of(const evpn::RouteKey& key) {
  return std::visit(
      [](const auto& k) -> std::optional<evpn::RouteDistinguisher> {
        if constexpr (requires { k.rd; })
          return k.rd;
        else
          return std::nullopt;
      },
      key);
}

}  // namespace

json bgp_summary_json(const BgpIdentity& self, const std::vector<bgp::PeerStatus>& sessions,
                      const evpn::Speaker& speaker, bgp::TimePoint now) {
  std::map<Ipv4, evpn::PeerView> rib_peers;
  for (auto& view : speaker.peers()) rib_peers.emplace(view.address, view);
  json peers = json::array();
  for (const auto& status : sessions) {
    auto it = rib_peers.find(status.address);
    peers.push_back(peer_json(status, it == rib_peers.end() ? nullptr : &it->second, now));
  }
  return json{{"router_id", self.router_id.str()},
              {"as", self.as},
              {"cluster_id", optional_address(self.cluster_id)},
              {"rib_routes", speaker.route_count()},
              {"peers", std::move(peers)}};
}

json bgp_evpn_json(const BgpIdentity& self, const evpn::Speaker& speaker,
                   const evpn::RouteFilter& filter) {
  auto views = speaker.routes(filter);
  // FRR lists routes under their RD; the RIB orders by type first.
  std::stable_sort(views.begin(), views.end(), [](const auto& a, const auto& b) {
    return rd_of(a.key) < rd_of(b.key);
  });
  json routes = json::array();
  size_t path_count = 0;
  for (const auto& view : views) {
    json paths = json::array();
    for (size_t i = 0; i < view.paths.size(); ++i)
      paths.push_back(path_json(view.paths[i], i == view.best));
    path_count += view.paths.size();
    auto rd = rd_of(view.key);
    routes.push_back(json{{"rd", rd ? json(rd->str()) : json(nullptr)},
                          {"prefix", evpn::to_string(view.key)},
                          {"type", evpn::route_type(view.key)},
                          {"paths", std::move(paths)}});
  }
  return json{{"router_id", self.router_id.str()},
              {"as", self.as},
              {"prefixes", routes.size()},
              {"paths", path_count},
              {"routes", std::move(routes)}};
}

}  // namespace nwbpf::daemon
