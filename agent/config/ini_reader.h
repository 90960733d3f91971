// SPDX-License-Identifier: Apache-2.0
// INI as Nante-WAN reads nante-wan.conf: Python's configparser.ConfigParser()
// with its defaults (strict, '=' or ':' between key and value, full-line '#'
// and ';' comments, case-insensitive keys, [DEFAULT] inherited by every
// section, indented continuation lines, BasicInterpolation of "%(key)s" and
// "%%"). Where configparser raises an error, so does this reader; every
// problem is collected with its line and column, not just the first.
#pragma once

#include <toml++/toml.h>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nwbpf::config {

// One problem: "section.key" (or "[section]", or "" for a line that is
// neither) and the message, at a 1-based line and column.
struct IniProblem {
  toml::source_position at;
  std::string path;
  std::string message;
};

struct IniValue {
  std::string key;           // lower-cased, as configparser's optionxform
  std::string raw;           // continuation lines joined with '\n', not interpolated
  toml::source_position at;  // of the value's first character
  toml::source_position key_at;
};

struct IniSection {
  std::string name;              // as written: section names are case-sensitive
  toml::source_position at;      // of the '[' of its (first) header
  std::vector<IniValue> values;  // in file order
};

// configparser's view of one key of a section: its own, or inherited from
// [DEFAULT], with interpolation applied.
struct IniEntry {
  std::string key;
  std::string value;
  toml::source_position at;  // where the value is written ([DEFAULT]'s line when inherited)
  toml::source_position key_at;
  bool inherited = false;
};

class IniFile {
 public:
  // Reads every line; syntax problems are appended to `problems` (the
  // document keeps what could be read).
  static IniFile parse(std::string_view text, std::vector<IniProblem>& problems);

  const std::vector<IniSection>& sections() const { return sections_; }
  const IniSection& defaults() const { return defaults_; }

  // Every key of `section` in configparser's order: its own in file order,
  // then those of [DEFAULT] it does not override. A value whose
  // interpolation fails is reported to `problems` and left out.
  std::vector<IniEntry> entries(const IniSection& section, std::vector<IniProblem>& problems);
  // Whether an interpolation in entries() so far used `key` of `section`
  // ("DEFAULT" for an inherited one): a key that only feeds others is used.
  bool referenced(std::string_view section, std::string_view key) const;

 private:
  bool interpolate(const IniSection& section, const IniValue& value, std::string_view text,
                   int depth, std::string& out, std::vector<IniProblem>& problems);
  const IniValue* lookup(const IniSection& section, std::string_view key);

  std::vector<IniSection> sections_;
  IniSection defaults_{"DEFAULT", {}, {}};
  std::set<std::pair<std::string, std::string>> referenced_;
};

}  // namespace nwbpf::config
