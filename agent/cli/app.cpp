// SPDX-License-Identifier: Apache-2.0
#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <functional>
#include <optional>
#include <stdexcept>

#include "cli/bgp_view.h"
#include "cli/commands.h"
#include "cli/nhrp_view.h"
#include "cli/target.h"
#include "config/config.h"
#include "config/value_rules.h"

namespace nwbpf::cli {

namespace {

constexpr uint32_t kMaxVni = (1u << 24) - 1;  // 24-bit VNI, RFC 7348 section 5

// Everything the command line sets, and the command it selected.
struct Invocation {
  TargetOptions target;
  std::string config_file;
  CLI::Option* config_opt = nullptr;
  bool json = false;
  bool all = false;
  std::optional<uint32_t> vni;
  std::string check_file;
  std::string import_file;
  std::vector<std::string> evpn_words;  // show bgp evpn [type T] [vni N]
  std::string nhrp_table;  // show nhrp [cache|nhs|shortcut]
  std::vector<std::string> acl_words;  // show acl [vlan N]
  std::function<void()> command;  // set by the callback of the leaf subcommand given

  Target resolve() {
    if (config_opt->count()) target.config_file = config_file;
    return resolve_target(target);
  }
};

void add_target_options(CLI::App& app, Invocation& inv) {
  inv.config_opt = app.add_option("-c,--config", inv.config_file,
                                  "Take instance, bpffs and socket from the agent's config FILE")
                       ->type_name("FILE");
  // Same rule as the config file's agent.instance: the name becomes a path.
  CLI::Validator instance_name(
      [](std::string& name) { return config::instance_name_problem(name).value_or(""); }, "");
  app.add_option("--instance", inv.target.instance, "Agent instance name")
      ->type_name("NAME")
      ->check(instance_name)
      ->capture_default_str()
      ->excludes(inv.config_opt);
  app.add_option("--bpffs", inv.target.bpffs, "bpffs mount holding nwbpf/<instance>/ pins")
      ->type_name("DIR")
      ->capture_default_str()
      ->excludes(inv.config_opt);
  app.add_option("--socket", inv.target.socket,
                 "nwbpfd control socket [default: /run/nwbpf/<instance>.sock]")
      ->type_name("PATH")
      ->excludes(inv.config_opt);
}

// FRR's filter words: "type T" and "vni N", each at most once, any order.
EvpnFilter parse_evpn_filter(const std::vector<std::string>& words) {
  EvpnFilter filter;
  for (size_t i = 0; i < words.size(); i += 2) {
    const std::string& word = words[i];
    if (word != "type" && word != "vni")
      throw CLI::ValidationError("FILTER", "unknown filter \"" + word + "\" (type T, vni N)");
    if (i + 1 == words.size())
      throw CLI::ValidationError("FILTER", "\"" + word + "\" needs a value");
    const std::string& value = words[i + 1];
    if ((word == "type" && filter.type) || (word == "vni" && filter.vni))
      throw CLI::ValidationError("FILTER", "\"" + word + "\" given twice");
    if (word == "type") {
      filter.type = parse_route_type(value);
      if (!filter.type)
        throw CLI::ValidationError(
            "FILTER", "route type \"" + value + "\" is not 1-5, ead, macip, multicast, es or prefix");
      continue;
    }
    uint32_t vni = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), vni);
    if (ec != std::errc() || end != value.data() + value.size() || vni < 1 || vni > kMaxVni)
      throw CLI::ValidationError("FILTER", "VNI \"" + value + "\" is not a number from 1 to " +
                                               std::to_string(kMaxVni));
    filter.vni = vni;
  }
  return filter;
}

void add_bgp(CLI::App& show, Invocation& inv, std::ostream& out) {
  auto* bgp = show.add_subcommand("bgp", "The EVPN speaker in nwbpfd ([bgp] configured); asks nwbpfd");
  bgp->require_subcommand(1);
  auto* summary = bgp->add_subcommand(
      "summary", "BGP sessions: state, messages, paths received, End-of-RIB, why one went down");
  summary->add_flag("-j,--json", inv.json, "The agent's JSON answer as is");
  summary->callback(
      [&] { inv.command = [&] { show_bgp_summary(inv.resolve(), inv.json, out); }; });

  auto* evpn = bgp->add_subcommand(
      "evpn", "EVPN routes with every path, as FRR's `show bgp l2vpn evpn route`: [type T] [vni N]");
  evpn->add_option("FILTER", inv.evpn_words,
                   "type T (1-5, ead, macip, multicast, es, prefix) and/or vni N (1-" +
                       std::to_string(kMaxVni) + ")");
  evpn->add_flag("-j,--json", inv.json, "The agent's JSON answer as is");
  evpn->callback([&] {
    EvpnFilter filter = parse_evpn_filter(inv.evpn_words);  // a bad filter is a usage error
    inv.command = [&inv, &out, filter] { show_bgp_evpn(inv.resolve(), filter, inv.json, out); };
  });
}

