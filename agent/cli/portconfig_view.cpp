// SPDX-License-Identifier: Apache-2.0
#include "cli/portconfig_view.h"

#include <vector>

#include "cli/agent_view.h"
#include "cli/answer_fields.h"
#include "views/table.h"

namespace nwbpf::cli {

namespace {

using views::Table;

using nlohmann::json;

// Whether `key` of `raw` is there and null (AnswerFields reads the rest).
bool is_null(const json& raw, const char* key) {
  return raw.is_object() && raw.contains(key) && raw.at(key).is_null();
}

// "2026-11-22T16:40:01Z (3 s ago)", or "never".
std::string when(const json& raw, const AnswerFields& object, const char* key) {
  if (is_null(raw, key)) return "never";
  AnswerFields t = object.object(key);
  return t.string("at") + " (" + std::to_string(t.count("ago_s")) + " s ago)";
}

std::string plural(uint64_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// The key/value lines of one source, the key column 14 wide.
void line(std::string& out, const std::string& key, const std::string& value) {
  out += "  " + key + std::string(key.size() < 13 ? 13 - key.size() : 1, ' ') + value + "\n";
}

void source_text(const json& raw, const AnswerFields& s, std::string& out) {
  out += s.string("source") + "  " + s.string("url") + "\n";
  AnswerFields kick = s.object("kick");
  auto address = kick.optional_string("address");
  std::string error = kick.string("error");
  line(out, "kick", error.empty() ? "listening on " + address.value_or("-") + ":" +
                                        std::to_string(kick.count("port"))
                                  : "not listening: " + error);
  if (is_null(raw, "fetch")) {
    line(out, "fetch", "not started");
  } else {
    AnswerFields f = s.object("fetch");
    const json& f_raw = raw.at("fetch");
    line(out, "connect to", f.optional_string("connect_address").value_or("-"));
    std::string result = f.string("last_result");
    line(out, "last fetch", when(f_raw, f, "last_attempt") + (result.empty() ? "" : ": " + result) +
                                (f.flag("in_flight") ? " (one in flight)" : ""));
    line(out, "last success", when(f_raw, f, "last_success"));
    line(out, "fetches",
         std::to_string(f.count("attempts")) + ": " + std::to_string(f.count("changed")) +
             " changed, " + std::to_string(f.count("unchanged")) + " unchanged, " +
             std::to_string(f.count("failures")) + " failed; " + plural(f.count("kicks"), "kick"));
  }
  AnswerFields file = s.object("file");
  const json& file_raw = raw.at("file");
  std::string origin = file.string("origin") == "server" ? "from the server" : "the saved copy";
  std::string result = file.one_of("result", {"applied", "rejected", ""});
  std::string applied = is_null(file_raw, "applied_at") ? "" : when(file_raw, file, "applied_at");
  if (result.empty())
    line(out, "file", "none yet");
  else if (result == "applied")
    line(out, "file", "applied " + applied + ", " + origin);
  else
    line(out, "file", "rejected (" + origin + "); " +
                          (applied.empty() ? "none applied" : "the one applied " + applied + " stays"));
  for (const auto& p : file.strings("problems")) line(out, "  problem", p);
  for (const auto& w : file.strings("warnings")) line(out, "  warning", w);
}

std::string ports_text(const json& raw, const AnswerFields& result) {
  if (is_null(raw, "ports")) return "no portconfig in force\n";
  std::string out = "bridge " + result.string("bridge") + " (Nante-WAN's; nwbpf has none)\n";
  const auto& ports = result.list("ports");
  if (ports.empty()) return out + "no ports\n";
  Table table({{"PORT"}, {"TAGGED"}, {"VLANS"}, {"PVID", views::Align::right}, {"APPLIED"}});
  for (size_t i = 0; i < ports.size(); ++i) {
    AnswerFields p = result.element("ports", i);
    auto pvid = p.optional_count("pvid");
    std::string state = p.one_of("state", {"up", "down", "missing", "not applied"});
    uint64_t ifindex = p.count("ifindex");
    table.add_row({p.string("name"), p.flag("tagged") ? "yes" : "no",
                   id_ranges(p.list("vlans"), "ports[" + std::to_string(i) + "].vlans"),
                   pvid ? std::to_string(*pvid) : "-",
                   ifindex ? state + " (ifindex " + std::to_string(ifindex) + ")" : state});
  }
  return out + table.render();
}

}  // namespace

std::string portconfig_text(const nlohmann::json& answer) {
  AnswerFields result(answer, "result");
  std::string out;
  const auto& sources = result.list("sources");
  for (size_t i = 0; i < sources.size(); ++i) {
    source_text(sources[i], result.element("sources", i), out);
    out += "\n";
  }
  return out + ports_text(answer, result);
}

}  // namespace nwbpf::cli
