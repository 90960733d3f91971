// SPDX-License-Identifier: Apache-2.0
#include "views/table.h"

#include <algorithm>
#include <stdexcept>

namespace nwbpf::views {

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::add_row(std::vector<std::string> cells) {
  if (cells.size() != columns_.size())
    throw std::invalid_argument("table row has " + std::to_string(cells.size()) +
                                " cells, expected " + std::to_string(columns_.size()));
  rows_.push_back(std::move(cells));
}

std::string Table::render() const {
  std::vector<size_t> width(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    width[c] = columns_[c].header.size();
    for (const auto& row : rows_) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  auto emit = [&](auto cell_of) {
    std::string line;
    for (size_t c = 0; c < columns_.size(); ++c) {
      const std::string& cell = cell_of(c);
      std::string pad(width[c] - cell.size(), ' ');
      if (c > 0) line += "  ";
      line += columns_[c].align == Align::right ? pad + cell : cell + pad;
    }
    // The last column is usually free text: no padding after it.
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
  };
  emit([&](size_t c) -> const std::string& { return columns_[c].header; });
  for (const auto& row : rows_) emit([&](size_t c) -> const std::string& { return row[c]; });
  return out;
}

}  // namespace nwbpf::views
