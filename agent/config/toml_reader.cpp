// SPDX-License-Identifier: Apache-2.0
#include "config/toml_reader.h"

#include <algorithm>

#include "config/value_rules.h"

namespace nwbpf::config {

namespace {

std::string_view a_type(toml::node_type type) {
  switch (type) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

void wrong_type(const toml::node& node, const std::string& path, std::string_view expected,
                Diagnostics& diag) {
  diag.error(node.source().begin, path,
             "expected " + std::string(expected) + ", found " + std::string(a_type(node.type())));
}

bool is_bare_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

// Levenshtein distance, for "did you mean" on unknown keys.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The one known key a typo most likely meant (see unknown_key_hint()).
std::optional<std::string> closest_key(std::string_view key,
                                       const std::vector<std::string>& known) {
  std::optional<std::string> best;
  size_t best_distance = 3;
  for (const auto& k : known) {
    size_t d = edit_distance(key, k);
    if (d < best_distance && d * 2 < k.size()) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace

std::string unknown_key_hint(std::string_view key, const std::vector<std::string>& known) {
  if (auto guess = closest_key(key, known)) return "; did you mean " + quote(*guess) + "?";
  std::string listed;
  for (const auto& k : known) listed += (listed.empty() ? "" : ", ") + k;
  return " (valid here: " + listed + ")";
}

std::string child_path(std::string_view parent, std::string_view key) {
  std::string shown = is_bare_key(key) ? std::string(key) : quote(key);
  return parent.empty() ? shown : std::string(parent) + "." + shown;
}

std::string index_path(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::optional<std::string> read_string(const toml::node& node, const std::string& path,
                                       Diagnostics& diag, StringRule rule) {
  const auto* value = node.as_string();
  if (!value) {
    wrong_type(node, path, "a string", diag);
    return std::nullopt;
  }
  if (rule) {
    if (auto problem = rule(value->get())) {
      diag.error(node.source().begin, path, std::move(*problem));
      return std::nullopt;
    }
  }
  return value->get();
}

std::optional<bool> read_bool(const toml::node& node, const std::string& path, Diagnostics& diag) {
  if (const auto* value = node.as_boolean()) return value->get();
  wrong_type(node, path, "a boolean (true or false)", diag);
  return std::nullopt;
}

std::optional<int64_t> read_int(const toml::node& node, const std::string& path,
                                const IntRange& range, Diagnostics& diag) {
  const auto* value = node.as_integer();
  if (!value) {
    wrong_type(node, path, "an integer", diag);
    return std::nullopt;
  }
  int64_t v = value->get();
  if (v >= range.lo && v <= range.hi) return v;
  std::string noun = range.noun.empty() ? "" : std::string(range.noun) + " ";
  diag.error(node.source().begin, path,
             noun + std::to_string(v) + " out of range " + std::to_string(range.lo) + ".." +
                 std::to_string(range.hi));
  return std::nullopt;
}

std::optional<Ipv4> read_ipv4(const toml::node& node, const std::string& path, Diagnostics& diag) {
  const auto* value = node.as_string();
  if (!value) {
    wrong_type(node, path, "an IPv4 address string", diag);
    return std::nullopt;
  }
  auto address = Ipv4::parse(value->get());
  if (!address) {
    diag.error(
        node.source().begin, path,
        quote(value->get()) + " is not an IPv4 address (expected a dotted quad such as 10.0.0.1)");
    return std::nullopt;
  }
  if (auto problem = unicast_address_problem(*address)) {
    diag.error(node.source().begin, path, std::move(*problem));
    return std::nullopt;
  }
  return address;
}

std::optional<Mac> read_mac(const toml::node& node, const std::string& path, Diagnostics& diag) {
  const auto* value = node.as_string();
  if (!value) {
    wrong_type(node, path, "a MAC address string", diag);
    return std::nullopt;
  }
  auto mac = Mac::parse(value->get());
  if (!mac) {
    diag.error(node.source().begin, path,
               quote(value->get()) + " is not a MAC address (expected the form 0a:1b:2c:3d:4e:5f)");
    return std::nullopt;
  }
  if (auto problem = station_mac_problem(*mac)) {
    diag.error(node.source().begin, path, std::move(*problem));
    return std::nullopt;
  }
  return mac;
}

std::optional<size_t> read_choice_index(const toml::node& node, const std::string& path,
                                        std::span<const std::string_view> names,
                                        Diagnostics& diag) {
  std::string listed;
  for (auto name : names) listed += (listed.empty() ? "" : ", ") + quote(name);
  const auto* value = node.as_string();
  if (!value) {
    wrong_type(node, path, "one of " + listed, diag);
    return std::nullopt;
  }
  auto it = std::find(names.begin(), names.end(), value->get());
  if (it != names.end()) return static_cast<size_t>(it - names.begin());
  diag.error(node.source().begin, path, quote(value->get()) + " is not one of " + listed);
  return std::nullopt;
}

TableReader::TableReader(const toml::table& table, std::string path, Diagnostics& diag)
    : table_(table), path_(std::move(path)), diag_(diag) {}

const toml::node* TableReader::find(std::string_view key, Need need) {
  known_.emplace_back(key);
  const toml::node* node = table_.get(key);
  if (!node && need == Need::required) diag_.error(path_of(key), "required key is missing");
  return node;
}

std::optional<std::string> TableReader::string(std::string_view key, Need need, StringRule rule) {
  const toml::node* node = find(key, need);
  return node ? read_string(*node, path_of(key), diag_, rule) : std::nullopt;
}

std::optional<bool> TableReader::boolean(std::string_view key) {
  const toml::node* node = find(key, Need::optional);
  return node ? read_bool(*node, path_of(key), diag_) : std::nullopt;
}

std::optional<int64_t> TableReader::integer(std::string_view key, const IntRange& range,
                                            Need need) {
  const toml::node* node = find(key, need);
  return node ? read_int(*node, path_of(key), range, diag_) : std::nullopt;
}

std::optional<Ipv4> TableReader::ipv4(std::string_view key, Need need) {
  const toml::node* node = find(key, need);
  return node ? read_ipv4(*node, path_of(key), diag_) : std::nullopt;
}

std::optional<Mac> TableReader::mac(std::string_view key, Need need) {
  const toml::node* node = find(key, need);
  return node ? read_mac(*node, path_of(key), diag_) : std::nullopt;
}

const toml::array* TableReader::array(std::string_view key, Need need) {
  const toml::node* node = find(key, need);
  if (!node) return nullptr;
  if (const auto* array = node->as_array()) return array;
  wrong_type(*node, path_of(key), "an array", diag_);
  return nullptr;
}

const toml::table* TableReader::table(std::string_view key) {
  const toml::node* node = find(key, Need::optional);
  if (!node) return nullptr;
  if (const auto* table = node->as_table()) return table;
  wrong_type(*node, path_of(key), "a table ([" + std::string(key) + "])", diag_);
  return nullptr;
}

std::vector<const toml::table*> TableReader::tables(std::string_view key) {
  std::vector<const toml::table*> out;
  const toml::node* node = find(key, Need::optional);
  if (!node) return out;
  const auto* array = node->as_array();
  if (!array) {
    wrong_type(*node, path_of(key), "an array of tables ([[" + std::string(key) + "]])", diag_);
    return out;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const auto* table = (*array)[i].as_table();
    if (!table) wrong_type((*array)[i], index_path(path_of(key), i), "a table", diag_);
    out.push_back(table);
  }
  return out;
}

void TableReader::reject_unknown() const {
  for (const auto& [key, node] : table_) {
    if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) continue;
    std::string message =
        node.is_table() || node.is_array_of_tables() ? "unknown table" : "unknown key";
    message += unknown_key_hint(key.str(), known_);
    diag_.error(key.source().begin, path_of(key.str()), std::move(message));
  }
}

}  // namespace nwbpf::config
