// SPDX-License-Identifier: Apache-2.0
#include "config/fetch_section.h"

#include <algorithm>
#include <charconv>
#include <variant>

#include "config/toml_reader.h"
#include "config/value_rules.h"

namespace nwbpf::config {

namespace {

// Seconds. 0 would fetch in a loop or never wait; a day bounds a typo of
// milliseconds for seconds.
constexpr IntRange kSecondsRange{1, 86400};
constexpr IntRange kPortRange{1, 65535};
// Nante-WAN's kick ports: portconfig's and ebconfig's REST API.
constexpr uint16_t kPortconfigKickPort = 8080;
constexpr uint16_t kEbconfigKickPort = 8081;

constexpr std::string_view kScheme = "http://";

struct UrlPrefix {
  Ipv4 server;
  uint16_t port = 80;
  std::string path;
};

// "http://A.B.C.D[:port][/path]", the form Nante-WAN's files use. The host
// is an address because the agent reaches it through NHRP (an overlay
// address) or directly (an underlay one): there is no DNS on the overlay.
// The file name is appended after a '/', so the path does not end in one.
std::variant<UrlPrefix, std::string> parse_url_prefix(std::string_view text) {
  const std::string expected =
      " (expected http://A.B.C.D[:port]/path, such as "
      "http://10.0.0.100/portconfig)";
  if (!text.starts_with(kScheme)) return quote(text) + " is not an http:// URL" + expected;
  std::string_view rest = text.substr(kScheme.size());
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view path = rest.substr(authority.size());
  UrlPrefix url;
  std::string_view host = authority.substr(0, authority.find(':'));
  auto server = Ipv4::parse(host);
  if (!server)
    return quote(text) + ": the host " + quote(host) + " is not an IPv4 address" + expected;
  url.server = *server;
  if (auto problem = unicast_address_problem(url.server)) return quote(text) + ": " + *problem;
  if (host.size() < authority.size()) {
    std::string_view digits = authority.substr(host.size() + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || end != digits.data() + digits.size() || port < 1 || port > 65535)
      return quote(text) + ": the port " + quote(digits) + " is not 1..65535";
    url.port = static_cast<uint16_t>(port);
  }
  bool plain = std::all_of(path.begin(), path.end(), [](unsigned char c) {
    return c > ' ' && c < 0x7f && c != '?' && c != '#' && c != '%';
  });
  if (!plain)
    return quote(text) + ": the path may not hold spaces, control characters, '?', '#' or '%'";
  if (path.ends_with('/'))
    return quote(text) + " ends with '/'; the file name is appended after one";
  url.path = path;
  return url;
}

std::optional<std::string> url_prefix_problem(std::string_view text) {
  auto url = parse_url_prefix(text);
  if (auto* problem = std::get_if<std::string>(&url)) return *problem;
  return std::nullopt;
}

FetchSourceConfig read_source(const toml::table& table, std::string path, uint16_t kick_port,
                              Diagnostics& diag) {
  TableReader r(table, std::move(path), diag);
  FetchSourceConfig source;
  source.bind_port = kick_port;
  if (auto v = r.string("json_url_prefix", Need::required, url_prefix_problem)) {
    auto url = std::get<UrlPrefix>(parse_url_prefix(*v));
    source.json_url_prefix = *v;
    source.server = url.server;
    source.server_port = url.port;
    source.path = url.path;
  }
  if (auto v = r.integer("bind_port", kPortRange)) source.bind_port = static_cast<uint16_t>(*v);
  if (auto v = r.ipv4("bind_address")) source.bind_address = *v;
  r.reject_unknown();
  return source;
}

bool has_role(const std::vector<Role>& roles, Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace

FetchConfig read_fetch(const toml::table& table, const Config& config, Diagnostics& diag) {
  TableReader r(table, "fetch", diag);
  const auto& roles = config.agent.roles;
  // The CE fetches; a config server reads the URLs' paths (its folders) and
  // the kick ports. agent.roles empty: invalid (reported), roles unknown.
  if (!roles.empty() && !has_role(roles, Role::ce) && !has_role(roles, Role::config_server))
    diag.error(r.path(),
               "[fetch] is for the roles \"ce\" and \"config-server\"; agent.roles has neither");
  FetchConfig fetch;
  if (auto v = r.integer("timeout", kSecondsRange)) fetch.timeout_s = static_cast<uint32_t>(*v);
  if (auto v = r.integer("interval", kSecondsRange)) fetch.interval_s = static_cast<uint32_t>(*v);
  if (auto v = r.integer("failed_interval", kSecondsRange))
    fetch.failed_interval_s = static_cast<uint32_t>(*v);
  if (const auto* t = r.table("portconfig"))
    fetch.portconfig = read_source(*t, r.path_of("portconfig"), kPortconfigKickPort, diag);
  if (const auto* t = r.table("ebconfig"))
    fetch.ebconfig = read_source(*t, r.path_of("ebconfig"), kEbconfigKickPort, diag);
  if (!table.contains("portconfig") && !table.contains("ebconfig"))
    diag.error(r.path(), "names no file to fetch: add [fetch.portconfig] and/or [fetch.ebconfig]");
  r.reject_unknown();
  return fetch;
}

}  // namespace nwbpf::config
