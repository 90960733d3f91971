// SPDX-License-Identifier: Apache-2.0
#include "cli/bgp_view.h"

#include <fmt/format.h>

#include <array>

#include "cli/agent_view.h"
#include "views/table.h"

namespace nwbpf::cli {

namespace {

using nlohmann::json;

// A field the answer must have; AnswerError names it otherwise.
const json& at(const json& obj, const char* key, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key))
    throw AnswerError("unexpected answer from nwbpfd: " + where + " has no \"" + key + "\"");
  return obj[key];
}

// The field as text ("" for null), checked to be a string or number.
std::string text(const json& obj, const char* key, const std::string& where) {
  const json& v = at(obj, key, where);
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  throw AnswerError("unexpected answer from nwbpfd: " + where + "." + key + " is " + v.dump());
}

bool flag(const json& obj, const char* key, const std::string& where) {
  const json& v = at(obj, key, where);
  if (!v.is_boolean())
    throw AnswerError("unexpected answer from nwbpfd: " + where + "." + key + " is not a boolean");
  return v.get<bool>();
}

const json& list(const json& obj, const char* key, const std::string& where) {
  const json& v = at(obj, key, where);
  if (!v.is_array())
    throw AnswerError("unexpected answer from nwbpfd: " + where + "." + key + " is not a list");
  return v;
}

std::string header(const json& result, const char* what) {
  std::string router_id = text(result, "router_id", "result");  // checked first
  return fmt::format("{}: local router ID is {}, local AS {}\n", what, router_id,
                     text(result, "as", "result"));
}

// FRR's State/PfxRcd: the paths received once Established, else the state.
std::string state_or_paths(const json& peer, const std::string& where) {
  std::string state = text(peer, "state", where);
  if (flag(peer, "stopped", where)) return state + " (Admin)";
  if (state == "Established") return text(peer, "paths_rcvd", where);
  return state;
}

// The session's AS, or "-" before OPEN.
std::string remote_as(const json& peer, const std::string& where) {
  const json& session = at(peer, "session", where);
  return session.is_null() ? "-" : text(session, "remote_as", where + ".session");
}

// The three status characters of FRR: valid (or S for stale), best, internal.
std::string status(const json& path, const std::string& where) {
  std::string s = flag(path, "stale", where) ? "S" : "*";
  s += flag(path, "best", where) ? ">" : " ";
  s += text(path, "from", where) == "internal" ? "i" : " ";
  return s;
}

std::string joined(const json& values, const std::string& where) {
  std::string out;
  for (const auto& v : values) {
    if (!v.is_string())
      throw AnswerError("unexpected answer from nwbpfd: " + where + " holds " + v.dump());
    out += (out.empty() ? "" : " ") + v.get<std::string>();
  }
  return out;
}

constexpr std::array<std::pair<std::string_view, uint8_t>, 5> kTypeNames{{
    {"ead", 1}, {"macip", 2}, {"multicast", 3}, {"es", 4}, {"prefix", 5}}};

}  // namespace

std::string up_down_text(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  constexpr int64_t day = 86400, week = 7 * day;
  if (seconds < day)
    return fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (seconds < week)
    return fmt::format("{}d{:02}h{:02}m", seconds / day, seconds / 3600 % 24, seconds / 60 % 60);
  return fmt::format("{:02}w{}d{:02}h", seconds / week, seconds / day % 7, seconds / 3600 % 24);
}

std::optional<uint8_t> parse_route_type(std::string_view word) {
  if (word.size() == 1 && word[0] >= '1' && word[0] <= '5') return uint8_t(word[0] - '0');
  for (const auto& [name, type] : kTypeNames)
    if (word == name) return type;
  return std::nullopt;
}

