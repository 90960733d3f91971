// SPDX-License-Identifier: Apache-2.0
#include "views/fdb_view.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <tuple>

#include "views/table.h"
#include "nwbpf/consts.h"

namespace nwbpf::views {

namespace {

constexpr uint64_t kNsPerSecond = 1000000000ULL;

bool vlan_bit(const __u64 (&bitmap)[NWBPF_VLAN_WORDS], uint32_t vlan) {
  return vlan < NWBPF_VLAN_WORDS * 64 && (bitmap[vlan / 64] >> (vlan % 64) & 1);
}

FdbRow make_row(const nwbpf_fdb_key& key, const nwbpf_fdb_entry& entry, bool learned,
                const FdbSnapshot& snap, const IfNameFn& ifname) {
  FdbRow row;
  row.vni = key.vni;
  std::memcpy(row.mac.bytes.data(), key.mac, row.mac.bytes.size());
  row.kind = entry.kind;
  // The map an entry sits in decides its origin for learned entries: that is
  // what the agent ages, whatever the origin byte says.
  row.origin = learned ? uint8_t{NWBPF_ORIGIN_LEARNED} : entry.origin;
  if (entry.kind == NWBPF_FDB_LOCAL) {
    row.ifindex = entry.ifindex;
    row.port = ifname(entry.ifindex);
    // VNI = VLAN ID, so the entry's VLAN on the port is its VNI.
    if (auto it = snap.ports.find(entry.ifindex); it != snap.ports.end())
      row.untagged = vlan_bit(it->second.untagged, key.vni);
  } else if (entry.kind == NWBPF_FDB_REMOTE) {
    row.vtep = Ipv4{entry.vtep};
    if (auto it = snap.peers.find(entry.vtep); it != snap.peers.end()) {
      row.nbma = Ipv4{it->second.nbma};
      row.nbma_port = ntohs(it->second.nbma_port);
    }
  }
  if (learned)
    row.age_s =
        snap.now_ns > entry.last_seen_ns ? (snap.now_ns - entry.last_seen_ns) / kNsPerSecond : 0;
  return row;
}

std::string origin_name(uint8_t origin) {
  switch (origin) {
    case NWBPF_ORIGIN_LEARNED:
      return "learned";
    case NWBPF_ORIGIN_STATIC:
      return "static";
    case NWBPF_ORIGIN_EVPN:
      return "evpn";
  }
  return "unknown(" + std::to_string(origin) + ")";
}

uint16_t effective_port(uint16_t port) { return port ? port : NWBPF_VXLAN_PORT; }

std::string where_text(const FdbRow& row) {
  if (row.kind == NWBPF_FDB_LOCAL) {
    std::string s =
        "port " + (row.port ? *row.port : "? (ifindex " + std::to_string(row.ifindex) + ")");
    s += " vlan " + std::to_string(row.vni);
    if (row.untagged) s += *row.untagged ? " untagged" : " tagged";
    return s;
  }
  if (row.kind == NWBPF_FDB_REMOTE) {
    std::string s = "vtep " + row.vtep.str() + " nbma ";
    if (!row.nbma) return s + "?";
    s += row.nbma->str();
    if (effective_port(row.nbma_port) != NWBPF_VXLAN_PORT) s += ":" + std::to_string(row.nbma_port);
    return s;
  }
  return "unknown kind " + std::to_string(row.kind);
}

}  // namespace

std::vector<FdbRow> fdb_rows(const FdbSnapshot& snapshot, const IfNameFn& ifname,
                             std::optional<uint32_t> vni) {
  std::vector<FdbRow> rows;
  for (bool learned : {false, true})
    for (const auto& [key, entry] : learned ? snapshot.learned : snapshot.fdb)
      if (!vni || key.vni == *vni) rows.push_back(make_row(key, entry, learned, snapshot, ifname));
  // Stable: for a key in both maps the control-plane row (added first) stays first.
  std::stable_sort(rows.begin(), rows.end(), [](const FdbRow& a, const FdbRow& b) {
    return std::tie(a.vni, a.mac) < std::tie(b.vni, b.mac);
  });
  return rows;
}

std::string fdb_table(const std::vector<FdbRow>& rows) {
  Table table({{"VNI", Align::right}, {"MAC"}, {"WHERE"}, {"ORIGIN"}, {"AGE", Align::right}});
  for (const auto& row : rows)
    table.add_row({std::to_string(row.vni), row.mac.str(), where_text(row), origin_name(row.origin),
                   row.age_s ? std::to_string(*row.age_s) + "s" : "-"});
  return table.render();
}

nlohmann::ordered_json fdb_json(const std::vector<FdbRow>& rows) {
  using json = nlohmann::ordered_json;
  auto or_null = [](const auto& opt) { return opt ? json(*opt) : json(nullptr); };
  json out = json::array();
  for (const auto& row : rows) {
    json j = {{"vni", row.vni}, {"mac", row.mac.str()}};
    if (row.kind == NWBPF_FDB_LOCAL) {
      j["kind"] = "local";
      j["port"] = or_null(row.port);
      j["ifindex"] = row.ifindex;
      j["vlan"] = row.vni;
      j["untagged"] = or_null(row.untagged);
    } else if (row.kind == NWBPF_FDB_REMOTE) {
      j["kind"] = "remote";
      j["vtep"] = row.vtep.str();
      j["nbma"] = row.nbma ? json(row.nbma->str()) : json(nullptr);
      j["nbma_port"] = row.nbma ? json(effective_port(row.nbma_port)) : json(nullptr);
    } else {
      j["kind"] = "unknown(" + std::to_string(row.kind) + ")";
    }
    j["origin"] = origin_name(row.origin);
    j["age_s"] = or_null(row.age_s);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace nwbpf::views
