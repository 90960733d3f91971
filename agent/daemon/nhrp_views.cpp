// SPDX-License-Identifier: Apache-2.0
#include "daemon/nhrp_views.h"

#include <arpa/inet.h>

#include <algorithm>

namespace nwbpf::daemon {

namespace {

using nlohmann::json;

// Ipv4 orders by its network-order bits; people read addresses in order.
bool before(Ipv4 a, Ipv4 b) { return ntohl(a.be) < ntohl(b.be); }

// The rows of a map keyed by Ipv4, in address order.
template <class Map>
std::vector<const typename Map::value_type*> in_address_order(const Map& map) {
  std::vector<const typename Map::value_type*> rows;
  for (const auto& row : map) rows.push_back(&row);
  std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return before(a->first, b->first); });
  return rows;
}

json address_or_null(const std::optional<Ipv4>& address) {
  return address ? json(address->str()) : json(nullptr);
}

// Whole seconds left until `t`, never negative.
int64_t seconds_until(nhrp::TimePoint t, nhrp::TimePoint now) {
  return std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(t - now).count());
}

json port_or_null(std::optional<uint16_t> port) { return port ? json(*port) : json(nullptr); }

json seconds_or_null(const std::optional<nhrp::TimePoint>& t, nhrp::TimePoint now) {
  return t ? json(seconds_until(*t, now)) : json(nullptr);
}

json nhs_json(const nhrp::RegistrationClient& client, nhrp::TimePoint now) {
  std::vector<nhrp::ServerStatus> servers = client.servers();
  std::sort(servers.begin(), servers.end(),
            [](const auto& a, const auto& b) { return before(a.nbma, b.nbma); });
  json out = json::array();
  for (const auto& s : servers)
    out.push_back({{"nbma", s.nbma.str()},
                   {"protocol", address_or_null(s.protocol)},
                   {"registered", s.registered},
                   {"expires_in_s", seconds_or_null(s.expires, now)},
                   {"nat_nbma", address_or_null(s.nat_nbma)},
                   {"retry_s", s.retry.count()},
                   {"last_error", s.last_error}});
  return out;
}

const char* state_name(nhrp::Shortcut::State state) {
  switch (state) {
    case nhrp::Shortcut::State::pending: return "pending";
    case nhrp::Shortcut::State::resolved: return "resolved";
    case nhrp::Shortcut::State::negative: return "negative";
  }
  return "pending";
}

json shortcuts_json(const NhrpService& service, nhrp::TimePoint now) {
  const nhrp::ShortcutTable& table = *service.shortcuts();
  json out = json::array();
  for (const auto* row : in_address_order(table.entries())) {
    const auto& [target, e] = *row;
    const bool resolved = e.state == nhrp::Shortcut::State::resolved;
    out.push_back({{"protocol", target.str()},
                   {"state", state_name(e.state)},
                   {"nbma", resolved ? json(e.nbma.str()) : json(nullptr)},
                   {"natted", e.natted},
                   {"nat_port", port_or_null(service.nat_port(target))},
                   {"holding_time_s", e.holding_time},
                   {"expires_in_s", seconds_until(e.expires, now)},
                   {"refresh_in_s", resolved ? json(seconds_until(e.refresh, now)) : json(nullptr)},
                   {"used", service.carried_traffic(target)},
                   {"direct", service.direct(target)},
                   {"via", e.via.str()}});
  }
  return out;
}

json cache_json(const NhrpService& service, nhrp::TimePoint now) {
  const nhrp::RegistrationCache& cache = *service.cache();
  json out = json::array();
  for (const auto* row : in_address_order(cache.bindings())) {
    const auto& [overlay, b] = *row;
    out.push_back({{"protocol", overlay.str()},
                   {"nbma", b.nbma.str()},
                   {"nat_nbma", address_or_null(b.nat_nbma)},
                   {"nat_port", port_or_null(service.nat_port(overlay))},
                   {"holding_time_s", b.holding_time},
                   {"expires_in_s", seconds_until(b.expires, now)},
                   {"unique", b.unique},
                   {"mtu", b.mtu}});
  }
  return out;
}

json counters_json(const NhrpCounters& c) {
  return {{"received", c.received},
          {"sent", c.sent},
          {"malformed", c.malformed},
          {"auth_failed", c.auth_failed},
          {"errors_sent", c.errors_sent},
          {"errors_received", c.errors_received},
          {"traffic_indications_sent", c.traffic_indications_sent}};
}

}  // namespace

json nhrp_json(const NhrpService& service, const std::optional<std::string>& table,
               nhrp::TimePoint now) {
  const NhrpPlan& plan = service.plan();
  json roles = json::array();
  if (plan.client) roles.push_back("ce");
  if (plan.server) roles.push_back("route-server");
  std::optional<Ipv4> nat;
  if (const auto* client = service.client(); client && client->reachable_nbma() != plan.nbma)
    nat = client->reachable_nbma();
  json out = {{"overlay", plan.protocol.str()},
              {"nbma", plan.nbma.str()},
              {"nat_nbma", address_or_null(nat)},
              {"roles", roles}};
  if (const auto* probes = service.probes(); probes && nat)
    out["nat_probes"] = {{"targets", probes->targets().size()},
                         {"sent", probes->counters().sent},
                         {"send_failed", probes->counters().send_failed}};
  auto wants = [&](const char* view) { return !table || *table == view || *table == "cache"; };
  if (const auto* client = service.client()) {
    if (wants("nhs")) out["nhs"] = nhs_json(*client, now);
    if (wants("shortcut")) out["shortcuts"] = shortcuts_json(service, now);
  }
  if (const auto* cache = service.cache(); cache && (!table || *table == "cache"))
    out["cache"] = cache_json(service, now);
  if (!table) out["counters"] = counters_json(service.counters());
  return out;
}

}  // namespace nwbpf::daemon