void add_nhrp(CLI::App& show, Invocation& inv, std::ostream& out) {
  auto* nhrp = show.add_subcommand(
      "nhrp",
      "NHRP ([nhrp] configured), as FRR's show ip nhrp / show dmvpn: overlay -> NBMA cache, "
      "NHS registrations, shortcuts; asks nwbpfd");
  CLI::Validator table_word(
      [](std::string& word) {
        return parse_nhrp_table(word) ? ""
                                      : "unknown table \"" + word + "\" (cache, nhs, shortcut)";
      },
      "");
  nhrp->add_option("TABLE", inv.nhrp_table,
                   "cache (every overlay -> NBMA binding, FRR's types and flags), nhs (the NHSes "
                   "this CE registers with) or shortcut; none: all three and the counters")
      ->check(table_word);
  nhrp->add_flag("-j,--json", inv.json, "The agent's JSON answer as is");
  nhrp->callback([&] {
    std::optional<NhrpTable> table;
    if (!inv.nhrp_table.empty()) table = parse_nhrp_table(inv.nhrp_table);
    inv.command = [&inv, &out, table] { show_nhrp(inv.resolve(), table, inv.json, out); };
  });
}

// "vlan N", as FRR's and ebtables' words go; nullopt: every VLAN.
std::optional<uint16_t> parse_acl_filter(const std::vector<std::string>& words) {
  if (words.empty()) return std::nullopt;
  if (words[0] != "vlan")
    throw CLI::ValidationError("FILTER", "unknown filter \"" + words[0] + "\" (vlan N)");
  if (words.size() == 1) throw CLI::ValidationError("FILTER", "\"vlan\" needs a value");
  if (words.size() > 2)
    throw CLI::ValidationError("FILTER", "unexpected \"" + words[2] + "\" after vlan N");
  uint16_t vlan = 0;
  const std::string& value = words[1];
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), vlan);
  if (ec != std::errc() || end != value.data() + value.size() || vlan < 1 || vlan > 4094)
    throw CLI::ValidationError("FILTER", "VLAN \"" + value + "\" is not a number from 1 to 4094");
  return vlan;
}

void add_acl(CLI::App& show, Invocation& inv, std::ostream& out) {
  auto* acl = show.add_subcommand(
      "acl",
      "ebconfig's filters in force, per VLAN: ip-filter and mac-filter rules in order with "
      "their packet and byte counters, and the defaults; asks nwbpfd");
  acl->add_option("FILTER", inv.acl_words, "vlan N (1-4094): only that VLAN");
  acl->add_flag("-j,--json", inv.json, "The agent's JSON answer as is");
  acl->callback([&] {
    std::optional<uint16_t> vlan = parse_acl_filter(inv.acl_words);  // bad words: usage error
    inv.command = [&inv, &out, vlan] { show_acl(inv.resolve(), vlan, inv.json, out); };
  });
}

