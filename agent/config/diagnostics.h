// SPDX-License-Identifier: Apache-2.0
// Collects every problem found in one config file, so the operator sees all of
// them at once, each as "file:line:col: key.path: message".
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>
#include <vector>

namespace nwbpf::config {

// "file:line:col" (a position of 0 is shown as 1, e.g. for an empty file).
std::string format_position(std::string_view file, const toml::source_position& at);

class Diagnostics {
 public:
  // `root` is the parsed document; key paths are resolved in it.
  Diagnostics(std::string file, const toml::table& root);

  // A problem at an explicit position (e.g. an unknown key's name).
  void error(const toml::source_position& at, std::string path, std::string message);
  // A problem with the value at `path` (toml++ path syntax, e.g.
  // "port[1].vlans[2]"). When nothing is there (a required key is missing),
  // the position is that of the closest enclosing table that exists.
  void error(std::string path, std::string message);

  std::string where(const toml::node& node) const;
  bool empty() const { return problems_.empty(); }
  // Every problem, ordered by position, one per line, no trailing newline.
  std::string report() const;

 private:
  struct Problem {
    toml::source_position at;
    std::string path;
    std::string message;
  };

  std::string file_;
  const toml::table& root_;
  std::vector<Problem> problems_;
};

}  // namespace nwbpf::config