std::string bgp_summary_text(const json& result) {
  std::string out = header(result, "BGP summary");
  if (!at(result, "cluster_id", "result").is_null())
    out += "Route reflector, cluster-id " + text(result, "cluster_id", "result") + "\n";
  out += "RIB entries " + text(result, "rib_routes", "result") + "\n\n";
  const json& peers = list(result, "peers", "result");
  views::Table table({{"NEIGHBOR"},
                      {"AS", views::Align::right},
                      {"MSGRCVD", views::Align::right},
                      {"MSGSENT", views::Align::right},
                      {"UP/DOWN", views::Align::right},
                      {"STATE/PFXRCD", views::Align::right},
                      {"EOR"},
                      {"LAST DOWN"}});
  for (size_t i = 0; i < peers.size(); ++i) {
    const json& p = peers[i];
    std::string where = "peers[" + std::to_string(i) + "]";
    std::string address = text(p, "address", where);
    if (flag(p, "dynamic", where)) address = "*" + address;  // FRR's mark of a dynamic neighbor
    const json& up_down = at(p, "up_down_s", where);
    if (!up_down.is_number_integer())
      throw AnswerError("unexpected answer from nwbpfd: " + where + ".up_down_s is not a number");
    std::string last_down = text(p, "last_down", where);
    table.add_row({address, remote_as(p, where), text(p, "msg_rcvd", where),
                   text(p, "msg_sent", where), up_down_text(up_down.get<int64_t>()),
                   state_or_paths(p, where), flag(p, "end_of_rib_rcvd", where) ? "yes" : "no",
                   last_down.empty() ? "-" : last_down});
  }
  out += table.render();
  out += fmt::format("\nTotal number of neighbors {}\n", peers.size());
  return out;
}

std::string bgp_evpn_text(const json& result) {
  std::string out = header(result, "BGP table");
  out +=
      "Status codes: * valid, > best, i internal, S stale\n"
      "Origin codes: i - IGP, e - EGP, ? - incomplete\n"
      "EVPN type-1 prefix: [1]:[EthTag]:[ESI]:[IPlen]:[VTEP-IP]:[Frag-id]\n"
      "EVPN type-2 prefix: [2]:[EthTag]:[MAClen]:[MAC]:[IPlen]:[IP]\n"
      "EVPN type-3 prefix: [3]:[EthTag]:[IPlen]:[OrigIP]\n"
      "EVPN type-4 prefix: [4]:[ESI]:[IPlen]:[OrigIP]\n"
      "EVPN type-5 prefix: [5]:[EthTag]:[IPlen]:[IP]\n\n"
      "   Network          Next Hop            Metric LocPrf Weight Path\n"
      "                    Extended Community\n";
  const json& routes = list(result, "routes", "result");
  std::string rd_shown;
  bool first = true;
  for (size_t i = 0; i < routes.size(); ++i) {
    const json& route = routes[i];
    std::string where = "routes[" + std::to_string(i) + "]";
    std::string rd = text(route, "rd", where);
    if (first || rd != rd_shown) out += "Route Distinguisher: " + (rd.empty() ? "-" : rd) + "\n";
    first = false;
    rd_shown = rd;
    std::string prefix = text(route, "prefix", where);
    const json& paths = list(route, "paths", where);
    for (size_t j = 0; j < paths.size(); ++j) {
      const json& path = paths[j];
      std::string pw = where + ".paths[" + std::to_string(j) + "]";
      std::string as_path = text(path, "as_path", pw);
      out += status(path, pw) + prefix + "\n";
      out += fmt::format("{:20}{:<16}{:>10} {:>6} {:>6} {}{}\n", "", text(path, "next_hop", pw),
                         text(path, "metric", pw), text(path, "local_pref", pw),
                         text(path, "weight", pw), as_path.empty() ? "" : as_path + " ",
                         text(path, "origin", pw));
      std::string ext = joined(list(path, "ext_communities", pw), pw + ".ext_communities");
      if (!ext.empty()) out += fmt::format("{:20}{}\n", "", ext);
    }
  }
  out += fmt::format("\nDisplayed {} prefixes ({} paths)\n", text(result, "prefixes", "result"),
                     text(result, "paths", "result"));
  return out;
}

}  // namespace nwbpf::cli
