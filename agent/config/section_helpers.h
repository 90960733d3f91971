// SPDX-License-Identifier: Apache-2.0
// Pieces the section readers (sections.cpp, bgp_section.cpp) share: the VNI
// range and arrays whose elements must be distinct.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"
#include "config/toml_reader.h"

namespace nwbpf::config {

// VNI = VLAN ID (Nante-WAN's model), so both live in the 802.1Q range.
inline constexpr IntRange kVlanRange{1, 4094, "VLAN"};
inline constexpr IntRange kVniRange{1, 4094, "VNI"};

// Reads a non-empty array of distinct values: `read_one(node, path)` reads
// one element (reporting it if invalid), `describe(value)` names a value in
// "<describe> is already <path>[j]". An empty array is reported as "at least
// one <noun> is required". One entry per element, so indices match the file:
// nullopt for an invalid element, the value for a repeat (reported).
template <class T, class ReadOne, class Describe>
std::vector<std::optional<T>> read_distinct(const toml::array& array, const std::string& path,
                                            std::string_view noun, Diagnostics& diag,
                                            ReadOne read_one, Describe describe) {
  std::vector<std::optional<T>> values;
  if (array.empty()) {
    diag.error(array.source().begin, path, "at least one " + std::string(noun) + " is required");
    return values;
  }
  for (size_t i = 0; i < array.size(); ++i) {
    std::string at = index_path(path, i);
    values.push_back(read_one(array[i], at));
    if (!values[i]) continue;
    for (size_t j = 0; j < i; ++j)
      if (values[j] == values[i]) {
        diag.error(array[i].source().begin, at,
                   describe(*values[i]) + " is already " + index_path(path, j));
        break;
      }
  }
  return values;
}

// One entry per element of the [[key]] array of `parent`, read by
// `read(table, path, diag)`; a non-table element (already reported) yields a
// default entry to keep indices aligned with the file.
template <class T, class ReadFn>
std::vector<T> read_table_array(TableReader& parent, std::string_view key, Diagnostics& diag,
                                ReadFn read) {
  std::vector<T> out;
  auto tables = parent.tables(key);
  for (size_t i = 0; i < tables.size(); ++i)
    out.push_back(tables[i] ? read(*tables[i], index_path(parent.path_of(key), i), diag) : T{});
  return out;
}

// read_distinct() for unicast IPv4 addresses, an invalid one kept as 0.0.0.0
// (validate()'s "already reported" mark).
std::vector<Ipv4> read_distinct_ipv4(const toml::array& array, const std::string& path,
                                     std::string_view noun, Diagnostics& diag);

}  // namespace nwbpf::config
