// SPDX-License-Identifier: Apache-2.0
#include "config/config_server_section.h"

#include <algorithm>

#include "config/toml_reader.h"
#include "config/value_rules.h"

namespace nwbpf::config {

namespace {

constexpr IntRange kPortRange{1, 65535};
// Kicks after the first failed one; with the backoff (0.5, 1, 2, 4 s, then
// 4 s) 20 spans over a minute, past which the CE's own interval is as good.
constexpr IntRange kRetriesRange{0, 20};

// Nante-WAN's nginx served <--config-dir>/<path of json_url_prefix>; nwbpf
// serves the path's last component as a folder of `directory`.
void add_folder(const std::optional<FetchSourceConfig>& source, std::string_view key,
                const std::string& path, ConfigServerConfig& server, Diagnostics& diag) {
  if (!source || source->json_url_prefix.empty()) return;  // absent, or invalid (reported)
  std::string_view url_path = source->path;
  std::string_view folder = url_path.substr(url_path.rfind('/') + 1);
  std::string at = "fetch." + std::string(key) + ".json_url_prefix";
  if (folder.empty() || folder == "." || folder == "..") {
    diag.error(path, at + " " + quote(source->json_url_prefix) +
                         " names no folder; the config server serves <directory>/<folder>/"
                         "<overlay address>.json, the folder being the URL path's last part");
    return;
  }
  for (const auto& other : server.folders)
    if (other.name == folder) {
      diag.error(path, at + " names the folder " + quote(folder) +
                           " again: the two kinds of file would share their names");
      return;
    }
  server.folders.push_back({std::string(folder), source->bind_port});
}

}  // namespace

ConfigServerConfig read_config_server(const toml::table& table, const Config& config,
                                      Diagnostics& diag) {
  TableReader r(table, "config_server", diag);
  const auto& roles = config.agent.roles;
  if (!roles.empty() && std::find(roles.begin(), roles.end(), Role::config_server) == roles.end())
    diag.error(r.path(),
               "[config_server] is for the role \"config-server\", which agent.roles "
               "does not list");
  ConfigServerConfig server;
  if (auto v = r.string("directory", Need::required, absolute_path_problem)) server.directory = *v;
  if (auto v = r.ipv4("listen_address")) server.listen_address = *v;
  if (auto v = r.integer("listen_port", kPortRange)) server.listen_port = static_cast<uint16_t>(*v);
  if (auto v = r.integer("kick_retries", kRetriesRange))
    server.kick_retries = static_cast<uint32_t>(*v);
  if (!config.fetch)
    diag.error(r.path(),
               "the folders served are named by [fetch.portconfig] and "
               "[fetch.ebconfig] (each json_url_prefix's path); add [fetch]");
  else {
    add_folder(config.fetch->portconfig, "portconfig", r.path(), server, diag);
    add_folder(config.fetch->ebconfig, "ebconfig", r.path(), server, diag);
  }
  r.reject_unknown();
  return server;
}

}  // namespace nwbpf::config
