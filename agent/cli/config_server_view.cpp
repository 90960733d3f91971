// SPDX-License-Identifier: Apache-2.0
#include "cli/config_server_view.h"

#include <fmt/format.h>

#include <array>

#include "cli/answer_fields.h"
#include "views/table.h"

namespace nwbpf::cli {

namespace {

using views::Align;
using views::Table;

// In the order of control/protocol.h, with the words the operator reads.
constexpr std::array<std::pair<const char*, std::string_view>, 6> kCounters{{
    {"requested", "requested"},
    {"coalesced", "coalesced"},
    {"tries", "tries"},
    {"succeeded", "succeeded"},
    {"failed", "failed"},
    {"given_up", "given up"},
}};

std::string dash(const std::string& s) { return s.empty() ? "-" : s; }

// "Listening on ..." or why not: the first thing to check when CEs fetch
// nothing.
std::string state_lines(const AnswerFields& result) {
  std::string listen = result.string("listen");
  std::string out = result.flag("listening")
                        ? fmt::format("Config server: listening on {}\n", listen)
                        : fmt::format("Config server: NOT listening on {}: {} (retrying)\n", listen,
                                      result.string("listen_error"));
  std::string directory = result.string("directory");
  out += result.flag("watching") ? fmt::format("Directory: {}, watched\n", directory)
                                 : fmt::format("Directory: {}, NOT watched: {} (retrying)\n",
                                               directory, result.string("watch_error"));
  std::string folders;
  for (size_t i = 0; i < result.list("folders").size(); ++i) {
    AnswerFields f = result.element("folders", i);
    folders += fmt::format("{}{} (kick port {})", folders.empty() ? "" : ", ", f.string("name"),
                           f.count("kick_port"));
  }
  return out + "Folders: " + (folders.empty() ? "none" : folders) + "\n";
}

std::string counters_line(const AnswerFields& result) {
  AnswerFields kicks = result.object("kicks");
  std::string out;
  for (const auto& [key, label] : kCounters)
    out += fmt::format("{}{} {}", out.empty() ? "Kicks: " : ", ", label, kicks.count(key));
  return out + fmt::format(" ({} tries per kick)\n", result.count("kick_tries"));
}

std::string pending_table(const AnswerFields& result) {
  const auto& list = result.list("pending");
  if (list.empty()) return "No kick pending.\n";
  Table table({{"CE"}, {"PORT", Align::right}, {"TRIES", Align::right}, {"STATE"}, {"LAST ERROR"}});
  for (size_t i = 0; i < list.size(); ++i) {
    AnswerFields p = result.element("pending", i);
    table.add_row({p.string("ce"), std::to_string(p.count("port")),
                   std::to_string(p.count("tries")), p.flag("in_flight") ? "in flight" : "waiting",
                   dash(p.string("last_error"))});
  }
  return table.render();
}

std::string changes_table(const AnswerFields& result) {
  const auto& list = result.list("changes");
  if (list.empty()) return "No file changed since the server started.\n";
  Table table({{"TIME"},
               {"FILE"},
               {"CE"},
               {"KICK PORT", Align::right},
               {"KICK"},
               {"TRIES", Align::right},
               {"ERROR"}});
  for (size_t i = 0; i < list.size(); ++i) {
    AnswerFields c = result.element("changes", i);
    table.add_row({c.string("time"), c.string("folder") + "/" + c.string("file"), c.string("ce"),
                   std::to_string(c.count("kick_port")),
                   c.one_of("kick", {"pending", "retrying", "kicked", "gave up"}),
                   std::to_string(c.count("tries")), dash(c.string("error"))});
  }
  return table.render();
}

}  // namespace

std::string config_server_text(const nlohmann::json& result) {
  AnswerFields fields(result, "result");
  return state_lines(fields) + counters_line(fields) + "\nPending kicks:\n" +
         pending_table(fields) + "\nRecent changes (newest first):\n" + changes_table(fields);
}

}  // namespace nwbpf::cli
