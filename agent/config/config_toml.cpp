// SPDX-License-Identifier: Apache-2.0
// load_config/parse_config: toml++ parses, read_sections() types every value,
// validate() checks relations; all problems are thrown together.
#include <toml++/toml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "config/config.h"
#include "config/diagnostics.h"
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

Config load_config(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) throw ConfigError(path + ": cannot open: " + std::strerror(errno));
  std::string text;
  char buf[8192];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, file.get())) > 0) text.append(buf, n);
  // fopen() succeeds on a directory; the read then fails with EISDIR.
  if (std::ferror(file.get())) throw ConfigError(path + ": cannot read: " + std::strerror(errno));
  return parse_config(text, path);
}

}  // namespace nwbpf
