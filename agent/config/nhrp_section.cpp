// SPDX-License-Identifier: Apache-2.0
#include "config/nhrp_section.h"

#include <algorithm>

#include "config/section_helpers.h"
#include "config/toml_reader.h"
#include "config/value_rules.h"

namespace nwbpf::config {

namespace {

// The GRE key field is 32 bits (RFC 2890 §2.1); 0 is a key like any other.
constexpr IntRange kGreKeyRange{0, 4294967295};
// ar$holding.time of a CIE is 16 bits (RFC 2332 §5.2.0.1); 0 would make
// every binding expire as it is made.
constexpr IntRange kHoldingTimeRange{1, 65535};

constexpr Choice<NhrpConfig::Shortcut> kShortcuts[] = {
    {"on-demand", NhrpConfig::Shortcut::on_demand},
    {"proactive", NhrpConfig::Shortcut::proactive},
};

// Cisco's cleartext authentication (extension type 7, carried by FRR
// nhrpd's "nhrp authentication"): both cap the password at 8 characters.
constexpr size_t kMaxPassword = 8;

std::optional<std::string> password_problem(std::string_view password) {
  if (password.empty())
    return "the password is empty; leave password out for packets without authentication";
  if (password.size() <= kMaxPassword) return std::nullopt;
  return "the password is " + std::to_string(password.size()) + " bytes; at most " +
         std::to_string(kMaxPassword) + " (Cisco's and FRR nhrpd's limit)";
}

bool has_role(const std::vector<Role>& roles, Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

// Keys only the NHC uses are refused on a pure route server (they would do
// nothing), and `servers` is required where the NHC runs.
void check_role_keys(const toml::table& table, const std::string& path,
                     const std::vector<Role>& roles, Diagnostics& diag) {
  if (roles.empty()) return;  // agent.roles is invalid (reported)
  bool ce = has_role(roles, Role::ce);
  if (!ce && !has_role(roles, Role::route_server)) {
    diag.error(path, "[nhrp] is for the roles \"ce\" and \"route-server\"; agent.roles has neither");
    return;
  }
  for (std::string_view key : {"servers", "shortcut"})
    if (table.contains(key) && !ce)
      diag.error(child_path(path, key), "only for role \"ce\", which agent.roles does not list");
  if (ce && !table.contains("servers"))
    diag.error(child_path(path, "servers"),
               "required key is missing: role \"ce\" registers with these NHSes (NBMA addresses)");
}

}  // namespace

NhrpConfig read_nhrp(const toml::table& table, const Config& config, Diagnostics& diag) {
  TableReader r(table, "nhrp", diag);
  check_role_keys(table, r.path(), config.agent.roles, diag);
  NhrpConfig nhrp;
  if (auto v = r.string("overlay_range", Need::required, prefix_problem))
    nhrp.overlay_range = *parse_prefix(*v);
  if (const auto* servers = r.array("servers"))
    nhrp.servers = read_distinct_ipv4(*servers, r.path_of("servers"), "NHS", diag);
  if (auto v = r.integer("gre_key", kGreKeyRange)) nhrp.gre_key = static_cast<uint32_t>(*v);
  if (auto v = r.integer("holding_time", kHoldingTimeRange))
    nhrp.holding_time_s = static_cast<uint16_t>(*v);
  if (auto v = r.choice<NhrpConfig::Shortcut>("shortcut", kShortcuts)) nhrp.shortcut = *v;
  if (auto v = r.string("password", Need::optional, password_problem)) nhrp.password = *v;
  r.reject_unknown();
  return nhrp;
}

}  // namespace nwbpf::config
