// SPDX-License-Identifier: Apache-2.0
#include "config/bgp_section.h"

#include <netinet/tcp.h>

#include <algorithm>

#include "config/section_helpers.h"
#include "config/toml_reader.h"
#include "config/value_rules.h"

namespace nwbpf::config {

namespace {

// 0 is reserved (RFC 7607), 4294967295 and 65535 too (RFC 7300), and 23456
// is AS_TRANS, the placeholder for a 4-octet AS in 2-octet fields (RFC 6793
// §9): as our own AS it would make OPEN and AS_PATH ambiguous.
constexpr IntRange kAsRange{1, 4294967294, "AS"};
constexpr IntRange kPortRange{1, 65535};
constexpr IntRange kHoldTimeRange{0, 65535};
constexpr IntRange kConnectRetryRange{1, 65535};
// Restart Time is a 12-bit field of the Graceful Restart capability (RFC
// 4724 §3); 0 would ask peers to keep nothing, which graceful_restart =
// false says plainly.
constexpr IntRange kRestartTimeRange{1, 4095};

std::optional<std::string> reserved_as_problem(int64_t as) {
  constexpr std::string_view allowed = "; allowed: 1..4294967294 except 23456 and 65535";
  if (as == 23456)
    return "AS 23456 is AS_TRANS, which stands for a 4-octet AS in 2-octet fields (RFC 6793)" +
           std::string(allowed);
  if (as == 65535) return "AS 65535 is reserved (RFC 7300)" + std::string(allowed);
  return std::nullopt;
}

// RFC 4271 §4.2: the Hold Time is 0 (no KEEPALIVEs) or at least 3 seconds.
std::optional<std::string> hold_time_problem(int64_t seconds) {
  if (seconds != 1 && seconds != 2) return std::nullopt;
  return std::to_string(seconds) +
         " is not a hold time: 0 (no KEEPALIVEs) or 3..65535 seconds (RFC 4271 §4.2)";
}

// A BGP Identifier (RFC 6286 §2.1) or a CLUSTER_ID (RFC 4456 §7): four
// octets, written as a dotted quad; 0.0.0.0 is refused (RFC 6286: non-zero).
std::optional<Ipv4> parse_identifier(std::string_view text) {
  auto id = Ipv4::parse(text);
  if (!id || id->be == 0) return std::nullopt;
  return id;
}

std::optional<std::string> identifier_problem(std::string_view text, std::string_view noun) {
  if (parse_identifier(text)) return std::nullopt;
  return quote(text) + " is not " + std::string(noun) +
         " (expected a dotted quad other than 0.0.0.0, such as 10.0.0.1)";
}

std::optional<std::string> router_id_problem(std::string_view text) {
  return identifier_problem(text, "a BGP Identifier");
}

std::optional<std::string> cluster_id_problem(std::string_view text) {
  return identifier_problem(text, "a cluster ID");
}

// The key itself is never shown: messages end up in logs.
std::optional<std::string> password_problem(std::string_view key) {
  if (key.empty()) return "the TCP-MD5 key is empty; leave password out for sessions without one";
  if (key.size() <= TCP_MD5SIG_MAXKEYLEN) return std::nullopt;
  return "the TCP-MD5 key is " + std::to_string(key.size()) + " bytes; at most " +
         std::to_string(TCP_MD5SIG_MAXKEYLEN) + " (RFC 2385, Linux TCP_MD5SIG_MAXKEYLEN)";
}

std::optional<evpn::RouteTarget> read_route_target(const toml::node& node, const std::string& path,
                                                   Diagnostics& diag) {
  auto text = read_string(node, path, diag);
  if (!text) return std::nullopt;
  auto target = evpn::RouteTarget::parse(*text);
  if (target) return target.value();
  diag.error(node.source().begin, path, escape_controls(target.error().message));
  return std::nullopt;
}

BgpVniConfig read_vni(const toml::table& table, std::string path, Diagnostics& diag) {
  TableReader r(table, std::move(path), diag);
  BgpVniConfig vni;
  vni.source = diag.where(table);
  if (auto v = r.integer("vni", kVniRange, Need::required)) vni.vni = static_cast<uint32_t>(*v);
  if (const auto* targets = r.array("route_targets", Need::required)) {
    auto read_one = [&](const toml::node& node, const std::string& at) {
      return read_route_target(node, at, diag);
    };
    auto describe = [](const evpn::RouteTarget& rt) { return "route target " + rt.value.str(); };
    auto listed = read_distinct<evpn::RouteTarget>(*targets, r.path_of("route_targets"),
                                                   "route target", diag, read_one, describe);
    // With one invalid (reported), validate() cannot name the others by index.
    if (std::all_of(listed.begin(), listed.end(), [](const auto& rt) { return rt.has_value(); }))
      for (const auto& rt : listed) vni.route_targets.push_back(*rt);
  }
  r.reject_unknown();
  return vni;
}

// Keys that only some roles use are refused without that role (they would do
// nothing), and required where the role cannot work without them.
void check_role_keys(const toml::table& table, const std::string& path,
                     const std::vector<Role>& roles, Diagnostics& diag) {
  if (roles.empty()) return;  // agent.roles is invalid (reported)
  bool ce = std::find(roles.begin(), roles.end(), Role::ce) != roles.end();
  bool rs = std::find(roles.begin(), roles.end(), Role::route_server) != roles.end();
  if (!ce && !rs) {
    diag.error(path, "[bgp] is for the roles \"ce\" and \"route-server\"; agent.roles has neither");
    return;
  }
  auto only_for = [&](std::string_view key, bool has_role, std::string_view role) {
    if (table.contains(key) && !has_role)
      diag.error(child_path(path, key),
                 "only for role " + quote(role) + ", which agent.roles does not list");
  };
  only_for("route_reflectors", ce, "ce");
  only_for("vni", ce, "ce");
  only_for("listen_range", rs, "route-server");
  only_for("cluster_id", rs, "route-server");
  // A node that is also a route server reflects its own routes; a plain CE
  // reaches the others only through route servers.
  if (ce && !rs && !table.contains("route_reflectors"))
    diag.error(child_path(path, "route_reflectors"),
               "required key is missing: role \"ce\" peers with these route servers");
  if (rs && !table.contains("listen_range"))
    diag.error(child_path(path, "listen_range"),
               "required key is missing: role \"route-server\" accepts sessions from this prefix");
}

}  // namespace

BgpConfig read_bgp(const toml::table& table, const Config& config, Diagnostics& diag) {
  TableReader r(table, "bgp", diag);
  check_role_keys(table, r.path(), config.agent.roles, diag);
  BgpConfig bgp;
  if (auto v = r.integer("as", kAsRange, Need::required)) {
    if (auto problem = reserved_as_problem(*v))
      diag.error(r.path_of("as"), std::move(*problem));
    else
      bgp.as = static_cast<uint32_t>(*v);
  }
  // Defaults are taken only when the key is absent: an invalid value stays
  // 0.0.0.0, validate()'s "already reported".
  if (auto v = r.string("router_id", Need::optional, router_id_problem))
    bgp.router_id = *parse_identifier(*v);
  else if (!table.contains("router_id"))
    bgp.router_id = config.node.overlay_address;
  if (auto v = r.integer("port", kPortRange)) bgp.port = static_cast<uint16_t>(*v);
  if (auto v = r.integer("hold_time", kHoldTimeRange)) {
    if (auto problem = hold_time_problem(*v))
      diag.error(r.path_of("hold_time"), std::move(*problem));
    else
      bgp.hold_time_s = static_cast<uint16_t>(*v);
  }
  if (auto v = r.integer("connect_retry", kConnectRetryRange))
    bgp.connect_retry_s = static_cast<uint16_t>(*v);
  if (auto v = r.string("password", Need::optional, password_problem)) bgp.password = *v;
  if (const auto* servers = r.array("route_reflectors"))
    bgp.route_reflectors =
        read_distinct_ipv4(*servers, r.path_of("route_reflectors"), "route server", diag);
  if (auto v = r.string("listen_range", Need::optional, prefix_problem))
    bgp.listen_range = parse_prefix(*v);
  if (auto v = r.string("cluster_id", Need::optional, cluster_id_problem))
    bgp.cluster_id = *parse_identifier(*v);
  else if (!table.contains("cluster_id"))
    bgp.cluster_id = bgp.router_id;
  if (auto v = r.boolean("graceful_restart")) bgp.graceful_restart = *v;
  if (auto v = r.integer("restart_time", kRestartTimeRange))
    bgp.restart_time_s = static_cast<uint16_t>(*v);
  if (!bgp.graceful_restart && table.contains("restart_time"))
    diag.error(r.path_of("restart_time"), "has no effect with graceful_restart = false");
  bgp.vnis = read_table_array<BgpVniConfig>(r, "vni", diag, read_vni);
  r.reject_unknown();
  return bgp;
}

}  // namespace nwbpf::config
