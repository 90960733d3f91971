// SPDX-License-Identifier: Apache-2.0
// load_config/parse_config: toml++ parses, read_sections() types every value,
// validate() checks relations; all problems are thrown together. load_config
// hands a nante-wan.conf to nante_wan_conf.cpp, which ends in the same
// readers and checks.
#include <toml++/toml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/nante_wan_conf.h"
#include "config/sections.h"
#include "config/validate.h"
#include "config/value_rules.h"

namespace nwbpf {

Config parse_config(std::string_view text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    // toml++ stops at the first syntax error; its position is exact. It
    // quotes what it saw verbatim ("saw 'f\n'"), so escape line breaks.
    throw ConfigError(config::format_position(path, e.source().begin) +
                      ": TOML syntax error: " + config::escape_controls(e.description()));
  }
  config::Diagnostics diag(path, root);
  Config config = config::read_sections(root, diag);
  config::validate(config, diag);
  if (!diag.empty()) throw ConfigError(diag.report());
  config.path = path;
  return config;
}

std::string read_config_file(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) throw ConfigError(path + ": cannot open: " + std::strerror(errno));
  std::string text;
  char buf[8192];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, file.get())) > 0) text.append(buf, n);
  // fopen() succeeds on a directory; the read then fails with EISDIR.
  if (std::ferror(file.get())) throw ConfigError(path + ": cannot read: " + std::strerror(errno));
  return text;
}

Config load_config(const std::string& path) {
  // By name, not by sniffing the text: "[node]" opens a table in TOML and a
  // section in INI, so content alone can be read either way.
  bool toml = path.ends_with(".toml");
  bool ini = path.ends_with(".conf") || path.ends_with(".ini");
  if (!toml && !ini)
    throw ConfigError(path +
                      ": unknown config format: name nwbpf's TOML *.toml, or Nante-WAN's "
                      "nante-wan.conf (INI) *.conf or *.ini");
  std::string text = read_config_file(path);
  return toml ? parse_config(text, path) : parse_nante_wan_conf(text, path);
}

}  // namespace nwbpf
