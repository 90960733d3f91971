// SPDX-License-Identifier: Apache-2.0
// What each `nwbpf` command does, given parsed options: read the maps or ask
// the agent, then print through the pure views. Errors are thrown as
// exceptions whose what() is the one line the operator sees (app.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "cli/nhrp_view.h"
#include "cli/target.h"

namespace nwbpf::cli {

void show_fdb(const Target& target, std::optional<uint32_t> vni, bool json, std::ostream& out);
void show_stats(const Target& target, bool all, bool json, std::ostream& out);
// object: "ports", "peers", "config-server" or "ipsec", answered by nwbpfd over the
// control socket.
void show_from_agent(const Target& target, const std::string& object, bool json, std::ostream& out);

// `show bgp evpn` filters: a route type (1-5) and a VNI.
struct EvpnFilter {
  std::optional<uint8_t> type;
  std::optional<uint32_t> vni;
};
void show_bgp_summary(const Target& target, bool json, std::ostream& out);
void show_bgp_evpn(const Target& target, const EvpnFilter& filter, bool json, std::ostream& out);
// table nullopt: every NHRP table (`show nhrp`).
void show_nhrp(const Target& target, std::optional<NhrpTable> table, bool json, std::ostream& out);
// vlan nullopt: every VLAN's filters (`show acl`).
void show_acl(const Target& target, std::optional<uint16_t> vlan, bool json, std::ostream& out);
// The fetched portconfig (desired vs applied) and every [fetch] source.
void show_portconfig(const Target& target, bool json, std::ostream& out);

// Prints the settings of a nante-wan.conf nwbpf does not use, one a line,
// then "FILE: OK"; or throws ConfigError listing every problem.
void config_check(const std::string& file, std::ostream& out);
// Prints the TOML equivalent of a nante-wan.conf, or throws ConfigError.
void config_import(const std::string& file, std::ostream& out);

}  // namespace nwbpf::cli
