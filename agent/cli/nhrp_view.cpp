// SPDX-License-Identifier: Apache-2.0
#include "cli/nhrp_view.h"

#include <fmt/format.h>

#include <array>
#include <vector>

#include "cli/answer_fields.h"
#include "cli/bgp_view.h"
#include "views/table.h"

namespace nwbpf::cli {

namespace {

using nlohmann::json;
using views::Align;
using views::Table;

constexpr std::array<std::pair<NhrpTable, std::string_view>, 3> kTables{
    {{NhrpTable::cache, "cache"}, {NhrpTable::nhs, "nhs"}, {NhrpTable::shortcut, "shortcut"}}};

// In the order of control/protocol.h, with the words the operator reads.
constexpr std::array<std::pair<const char*, std::string_view>, 7> kCounters{{
    {"received", "received"},
    {"sent", "sent"},
    {"malformed", "malformed"},
    {"auth_failed", "auth failed"},
    {"errors_sent", "errors sent"},
    {"errors_received", "errors received"},
    {"traffic_indications_sent", "traffic indications sent"},
}};

// One entry of each list of the answer, checked as it is read.
struct Nhs {
  std::string nbma;
  std::optional<std::string> protocol;
  bool registered;
  std::optional<uint64_t> expires;
  std::optional<std::string> nat_nbma;
  uint64_t retry;
  std::string last_error;
};

struct Shortcut {
  std::string protocol;
  std::string state;  // resolved, pending, negative
  std::optional<std::string> nbma;
  bool natted;
  std::optional<uint64_t> nat_port;  // learned by the data plane
  uint64_t expires;
  std::optional<uint64_t> refresh;
  bool used;
  std::string via;
};

struct Registration {
  std::string protocol;
  std::string nbma;
  std::optional<std::string> nat_nbma;
  std::optional<uint64_t> nat_port;  // learned by the data plane
  uint64_t expires;
  bool unique;
};

// Each reader gives nullopt when the answer leaves the list out.
template <typename Entry, typename Read>
std::optional<std::vector<Entry>> read_list(const AnswerFields& result, const char* key,
                                            Read read) {
  if (!result.has(key)) return std::nullopt;
  std::vector<Entry> out;
  for (size_t i = 0; i < result.list(key).size(); ++i) out.push_back(read(result.element(key, i)));
  return out;
}

std::optional<std::vector<Nhs>> read_nhs(const AnswerFields& result) {
  return read_list<Nhs>(result, "nhs", [](const AnswerFields& e) {
    return Nhs{e.string("nbma"),
               e.optional_string("protocol"),
               e.flag("registered"),
               e.optional_count("expires_in_s"),
               e.optional_string("nat_nbma"),
               e.count("retry_s"),
               e.optional_string("last_error").value_or("")};
  });
}

std::optional<std::vector<Shortcut>> read_shortcuts(const AnswerFields& result) {
  return read_list<Shortcut>(result, "shortcuts", [](const AnswerFields& e) {
    return Shortcut{e.string("protocol"),
                    e.one_of("state", {"resolved", "pending", "negative"}),
                    e.optional_string("nbma"),
                    e.flag("natted"),
                    e.optional_count("nat_port"),
                    e.count("expires_in_s"),
                    e.optional_count("refresh_in_s"),
                    e.flag("used"),
                    e.string("via")};
  });
}

std::optional<std::vector<Registration>> read_cache(const AnswerFields& result) {
  return read_list<Registration>(result, "cache", [](const AnswerFields& e) {
    return Registration{e.string("protocol"),         e.string("nbma"),
                        e.optional_string("nat_nbma"), e.optional_count("nat_port"),
                        e.count("expires_in_s"),      e.flag("unique")};
  });
}

std::string dash(const std::optional<std::string>& s) { return s && !s->empty() ? *s : "-"; }

// Remaining time as hh:mm:ss (holding times are 16 bits of seconds, so
// less than a day), "-" for none.
std::string remaining(std::optional<uint64_t> seconds) {
  return seconds ? up_down_text(static_cast<int64_t>(*seconds)) : "-";
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

// Where frames to a peer behind NAT go: its NAT'd address and the port the
// data plane learned from its frames (none yet: they go through the relay).
std::string with_port(const std::string& nbma, std::optional<uint64_t> port) {
  return port ? nbma + ":" + std::to_string(*port) : nbma;
}

std::string roles(const AnswerFields& result) {
  std::string out;
  for (const auto& role : result.strings("roles")) out += (out.empty() ? "" : ", ") + role;
  return out.empty() ? "none" : out;
}

// The line for a list the answer left out: no role of this node has it.
std::string not_here(const char* what, const char* who, const AnswerFields& result) {
  return fmt::format("No {}: only a ce {} (this node: {}).\n", what, who, roles(result));
}

std::string nhs_table(const AnswerFields& result) {
  auto servers = read_nhs(result);
  if (!servers) return not_here("NHS", "registers with next hop servers", result);
  if (servers->empty()) return "No NHS configured.\n";
  Table table({{"NBMA"},
               {"PROTOCOL"},
               {"STATE"},
               {"EXPIRES", Align::right},
               {"NAT"},
               {"RETRY", Align::right},
               {"LAST ERROR"}});
  for (const Nhs& s : *servers) {
    // The retry wait matters while a request is outstanding or failing.
    bool retrying = !s.registered || !s.last_error.empty();
    table.add_row({s.nbma, dash(s.protocol), s.registered ? "registered" : "registering",
                   remaining(s.expires), dash(s.nat_nbma),
                   retrying ? std::to_string(s.retry) + "s" : "-", dash(s.last_error)});
  }
  return table.render();
}

std::string shortcut_table(const AnswerFields& result) {
  auto shortcuts = read_shortcuts(result);
  if (!shortcuts) return not_here("shortcuts", "resolves shortcuts", result);
  if (shortcuts->empty())
    return "No shortcuts: traffic to other CEs goes through the route server.\n";
  Table table({{"PROTOCOL"},
               {"STATE"},
               {"NBMA"},
               {"NAT'D"},
               {"VIA"},
               {"EXPIRES", Align::right},
               {"REFRESH", Align::right},
               {"USED"}});
  for (const Shortcut& s : *shortcuts)
    table.add_row({s.protocol, s.state, s.nbma ? with_port(*s.nbma, s.nat_port) : "-",
                   s.nbma ? yes_no(s.natted) : "-", s.via,
                   remaining(s.expires), remaining(s.refresh), yes_no(s.used)});
  return table.render();
}

// FRR's cache types; a shortcut still being resolved is its "incomplete".
std::string cache_type(const Shortcut& s) {
  if (s.state == "resolved") return "cached";
  return s.state == "pending" ? "incomplete" : "negative";
}

// NBMA is where packets go (the NAT'd address when there is one); Claimed
// NBMA is the address the node itself registered, shown when NAT changed it.
std::string cache_table(const AnswerFields& result) {
  Table table(
      {{"TYPE"}, {"PROTOCOL"}, {"NBMA"}, {"CLAIMED NBMA"}, {"EXPIRES", Align::right}, {"FLAGS"}});
  auto nat = result.optional_string("nat_nbma");
  std::string nbma = result.string("nbma");
  table.add_row({"local", result.string("overlay"), nat.value_or(nbma), nat ? nbma : "-", "-",
                 nat ? "N" : ""});
  // NHSes whose protocol address is not learned yet are no binding.
  for (const Nhs& s : read_nhs(result).value_or(std::vector<Nhs>{}))
    if (s.protocol) table.add_row({"nhs", *s.protocol, s.nbma, "-", "-", ""});
  auto registrations = read_cache(result);
  for (const Registration& r : registrations.value_or(std::vector<Registration>{}))
    table.add_row({"dynamic", r.protocol, with_port(r.nat_nbma.value_or(r.nbma), r.nat_port),
                   r.nat_nbma ? r.nbma : "-",
                   remaining(r.expires),
                   std::string(r.unique ? "U" : "") + (r.nat_nbma ? "N" : "")});
  for (const Shortcut& s : read_shortcuts(result).value_or(std::vector<Shortcut>{}))
    table.add_row({cache_type(s), s.protocol, s.nbma ? with_port(*s.nbma, s.nat_port) : "-", "-",
                   remaining(s.expires),
                   std::string(s.nbma && s.natted ? "N" : "") + (s.used ? "T" : "")});
  std::string out = table.render();
  if (registrations && registrations->empty()) out += "No client has registered.\n";
  return out + "Flags: U unique, N NAT'd, T used\n";
}

std::string counters_line(const AnswerFields& result) {
  AnswerFields counters = result.object("counters");
  std::string out;
  for (const auto& [key, label] : kCounters)
    out += fmt::format("{}{} {}", out.empty() ? "Counters: " : ", ", label, counters.count(key));
  return out + "\n";
}

std::string everything(const AnswerFields& result) {
  auto nat = result.optional_string("nat_nbma");
  std::string out =
      fmt::format("NHRP: overlay {}, NBMA {}{}, roles {}\n", result.string("overlay"),
                  result.string("nbma"), nat ? ", NAT'd as " + *nat : "", roles(result));
  if (result.has("nat_probes")) {
    AnswerFields probes = result.object("nat_probes");
    out += fmt::format("NAT probes: {} target(s), {} sent, {} failed\n", probes.count("targets"),
                       probes.count("sent"), probes.count("send_failed"));
  }
  out += "\nCache:\n" + cache_table(result);
  if (result.has("nhs")) out += "\nNHS:\n" + nhs_table(result);
  if (result.has("shortcuts")) out += "\nShortcuts:\n" + shortcut_table(result);
  return out + "\n" + counters_line(result);
}

}  // namespace

std::optional<NhrpTable> parse_nhrp_table(std::string_view word) {
  for (const auto& [table, name] : kTables)
    if (word == name) return table;
  return std::nullopt;
}

std::string_view nhrp_table_name(NhrpTable table) {
  for (const auto& [t, name] : kTables)
    if (t == table) return name;
  return {};
}

std::string nhrp_text(const json& answer, std::optional<NhrpTable> table) {
  AnswerFields result(answer, "result");
  if (!table) return everything(result);
  switch (*table) {
    case NhrpTable::cache:
      return cache_table(result);
    case NhrpTable::nhs:
      return nhs_table(result);
    case NhrpTable::shortcut:
      return shortcut_table(result);
  }
  return {};
}

}  // namespace nwbpf::cli
