// SPDX-License-Identifier: Apache-2.0
// Collects every problem found in one config file, so the operator sees all of
// them at once, each as "file:line:col: key.path: message".
#pragma once

#include <toml++/toml.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nwbpf::config {

// "file:line:col" (a position of 0 is shown as 1, e.g. for an empty file).
std::string format_position(std::string_view file, const toml::source_position& at);

// Where a key path of a document built from another format (nante-wan.conf)
// came from: the position there and the name shown for it, e.g. "bgp.as" ->
// {12:13, "routing.as_number"}. `reported`: the value could not be carried
// over and was reported already, so further problems at the path (such as
// "required key is missing") are dropped.
struct Origin {
  toml::source_position at;
  std::string name;
  bool reported = false;
};
using Origins = std::map<std::string, Origin, std::less<>>;

class Diagnostics {
 public:
  // `root` is the parsed document; key paths are resolved in it.
  Diagnostics(std::string file, const toml::table& root);
  // `root` was built, not parsed, so its nodes have no position: a problem
  // at a key path is shown at the origin of that path (or of the closest
  // enclosing path that has one, else at 1:1) under the origin's name, and
  // key paths with an origin named in a message are renamed too.
  Diagnostics(std::string file, const toml::table& root, Origins origins);

  // A problem at an explicit position (e.g. an unknown key's name). A
  // position of line 0 (a built node's) means "at the origin of `path`".
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

  void error_at_origin(std::string path, std::string message);
  std::string rename_paths(std::string message) const;

  std::string file_;
  const toml::table& root_;
  std::optional<Origins> origins_;
  std::vector<Problem> problems_;
};

}  // namespace nwbpf::config
