// SPDX-License-Identifier: Apache-2.0
#include "config/sections.h"

#include "config/bgp_section.h"
#include "config/config_server_section.h"
#include "config/fetch_section.h"
#include "config/ipsec_section.h"
#include "config/nhrp_section.h"
#include "config/section_helpers.h"
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
constexpr Choice<TcpMssMode> kTcpMssModes[] = {{"auto", TcpMssMode::automatic},
                                               {"off", TcpMssMode::off}};
// 536: the MSS every IPv4 host must accept (RFC 9293 section 3.7.1);
// 9000: a jumbo frame's.
constexpr IntRange kTcpMssRange{536, 9000};

std::string_view role_name(Role role) {
  for (const auto& choice : kRoles)
    if (choice.value == role) return choice.name;
  return {};  // unreachable: kRoles names every Role
}

// An invalid element leaves the list empty: which roles this node has is then
// unknown (and reported), so the checks that depend on it are left out.
std::vector<Role> read_roles(const toml::array& array, const std::string& path, Diagnostics& diag) {
  auto read_one = [&](const toml::node& node, const std::string& at) {
    return read_choice<Role>(node, at, kRoles, diag);
  };
  auto describe = [](Role role) { return "role " + quote(role_name(role)); };
  std::vector<Role> roles;
  for (auto role : read_distinct<Role>(array, path, "role", diag, read_one, describe)) {
    if (!role) return {};
    roles.push_back(*role);
  }
  return roles;
}

// An invalid element stays as 0 so indices match the file.
std::vector<uint16_t> read_vlans(const toml::array& array, const std::string& path,
                                 Diagnostics& diag) {
  auto read_one = [&](const toml::node& node, const std::string& at) {
    return read_int(node, at, kVlanRange, diag);
  };
  auto describe = [](int64_t vlan) { return "VLAN " + std::to_string(vlan); };
  std::vector<uint16_t> vlans;
  for (auto vlan : read_distinct<int64_t>(array, path, "VLAN", diag, read_one, describe))
    vlans.push_back(static_cast<uint16_t>(vlan.value_or(0)));
  return vlans;
}

void read_agent(const toml::table& table, Diagnostics& diag, AgentConfig& agent) {
  TableReader r(table, "agent", diag);
  if (auto v = r.string("instance", Need::optional, instance_name_problem)) agent.instance = *v;
  if (const auto* roles = r.array("roles"))
    agent.roles = read_roles(*roles, r.path_of("roles"), diag);
  else if (table.contains("roles"))
    agent.roles.clear();  // not an array (reported): the roles are unknown, as above
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
  // "auto" | "off" | a fixed MSS: an integer is read as one, anything else
  // must be one of the names.
  if (const toml::node* mss = table.get("tcp_mss"); mss && mss->is_integer()) {
    if (auto v = r.integer("tcp_mss", kTcpMssRange)) {
      dp.tcp_mss = TcpMssMode::fixed;
      dp.tcp_mss_value = static_cast<uint16_t>(*v);
    }
  } else if (auto v = r.choice<TcpMssMode>("tcp_mss", kTcpMssModes)) {
    dp.tcp_mss = *v;
  }
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
    flood.vteps = read_distinct_ipv4(*vteps, r.path_of("vteps"), "VTEP", diag);
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
  // After [dataplane]: encryption needs the kernel-tunnel mode.
  if (const auto* ipsec = r.table("ipsec")) config.ipsec = read_ipsec(*ipsec, config, diag);
  config.ports = read_table_array<PortConfig>(r, "port", diag, read_port);
  config.peers = read_table_array<PeerConfig>(r, "peer", diag, read_peer);
  config.flood = read_table_array<FloodConfig>(r, "flood", diag, read_flood);
  config.fdb = read_table_array<StaticFdbConfig>(r, "fdb", diag, read_fdb);
  // After [agent] and [node]: the roles decide which [bgp] keys apply, and
  // the overlay address is the default router_id.
  if (const auto* bgp = r.table("bgp")) config.bgp = read_bgp(*bgp, config, diag);
  if (const auto* nhrp = r.table("nhrp")) config.nhrp = read_nhrp(*nhrp, config, diag);
  if (const auto* fetch = r.table("fetch")) config.fetch = read_fetch(*fetch, config, diag);
  // After [fetch]: its URLs name the folders served.
  if (const auto* server = r.table("config_server"))
    config.config_server = read_config_server(*server, config, diag);
  r.reject_unknown();
  return config;
}

}  // namespace nwbpf::config
