// SPDX-License-Identifier: Apache-2.0
#include "cli/acl_view.h"

#include "cli/answer_fields.h"
#include "views/table.h"

namespace nwbpf::cli {

namespace {

using views::Align;
using views::Table;

// The columns of one filter's rules, between INDEX and ACTION.
struct FilterKind {
  const char* key;    // in the answer
  const char* title;  // as the ebconfig file names the filter
  std::vector<const char*> fields;
};

const FilterKind kFilters[] = {
    {"ip_filter", "ip-filter", {"proto", "src", "sport", "dst", "dport"}},
    {"mac_filter", "mac-filter", {"mac"}},
};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A row: INDEX, the rule's fields (a default says so in the first), ACTION,
// PACKETS, BYTES.
std::vector<std::string> row(const AnswerFields& rule, const FilterKind& kind, bool is_default) {
  std::vector<std::string> cells{std::to_string(rule.count("index"))};
  for (const char* field : kind.fields)
    cells.push_back(is_default ? (cells.size() == 1 ? "default" : "") : rule.string(field));
  cells.push_back(rule.one_of("action", {"permit", "deny"}));
  cells.push_back(std::to_string(rule.count("packets")));
  cells.push_back(std::to_string(rule.count("bytes")));
  return cells;
}

std::string filter_text(uint64_t vlan, const AnswerFields& filter, const FilterKind& kind) {
  std::vector<views::Column> columns{{"INDEX", Align::right}};
  for (const char* field : kind.fields) columns.push_back({upper(field)});
  columns.insert(columns.end(),
                 {{"ACTION"}, {"PACKETS", Align::right}, {"BYTES", Align::right}});
  Table table(std::move(columns));
  for (size_t i = 0; i < filter.list("rules").size(); ++i)
    table.add_row(row(filter.element("rules", i), kind, false));
  table.add_row(row(filter.object("default"), kind, true));
  return "VLAN " + std::to_string(vlan) + " " + kind.title + "\n" + table.render();
}

}  // namespace

std::string acl_text(const nlohmann::json& result, std::optional<uint16_t> vlan) {
  AnswerFields answer(result, "result");
  std::string out;
  if (!result.contains("source") || !result["source"].is_null()) {
    AnswerFields source = answer.object("source");
    out += "source " + source.string("url") + ", applied " + source.string("applied") + "\n";
  }
  size_t vlans = answer.list("vlans").size();
  for (size_t i = 0; i < vlans; ++i) {
    AnswerFields entry = answer.element("vlans", i);
    uint64_t id = entry.count("vlan");
    for (const FilterKind& kind : kFilters)
      if (entry.has(kind.key))
        out += (out.empty() ? "" : "\n") + filter_text(id, entry.object(kind.key), kind);
  }
  if (vlans == 0)
    out += (out.empty() ? "" : "\n") +
           (vlan ? "no filters on VLAN " + std::to_string(*vlan) : std::string("no filters")) +
           "\n";
  return out;
}

}  // namespace nwbpf::cli
