// SPDX-License-Identifier: Apache-2.0
// Walking a parsed JSON document with a path for every value, so each
// problem names where it is ("ports[2].vlans[0]"), and collecting all of them
// for one whole-file verdict. Shared by portconfig.cpp and ebconfig.cpp.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "central/error.h"

namespace nwbpf::central {

// Members keep their file order, so problems come in the order of the file.
// A key written twice keeps its last value, as Python's json module (and so
// Nante-WAN) does.
using Json = nlohmann::ordered_json;

// "parent.key" ("key" at the top level) and "parent[i]".
std::string key_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, size_t index);

// A value as messages show it: a scalar as its JSON text ("80:20" in quotes,
// 5000, null), a container as "an object" or "an array".
std::string show(const Json& value);

// Problems and warnings found while reading one document.
class Report {
 public:
  void error(std::string_view path, std::string message);
  void warn(std::string_view path, std::string message);
  // "expected <expected>, found <show(value)>".
  void wrong_type(const Json& value, std::string_view path, std::string_view expected);

  // The value with the warnings, or, if anything was wrong, every problem.
  template <class T>
  Result<Parsed<T>> finish(T value) && {
    if (!errors_.empty()) return Error{std::move(errors_)};
    return Parsed<T>{std::move(value), std::move(warnings_)};
  }

 private:
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
};

// The document, or nullopt with nlohmann's message and byte offset reported.
std::optional<Json> parse_document(std::string_view text, Report& report);

// parse_document(), then `read(document, report)` for the T it holds: the
// T with the warnings, or every problem found on the way.
template <class T, class Read>
Result<Parsed<T>> read_document(std::string_view text, Read read) {
  Report report;
  T value;
  if (auto document = parse_document(text, report)) value = read(*document, report);
  return std::move(report).finish(std::move(value));
}

enum class Need { optional, required };

// Reads the members of one object by name. Nante-WAN's Python code ignores
// keys it does not look up; so do we, to accept its files, but not silently:
// a member not in `known` (the object's schema) is warned about at once, so
// warnings come in file order, parents before what is inside them.
class ObjectReader {
 public:
  // `object` must be an object (see as_object).
  ObjectReader(const Json& object, std::string path, Report& report,
               std::initializer_list<std::string_view> known);

  // The member, or nullptr when absent (reported when required).
  const Json* get(std::string_view key, Need need = Need::optional) const;
  std::string path_of(std::string_view key) const { return key_path(path_, key); }

 private:
  const Json& object_;
  std::string path_;
  Report& report_;
};

// Typed reads of one value: the value, or nullptr/nullopt with the problem
// reported at `path`.
const Json* as_object(const Json& value, const std::string& path, Report& report);
const Json* as_array(const Json& value, const std::string& path, Report& report);
std::optional<bool> read_bool(const Json& value, const std::string& path, Report& report);
// `rule` returns the reason a string is not acceptable, as config's value
// rules (config/value_rules.h) do.
using StringRule = std::optional<std::string> (*)(std::string_view);
std::optional<std::string> read_string(const Json& value, const std::string& path, Report& report,
                                       StringRule rule = nullptr);
// 802.1Q VLAN IDs 1..4094 (0 is "no VLAN", 4095 reserved); VNI = VLAN ID.
std::optional<uint16_t> read_vlan(const Json& value, const std::string& path, Report& report);

// The value of a JSON integer when it lies in [lo, hi], else nullopt (also
// for floats such as 10.0 and for booleans, which are not integers here).
std::optional<int64_t> integer_in(const Json& value, int64_t lo, int64_t hi);

// Where each key was first seen, for "<x> is already <path>" messages.
template <class K>
class FirstSeen {
 public:
  // nullptr the first time `key` is seen (remembering `path`), else the
  // path of its first sighting.
  const std::string* repeat(const K& key, std::string path) {
    auto [it, inserted] = first_.try_emplace(key, std::move(path));
    return inserted ? nullptr : &it->second;
  }

 private:
  std::map<K, std::string> first_;
};

}  // namespace nwbpf::central
