// SPDX-License-Identifier: Apache-2.0
#include "daemon/control_views.h"

#include <algorithm>
#include <cstring>

#include "common/net_types.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {

using nlohmann::json;

namespace {

struct CounterName {
  const char* name;
  const char* description;
};

#define NWBPF_X_NAME(e, n, h) CounterName{n, h},
constexpr CounterName kStatNames[] = {NWBPF_STAT_LIST(NWBPF_X_NAME)};
constexpr CounterName kDropNames[] = {NWBPF_DROP_LIST(NWBPF_X_NAME)};
#undef NWBPF_X_NAME

json counters_json(const std::vector<nwbpf_counter>& values, const CounterName* names, size_t n) {
  json out = json::array();
  for (size_t i = 0; i < n && i < values.size(); ++i)
    out.push_back({{"name", names[i].name},
                   {"description", names[i].description},
                   {"packets", values[i].packets},
                   {"bytes", values[i].bytes}});
  return out;
}

const char* origin_name(uint8_t origin) {
  switch (origin) {
    case NWBPF_ORIGIN_LEARNED:
      return "learned";
    case NWBPF_ORIGIN_STATIC:
      return "static";
    case NWBPF_ORIGIN_EVPN:
      return "evpn";
  }
  return "unknown";
}

json fdb_entry_json(const nwbpf_fdb_key& key, const nwbpf_fdb_entry& e, bool learned,
                    const FdbSources& src) {
  Mac mac;
  std::memcpy(mac.bytes.data(), key.mac, mac.bytes.size());
  json j{{"vni", key.vni}, {"mac", mac.str()}, {"origin", origin_name(e.origin)}};
  if (e.kind == NWBPF_FDB_LOCAL) {
    j["kind"] = "local";
    j["port"] = src.port_name(static_cast<int>(e.ifindex));
    j["ifindex"] = e.ifindex;
    j["vlan"] = key.vni;  // VNI = VLAN ID
  } else {
    j["kind"] = "remote";
    j["vtep"] = Ipv4{e.vtep}.str();
    const nwbpf_peer* peer = nullptr;
    if (src.peers)
      if (auto it = src.peers->find(e.vtep); it != src.peers->end()) peer = &it->second;
    j["nbma"] = peer ? json(Ipv4{peer->nbma}.str()) : json(nullptr);
  }
  if (learned)
    j["age_s"] = e.last_seen_ns < src.now_ns ? (src.now_ns - e.last_seen_ns) / 1000000000ULL : 0;
  return j;
}

}  // namespace

json ports_json(const std::vector<PortView>& ports) {
  json out = json::array();
  for (const auto& p : ports)
    out.push_back({{"name", p.name},
                   {"ifindex", p.ifindex},
                   {"role", role_name(p.role)},
                   {"state", p.state},
                   {"tagged", p.tagged},
                   {"vlans", p.vlans},
                   {"pvid", p.pvid},
                   {"path", p.xdp_path ? "xdp" : "tc"},
                   {"path_reason", p.path_reason}});
  return out;
}

json peers_json(const Config& config) {
  json out = json::array();
  for (const auto& peer : config.peers) {
    json vnis = json::array();
    for (const auto& f : config.flood)
      if (std::find(f.vteps.begin(), f.vteps.end(), peer.overlay) != f.vteps.end())
        vnis.push_back(f.vni);
    out.push_back({{"overlay", peer.overlay.str()},
                   {"nbma", peer.nbma.str()},
                   {"vnis", std::move(vnis)},
                   {"origin", "static"}});
  }
  return out;
}

json fdb_json(const FdbSources& sources) {
  struct Row {
    const nwbpf_fdb_key* key;
    const nwbpf_fdb_entry* entry;
    bool learned;
  };
  std::vector<Row> rows;
  for (const auto& [k, e] : sources.control) rows.push_back({&k, &e, false});
  for (const auto& [k, e] : sources.learned) rows.push_back({&k, &e, true});
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.key->vni != b.key->vni) return a.key->vni < b.key->vni;
    if (int mac = std::memcmp(a.key->mac, b.key->mac, sizeof a.key->mac)) return mac < 0;
    return a.learned < b.learned;
  });
  json out = json::array();
  for (const Row& r : rows) out.push_back(fdb_entry_json(*r.key, *r.entry, r.learned, sources));
  return out;
}

json stats_json(const std::vector<nwbpf_counter>& stats, const std::vector<nwbpf_counter>& drops,
                const std::map<std::string, uint64_t>& agent) {
  return json{{"stats", counters_json(stats, kStatNames, NWBPF_STAT_MAX)},
              {"drops", counters_json(drops, kDropNames, NWBPF_DROP_MAX)},
              {"agent", agent}};
}

nwbpf_counter sum_counters(const std::vector<nwbpf_counter>& per_cpu) {
  nwbpf_counter total{};
  for (const auto& c : per_cpu) {
    total.packets += c.packets;
    total.bytes += c.bytes;
  }
  return total;
}

}  // namespace nwbpf::daemon
