// SPDX-License-Identifier: Apache-2.0
// Typed, position-aware reading of toml++ nodes. Every reader reports a bad
// value to Diagnostics (with what was expected and what was found) and returns
// nullopt, so one pass finds every problem instead of stopping at the first.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/net_types.h"
#include "config/diagnostics.h"

namespace nwbpf::config {

// Key paths in toml++ syntax: child_path("port[1]", "vlans") == "port[1].vlans".
std::string child_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, size_t index);

// What follows "unknown key" for `key`: "; did you mean \"k\"?" naming the
// one known key a typo most likely meant (at most 2 edits away and fewer
// than half its length, so "df" is never suggested for "ab"), else
// " (valid here: a, b, c)".
std::string unknown_key_hint(std::string_view key, const std::vector<std::string>& known);

enum class Need { optional, required };

struct IntRange {
  int64_t lo;
  int64_t hi;
  std::string_view noun = {};  // "VLAN" -> "VLAN 4095 out of range 1..4094"
};

// A rule for a string value: nullopt if fine, else the reason (value_rules.h).
using StringRule = std::optional<std::string> (*)(std::string_view);

template <class E>
struct Choice {
  std::string_view name;
  E value;
};

// Readers for one value (a table entry or an array element) at `path`.
std::optional<std::string> read_string(const toml::node& node, const std::string& path,
                                       Diagnostics& diag, StringRule rule = nullptr);
std::optional<bool> read_bool(const toml::node& node, const std::string& path, Diagnostics& diag);
std::optional<int64_t> read_int(const toml::node& node, const std::string& path,
                                const IntRange& range, Diagnostics& diag);
// Dotted quad that is a unicast host address.
std::optional<Ipv4> read_ipv4(const toml::node& node, const std::string& path, Diagnostics& diag);
std::optional<Mac> read_mac(const toml::node& node, const std::string& path, Diagnostics& diag);
// Index into `names` of the string's value.
std::optional<size_t> read_choice_index(const toml::node& node, const std::string& path,
                                        std::span<const std::string_view> names, Diagnostics& diag);

template <class E>
std::optional<E> read_choice(const toml::node& node, const std::string& path,
                             std::span<const Choice<E>> choices, Diagnostics& diag) {
  std::vector<std::string_view> names;
  for (const auto& c : choices) names.push_back(c.name);
  auto index = read_choice_index(node, path, names, diag);
  if (!index) return std::nullopt;
  return choices[*index].value;
}

// Reads the keys of one table and, at the end, rejects every key that no
// getter asked for: a typo must not silently become a default.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, Diagnostics& diag);

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return child_path(path_, key); }

  // Each getter returns nullopt/nullptr when the key is absent (reported if
  // required) or its value is invalid (reported).
  std::optional<std::string> string(std::string_view key, Need need = Need::optional,
                                    StringRule rule = nullptr);
  std::optional<bool> boolean(std::string_view key);
  std::optional<int64_t> integer(std::string_view key, const IntRange& range,
                                 Need need = Need::optional);
  std::optional<Ipv4> ipv4(std::string_view key, Need need = Need::optional);
  std::optional<Mac> mac(std::string_view key, Need need = Need::optional);
  const toml::array* array(std::string_view key, Need need = Need::optional);
  // A [key] sub-table.
  const toml::table* table(std::string_view key);
  // A [[key]] array of tables; elements that are not tables are reported and
  // returned as nullptr so indices stay those of the file.
  std::vector<const toml::table*> tables(std::string_view key);

  template <class E>
  std::optional<E> choice(std::string_view key, std::span<const Choice<E>> choices) {
    const toml::node* node = find(key, Need::optional);
    return node ? read_choice(*node, path_of(key), choices, diag_) : std::nullopt;
  }

  // A key the table knows that the caller will not read (it reported why,
  // e.g. the key belongs to another mode): not "unknown" as well.
  void known(std::string_view key) { known_.emplace_back(key); }

  // Call after all getters: reports keys that none asked for, at the key.
  void reject_unknown() const;

 private:
  const toml::node* find(std::string_view key, Need need);

  const toml::table& table_;
  std::string path_;
  Diagnostics& diag_;
  std::vector<std::string> known_;  // in the order asked, for the message
};

}  // namespace nwbpf::config
