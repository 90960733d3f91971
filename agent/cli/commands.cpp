// SPDX-License-Identifier: Apache-2.0
#include "cli/commands.h"

#include <cerrno>
#include <stdexcept>

#include "cli/acl_view.h"
#include "cli/agent_view.h"
#include "cli/bgp_view.h"
#include "cli/config_server_view.h"
#include "cli/control_client.h"
#include "cli/ipsec_view.h"
#include "cli/portconfig_view.h"
#include "views/fdb_view.h"
#include "views/map_snapshot.h"
#include "views/stats_view.h"
#include "config/config.h"
#include "config/nante_wan_conf.h"
#include "control/protocol.h"
#include "dataplane/datapath_maps.h"

namespace nwbpf::cli {

using namespace nwbpf::views;  // the shared fdb/stats views and tables

namespace {

// Pins are root's (bpffs mode 0700 directories): say so instead of a bare EPERM.
DatapathMaps open_maps(const Target& target) {
  try {
    return DatapathMaps::open_pinned(target.pin_dir);
  } catch (const BpfError& e) {
    if (e.err() != EPERM && e.err() != EACCES) throw;
    throw std::runtime_error(std::string(e.what()) + " (reading BPF maps needs root)");
  }
}

// Strings from the agent are already valid UTF-8; device names need not be.
template <typename Json>
void print_json(const Json& j, std::ostream& out) {
  out << j.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace

void show_fdb(const Target& target, std::optional<uint32_t> vni, bool json, std::ostream& out) {
  auto rows = fdb_rows(read_fdb_snapshot(open_maps(target)), interface_name, vni);
  if (json)
    print_json(fdb_json(rows), out);
  else
    out << fdb_table(rows);
}

void show_stats(const Target& target, bool all, bool json, std::ostream& out) {
  auto view = read_stats(open_maps(target));
  if (json)
    print_json(stats_json(view), out);
  else
    out << stats_table(view, all);
}

namespace {

nlohmann::json ask_agent(const Target& target, const nlohmann::json& request) {
  try {
    return control_request(target.socket, request);
  } catch (const AgentUnreachable& e) {
    // The socket is mode 0600: a refusal means "wrong user", not "not running".
    std::string hint = e.err() == EACCES || e.err() == EPERM
                           ? "only the agent's user, normally root, may use the socket"
                           : "is it running with instance " + target.instance + "?";
    throw std::runtime_error("cannot reach nwbpfd at " + target.socket + ": " + e.what() + " (" +
                             hint + ")");
  }
}

}  // namespace

void show_from_agent(const Target& target, const std::string& object, bool json,
                     std::ostream& out) {
  auto result = ask_agent(target, {{control::kCommand, "show"}, {control::kObject, object}});
  if (json)
    print_json(result, out);
  else if (object == "ports")
    out << ports_table(result);
  else if (object == "peers")
    out << peers_table(result);
  else if (object == "ipsec")
    out << ipsec_text(result);
  else
    out << config_server_text(result);
}

void show_bgp_summary(const Target& target, bool json, std::ostream& out) {
  auto result =
      ask_agent(target, {{control::kCommand, "show"}, {control::kObject, "bgp-summary"}});
  if (json)
    print_json(result, out);
  else
    out << bgp_summary_text(result);
}

void show_bgp_evpn(const Target& target, const EvpnFilter& filter, bool json, std::ostream& out) {
  nlohmann::json request{{control::kCommand, "show"}, {control::kObject, "bgp-evpn"}};
  if (filter.type) request[control::kType] = *filter.type;
  if (filter.vni) request[control::kVni] = *filter.vni;
  auto result = ask_agent(target, request);
  if (json)
    print_json(result, out);
  else
    out << bgp_evpn_text(result);
}

void show_nhrp(const Target& target, std::optional<NhrpTable> table, bool json, std::ostream& out) {
  nlohmann::json request{{control::kCommand, "show"}, {control::kObject, "nhrp"}};
  if (table) request[control::kTable] = std::string(nhrp_table_name(*table));
  auto result = ask_agent(target, request);
  if (json)
    print_json(result, out);
  else
    out << nhrp_text(result, table);
}

void show_portconfig(const Target& target, bool json, std::ostream& out) {
  auto result = ask_agent(target, {{control::kCommand, "show"}, {control::kObject, "portconfig"}});
  if (json)
    print_json(result, out);
  else
    out << portconfig_text(result);
}

void show_acl(const Target& target, std::optional<uint16_t> vlan, bool json, std::ostream& out) {
  nlohmann::json request{{control::kCommand, "show"}, {control::kObject, "acl"}};
  if (vlan) request[control::kVlan] = *vlan;
  auto result = ask_agent(target, request);
  if (json)
    print_json(result, out);
  else
    out << acl_text(result, vlan);
}

void config_check(const std::string& file, std::ostream& out) {
  // A nante-wan.conf may hold settings nwbpf does not carry out: say which.
  for (const auto& line : load_config(file).unused) out << line << '\n';
  out << file << ": OK\n";
}

void config_import(const std::string& file, std::ostream& out) {
  out << nante_wan_conf_to_toml(read_config_file(file), file);
}

}  // namespace nwbpf::cli