void add_show(CLI::App& app, Invocation& inv, std::ostream& out) {
  auto* show = app.add_subcommand("show", "Show data-plane or agent state");
  show->require_subcommand(1);
  // Inherited by the show subcommands, whose help cannot list the parent's options.
  show->footer(
      "Which node: -c FILE | --instance NAME --bpffs DIR --socket PATH, before or after the\n"
      "subcommand (see nwbpf --help).");

  auto* fdb = show->add_subcommand("fdb",
                                   "MAC table: static and learned entries, read from the pinned "
                                   "maps (works while nwbpfd is down)");
  fdb->add_option("--vni", inv.vni, "Only this VNI (= VLAN ID)")
      ->type_name("VNI")
      ->check(CLI::Range(1u, kMaxVni).description("1.." + std::to_string(kMaxVni)));
  fdb->add_flag("-j,--json", inv.json, "JSON array, one object per entry");
  fdb->callback([&] { inv.command = [&] { show_fdb(inv.resolve(), inv.vni, inv.json, out); }; });

  auto agent_object = [&](const char* object, const char* description) {
    auto* cmd = show->add_subcommand(object, description);
    cmd->add_flag("-j,--json", inv.json, "The agent's JSON answer as is");
    cmd->callback([&inv, &out, object] {
      inv.command = [&inv, &out, object] { show_from_agent(inv.resolve(), object, inv.json, out); };
    });
  };
  agent_object("ports",
               "Edge, WAN and tunnel ports, their VLANs and the path (xdp/tc) each uses; asks "
               "nwbpfd");
  agent_object("peers",
               "VTEPs: overlay and NBMA addresses and the flood lists they are in; asks nwbpfd");
  agent_object("config-server",
               "The config-server role ([config_server]): listening, the directory watched, "
               "kicks pending and recent changes with their kick; asks nwbpfd");
  agent_object("ipsec",
               "IPsec ([ipsec]): mode, charon's socket, then per peer whether the overlay may "
               "send to it (only over an SA), its connection in charon, its IKE_SAs (endpoints, "
               "NAT-T) and CHILD_SAs (SPIs, UDP encapsulation, bytes and packets); asks nwbpfd");

  auto* stats = show->add_subcommand("stats",
                                     "Forwarding counters and drop reasons summed over CPUs, read "
                                     "from the pinned maps (works while nwbpfd is down)");
  stats->add_flag("--all", inv.all, "Also list counters that are zero");
  stats->add_flag("-j,--json", inv.json,
                  "JSON {stats: [...], drops: [...]}: every counter, zero or not");
  stats->callback(
      [&] { inv.command = [&] { show_stats(inv.resolve(), inv.all, inv.json, out); }; });

  add_bgp(*show, inv, out);
  add_nhrp(*show, inv, out);
  add_acl(*show, inv, out);
  auto* portconfig = show->add_subcommand(
      "portconfig",
      "The portconfig fetched from the config server ([fetch], role ce): desired ports vs the "
      "data plane's, URL, last fetch and its result; the ebconfig source's fetch too; asks nwbpfd");
  portconfig->add_flag("-j,--json", inv.json, "The agent's JSON answer as is");
  portconfig->callback(
      [&] { inv.command = [&] { show_portconfig(inv.resolve(), inv.json, out); }; });
}

void add_config(CLI::App& app, Invocation& inv, std::ostream& out) {
  auto* config = app.add_subcommand("config", "Work with config files");
  config->require_subcommand(1);
  auto* check = config->add_subcommand(
      "check", "Validate FILE: print \"FILE: OK\", or every problem as file:line:col and exit 1");
  check->add_option("FILE", inv.check_file,
                     "Config file: TOML (*.toml) or Nante-WAN's nante-wan.conf (*.conf, *.ini)")
      ->required();
  check->callback([&] { inv.command = [&] { config_check(inv.check_file, out); }; });
  auto* import = config->add_subcommand(
      "import",
      "Print the nwbpf TOML equivalent of Nante-WAN's nante-wan.conf FILE (checked as nwbpfd "
      "checks it: errors as file:line:col, exit 1); settings nwbpf does not use are listed as "
      "comments. A node whose dmvpn_addr is one of its rr_addr* becomes a route server, any "
      "other a CE");
  import->add_option("FILE", inv.import_file, "nante-wan.conf (INI), whatever its name")
      ->required();
  import->callback([&] { inv.command = [&] { config_import(inv.import_file, out); }; });
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app("Inspect an nwbpf node: the pinned data-plane maps and the agent nwbpfd.", "nwbpf");
  // Global options are accepted before or after the subcommand.
  app.fallthrough();
  app.require_subcommand(1);
  Invocation inv;
  add_target_options(app, inv);
  add_show(app, inv, out);
  add_config(app, inv, out);
  // Set last: subcommands copy the footer of their parent when created.
  app.footer(
      "Examples:\n"
      "  nwbpf show fdb\n"
      "  nwbpf -c /etc/nwbpf/ce1.toml show ports\n"
      "  nwbpf --instance ce1 --bpffs /run/nwbpf-test/bpffs show stats --all\n"
      "  nwbpf show fdb --vni 99 -j | jq .\n"
      "  nwbpf show bgp summary\n"
      "  nwbpf show bgp evpn type 2 vni 100\n"
      "  nwbpf show nhrp cache\n"
      "  nwbpf show acl vlan 10\n"
      "  nwbpf show portconfig\n"
      "  nwbpf show config-server\n"
      "  nwbpf show ipsec\n"
      "  nwbpf config check /etc/nwbpf/ce1.toml\n"
      "  nwbpf config import nante-wan.conf > /etc/nwbpf/ce1.toml");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0 : 2;
  }

  try {
    inv.command();
    // A full disk or closed stdout must not look like success to a script.
    if (!out.flush()) throw std::runtime_error("cannot write the output");
    return 0;
  } catch (const ConfigError& e) {
    // Already one "file:line:col: key: message" line per problem.
    std::string lines = e.what();
    err << lines << (lines.ends_with('\n') ? "" : "\n");
  } catch (const std::exception& e) {
    err << "nwbpf: " << e.what() << '\n';
  }
  return 1;
}

}  // namespace nwbpf::cli
