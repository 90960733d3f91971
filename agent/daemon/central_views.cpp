// SPDX-License-Identifier: Apache-2.0
#include "daemon/central_views.h"

#include <algorithm>
#include "common/utc_time.h"

namespace nwbpf::daemon {

namespace {

using nlohmann::json;
using Time = std::chrono::system_clock::time_point;

json time_json(const std::optional<Time>& t, Time now) {
  if (!t) return nullptr;
  auto ago = std::chrono::duration_cast<std::chrono::seconds>(now - *t).count();
  return {{"at", utc_text(*t)}, {"ago_s", std::max<int64_t>(0, ago)}};
}

json fetch_json(const central::FetchStatus* f, Time now) {
  if (!f) return nullptr;
  return {{"connect_address", f->connect_address ? json(f->connect_address->str()) : json(nullptr)},
          {"last_attempt", time_json(f->last_attempt, now)},
          {"last_result", f->last_result},
          {"last_success", time_json(f->last_success, now)},
          {"in_flight", f->in_flight},
          {"attempts", f->attempts},
          {"changed", f->changed},
          {"unchanged", f->unchanged},
          {"failures", f->failures},
          {"kicks", f->kicks}};
}

json source_json(const SourceView& s, Time now) {
  const FileStatus& file = *s.file;
  return {{"source", central::to_string(s.source)},
          {"url", s.url},
          {"kick",
           {{"address", s.kick_address ? json(s.kick_address->str()) : json(nullptr)},
            {"port", s.kick_port},
            {"error", s.kick_error}}},
          {"fetch", fetch_json(s.fetch, now)},
          {"file",
           {{"origin", file.origin},
            {"result", file.result},
            {"problems", file.problems},
            {"warnings", file.warnings},
            {"applied_at", time_json(file.applied_at, now)}}}};
}

json port_json(const central::PortEntry& port, const std::vector<PortView>& applied) {
  auto view = std::find_if(applied.begin(), applied.end(), [&](const PortView& v) {
    return v.name == port.name && v.role == NWBPF_PORT_EDGE;
  });
  // Bridge semantics (portconfig_apply.h): untagged ports take the last VLAN.
  json pvid = port.tagged || port.vlans.empty() ? json(nullptr) : json(port.vlans.back());
  return {{"name", port.name},
          {"tagged", port.tagged},
          {"vlans", port.vlans},
          {"pvid", pvid},
          {"state", view == applied.end() ? "not applied" : view->state},
          {"ifindex", view == applied.end() ? 0 : view->ifindex}};
}

}  // namespace

json portconfig_json(const CentralClient& client, const std::vector<PortView>& applied, Time now) {
  json sources = json::array();
  for (const auto& s : client.sources()) sources.push_back(source_json(s, now));
  json out{{"sources", sources}, {"bridge", nullptr}, {"ports", nullptr}};
  if (const central::PortConfig* file = client.portconfig()) {
    out["bridge"] = file->name;
    out["ports"] = json::array();
    for (const auto& port : file->ports) out["ports"].push_back(port_json(port, applied));
  }
  return out;
}

}  // namespace nwbpf::daemon
