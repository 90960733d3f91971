// SPDX-License-Identifier: Apache-2.0
// Aligned text tables in the style of `bridge fdb show` / `cilium bpf ...
// list`: an upper-case header row, columns separated by two spaces, numbers
// right-aligned so their digits line up, no trailing blanks.
#pragma once

#include <string>
#include <vector>

namespace nwbpf::views {

enum class Align { left, right };

struct Column {
  std::string header;
  Align align = Align::left;
};

class Table {
 public:
  explicit Table(std::vector<Column> columns);
  // Throws std::invalid_argument if the row does not have one cell per column.
  void add_row(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }
  // Header plus rows, each line ending in '\n'.
  std::string render() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace nwbpf::views
