// SPDX-License-Identifier: Apache-2.0
#include "config/sections.h"

#include "config/toml_reader.h"
#include "config/value_rules.h"

namespace nwbpf::config {

namespace {

constexpr Choice<Role> kRoles[] = {
    {"ce", Role::ce}, {"route-server", Role::route_server}, {"config-server", Role::config_server}};
constexpr Choice<DataplaneMode> kModes[] = {{"xdp", DataplaneMode::xdp},
                                            {"tc", DataplaneMode::tc},
                                            {"kernel-tunnel", DataplaneMode::kernel_tunnel}};
constexpr Choice<PortPath> kPaths[] = {
    {"auto", PortPath::automatic}, {"xdp", PortPath::xdp}, {"tc", PortPath::tc}};

// VNI = VLAN ID (Nante-WAN's model), so both live in the 802.1Q range.
constexpr IntRange kVlanRange{1, 4094, "VLAN"};
constexpr IntRange kVniRange{1, 4094, "VNI"};

// Reports an empty array at `path`; true if there is something to read.
bool non_empty(const toml::array& array, const std::string& path, std::string_view what,
               Diagnostics& diag) {
  if (!array.empty()) return true;
  diag.error(array.source().begin, path, "at least one " + std::string(what) + " is required");
  return false;
}

// The index of an earlier element equal to list[i], if any.
template <class T>
std::optional<size_t> earlier(const std::vector<T>& list, size_t i) {
  for (size_t j = 0; j < i; ++j)
    if (list[j] == list[i]) return j;
  return std::nullopt;
}

std::vector<Role> read_roles(const toml::array& array, const std::string& path, Diagnostics& diag) {
  std::vector<Role> roles;
  if (!non_empty(array, path, "role", diag)) return roles;
  std::vector<std::optional<Role>> listed;  // per element, to name the first of a duplicate
  for (size_t i = 0; i < array.size(); ++i) {
    listed.push_back(read_choice<Role>(array[i], index_path(path, i), kRoles, diag));
    auto j = listed[i] ? earlier(listed, i) : std::nullopt;
    if (j)
      diag.error(array[i].source().begin, index_path(path, i),
                 "role " + quote(*array[i].value<std::string_view>()) + " is already " +
                     index_path(path, *j));
    else if (listed[i])
      roles.push_back(*listed[i]);
  }
  return roles;
}

// An invalid element stays as 0 so indices match the file.
std::vector<uint16_t> read_vlans(const toml::array& array, const std::string& path,
                                 Diagnostics& diag) {
  std::vector<uint16_t> vlans;
  if (!non_empty(array, path, "VLAN", diag)) return vlans;
  for (size_t i = 0; i < array.size(); ++i) {
    auto vlan = read_int(array[i], index_path(path, i), kVlanRange, diag);
    vlans.push_back(static_cast<uint16_t>(vlan.value_or(0)));
    auto j = vlan ? earlier(vlans, i) : std::nullopt;
    if (j)
      diag.error(array[i].source().begin, index_path(path, i),
                 "VLAN " + std::to_string(*vlan) + " is already " + index_path(path, *j));
  }
  return vlans;
}

// An invalid element stays as 0.0.0.0 so indices match the file.
std::vector<Ipv4> read_vteps(const toml::array& array, const std::string& path, Diagnostics& diag) {
  std::vector<Ipv4> vteps;
  if (!non_empty(array, path, "VTEP", diag)) return vteps;
  for (size_t i = 0; i < array.size(); ++i) {
    auto vtep = read_ipv4(array[i], index_path(path, i), diag);
    vteps.push_back(vtep.value_or(Ipv4{}));
    auto j = vtep ? earlier(vteps, i) : std::nullopt;
    if (j)
      diag.error(array[i].source().begin, index_path(path, i),
                 vtep->str() + " is already " + index_path(path, *j));
  }
  return vteps;
}

void read_agent(const toml::table& table, Diagnostics& diag, AgentConfig& agent) {
  TableReader r(table, "agent", diag);
  if (auto v = r.string("instance", Need::optional, instance_name_problem)) agent.instance = *v;
  if (const auto* roles = r.array("roles"))
    agent.roles = read_roles(*roles, r.path_of("roles"), diag);
  if (auto v = r.string("bpffs", Need::optional, absolute_path_problem)) agent.bpffs = *v;
  if (auto v = r.string("control_socket", Need::optional, socket_path_problem))
    agent.control_socket = *v;
  if (auto v = r.string("log_level", Need::optional, log_level_problem)) agent.log_level = *v;
  if (auto v = r.string("bpf_object", Need::optional, absolute_path_problem)) agent.bpf_object = *v;
  if (auto v = r.boolean("detach_on_exit")) agent.detach_on_exit = *v;
  r.reject_unknown();
}

void read_node(const toml::table& table, Diagnostics& diag, NodeConfig& node) {
  TableReader r(table, "node", diag);
  if (auto v = r.ipv4("overlay_address", Need::required)) node.overlay_address = *v;
  if (auto v = r.ipv4("nbma_address")) node.nbma_address = *v;
  // An invalid name (reported) must not leave the default "eth0" in place for
  // validate() to compare ports against; "" is its "already reported" mark.
  if (auto v = r.string("wan_interface", Need::optional, ifname_problem))
    node.wan_interface = *v;
  else if (table.contains("wan_interface"))
    node.wan_interface.clear();
  r.reject_unknown();
}

void read_dataplane(const toml::table& table, Diagnostics& diag, DataplaneConfig& dp) {
  TableReader r(table, "dataplane", diag);
  if (auto v = r.choice<DataplaneMode>("mode", kModes)) dp.mode = *v;
  if (auto v = r.boolean("learn_remote")) dp.learn_remote = *v;
  if (auto v = r.integer("mac_ageing", {10, 1000000})) dp.mac_ageing_s = static_cast<uint32_t>(*v);
  if (auto v = r.integer("ttl", {1, 255})) dp.ttl = static_cast<uint8_t>(*v);
  if (auto v = r.boolean("df")) dp.df = *v;
  if (auto v = r.integer("udp_src_port", {0, 65535})) dp.udp_src_port = static_cast<uint16_t>(*v);
  if (auto v = r.integer("fdb_size", {1024, 16777216})) dp.fdb_size = static_cast<uint32_t>(*v);
  if (auto v = r.string("tunnel_device", Need::optional, ifname_problem))
    dp.tunnel_device = *v;
  else if (table.contains("tunnel_device"))
    dp.tunnel_device.clear();  // as wan_interface above
  r.reject_unknown();
}

PortConfig read_port(const toml::table& table, std::string path, Diagnostics& diag) {
  TableReader r(table, std::move(path), diag);
  PortConfig port;
  port.source = diag.where(table);
  if (auto v = r.string("name", Need::required, ifname_problem)) port.name = *v;
  if (auto v = r.boolean("tagged")) port.tagged = *v;
  if (const auto* vlans = r.array("vlans", Need::required))
    port.vlans = read_vlans(*vlans, r.path_of("vlans"), diag);
  if (auto v = r.choice<PortPath>("path", kPaths)) port.path = *v;
  r.reject_unknown();
  return port;
}

PeerConfig read_peer(const toml::table& table, std::string path, Diagnostics& diag) {
  TableReader r(table, std::move(path), diag);
  PeerConfig peer;
  peer.source = diag.where(table);
  if (auto v = r.ipv4("overlay", Need::required)) peer.overlay = *v;
  if (auto v = r.ipv4("nbma", Need::required)) peer.nbma = *v;
  r.reject_unknown();
  return peer;
}

FloodConfig read_flood(const toml::table& table, std::string path, Diagnostics& diag) {
  TableReader r(table, std::move(path), diag);
  FloodConfig flood;
  flood.source = diag.where(table);
  if (auto v = r.integer("vni", kVniRange, Need::required)) flood.vni = static_cast<uint32_t>(*v);
  if (const auto* vteps = r.array("vteps", Need::required))
    flood.vteps = read_vteps(*vteps, r.path_of("vteps"), diag);
  r.reject_unknown();
  return flood;
}

StaticFdbConfig read_fdb(const toml::table& table, std::string path, Diagnostics& diag) {
  TableReader r(table, std::move(path), diag);
  StaticFdbConfig fdb;
  fdb.source = diag.where(table);
  if (auto v = r.integer("vni", kVniRange, Need::required)) fdb.vni = static_cast<uint32_t>(*v);
  if (auto v = r.mac("mac", Need::required)) fdb.mac = *v;
  // The entry says where the MAC lives: on a local port or behind a peer.
  bool has_port = table.contains("port"), has_vtep = table.contains("vtep");
  if (auto v = r.string("port", Need::optional, ifname_problem)) fdb.port = *v;
  if (auto v = r.ipv4("vtep")) fdb.vtep = *v;
  if (has_port && has_vtep)
    diag.error(r.path_of("vtep"), "give either port (a local port) or vtep (a peer), not both");
  if (!has_port && !has_vtep)
    diag.error(r.path(), "needs port (a local port) or vtep (a peer) to say where the MAC is");
  r.reject_unknown();
  return fdb;
}

// One entry per element of the [[key]] array; a non-table element (already
// reported) yields a default entry to keep indices aligned with the file.
template <class T, class ReadFn>
std::vector<T> read_all(TableReader& root, std::string_view key, Diagnostics& diag, ReadFn read) {
  std::vector<T> out;
  auto tables = root.tables(key);
  for (size_t i = 0; i < tables.size(); ++i)
    out.push_back(tables[i] ? read(*tables[i], index_path(key, i), diag) : T{});
  return out;
}

}  // namespace

Config read_sections(const toml::table& root, Diagnostics& diag) {
  Config config;
  TableReader r(root, "", diag);
  if (const auto* agent = r.table("agent")) read_agent(*agent, diag, config.agent);
  if (const auto* node = r.table("node"))
    read_node(*node, diag, config.node);
  else if (!root.contains("node"))
    diag.error("node.overlay_address", "required key is missing (no [node] table)");
  if (const auto* dataplane = r.table("dataplane"))
    read_dataplane(*dataplane, diag, config.dataplane);
  config.ports = read_all<PortConfig>(r, "port", diag, read_port);
  config.peers = read_all<PeerConfig>(r, "peer", diag, read_peer);
  config.flood = read_all<FloodConfig>(r, "flood", diag, read_flood);
  config.fdb = read_all<StaticFdbConfig>(r, "fdb", diag, read_fdb);
  r.reject_unknown();
  return config;
}

}  // namespace nwbpf::config
