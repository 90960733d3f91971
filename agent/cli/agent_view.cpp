// SPDX-License-Identifier: Apache-2.0
#include "cli/agent_view.h"

#include <algorithm>
#include <vector>

#include "views/table.h"

namespace nwbpf::cli {

using namespace nwbpf::views;  // the shared fdb/stats views and tables

namespace {

using nlohmann::json;

// A scalar field as the operator reads it; "-" when missing, null or "".
std::string cell(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return "-";
  if (it->is_string()) return it->get<std::string>().empty() ? "-" : it->get<std::string>();
  if (it->is_boolean()) return it->get<bool>() ? "yes" : "no";
  return it->dump();
}

std::string list_cell(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return "-";
  return id_ranges(*it, where + "." + key);
}

// Checks the result is a list of objects; `object` names it in the error.
void expect_list(const json& result, const char* object) {
  if (!result.is_array())
    throw AnswerError(std::string("unexpected answer from nwbpfd: show ") + object +
                      " result is not a list");
  for (size_t i = 0; i < result.size(); ++i)
    if (!result[i].is_object())
      throw AnswerError(std::string("unexpected answer from nwbpfd: ") + object + "[" +
                        std::to_string(i) + "] is not an object");
}

}  // namespace

std::string id_ranges(const json& ids, const std::string& what) {
  if (!ids.is_array())
    throw AnswerError("unexpected answer from nwbpfd: " + what + " is not a list");
  std::vector<uint64_t> v;
  for (const auto& id : ids) {
    if (!id.is_number_unsigned())
      throw AnswerError("unexpected answer from nwbpfd: " + what + " holds " + id.dump() +
                        ", not an ID");
    v.push_back(id.get<uint64_t>());
  }
  if (v.empty()) return "-";
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  std::string out;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(v[i]);
    if (j > i) out += "-" + std::to_string(v[j]);
    i = j + 1;
  }
  return out;
}

std::string ports_table(const json& result) {
  expect_list(result, "ports");
  Table table({{"PORT"},
               {"IFINDEX", Align::right},
               {"ROLE"},
               {"STATE"},
               {"VLANS"},
               {"PVID", Align::right},
               {"EGRESS"},
               {"PATH"},
               {"REASON"}});
  for (size_t i = 0; i < result.size(); ++i) {
    const json& p = result[i];
    std::string vlans = list_cell(p, "vlans", "ports[" + std::to_string(i) + "]");
    std::string ifindex = cell(p, "ifindex");
    std::string pvid = cell(p, "pvid");
    // Tagging only means something on a port that carries VLANs.
    std::string egress = "-";
    if (vlans != "-") {
      auto tagged = p.find("tagged");
      if (tagged != p.end() && tagged->is_boolean())
        egress = tagged->get<bool>() ? "tagged" : "untagged";
    }
    table.add_row({cell(p, "name"), ifindex == "0" ? "-" : ifindex, cell(p, "role"),
                   cell(p, "state"), vlans, pvid == "0" ? "-" : pvid, egress, cell(p, "path"),
                   cell(p, "path_reason")});
  }
  return table.render();
}

std::string peers_table(const json& result) {
  expect_list(result, "peers");
  Table table({{"OVERLAY"}, {"NBMA"}, {"VNIS"}, {"ORIGIN"}});
  for (size_t i = 0; i < result.size(); ++i) {
    const json& p = result[i];
    table.add_row({cell(p, "overlay"), cell(p, "nbma"),
                   list_cell(p, "vnis", "peers[" + std::to_string(i) + "]"), cell(p, "origin")});
  }
  return table.render();
}

}  // namespace nwbpf::cli
