// SPDX-License-Identifier: Apache-2.0
#include "cli/app.h"

#include <CLI/CLI.hpp>

#include <functional>

#include "cli/commands.h"
#include "cli/target.h"
#include "config/config.h"
#include "config/value_rules.h"

namespace nwbpf::cli {

namespace {

constexpr uint32_t kMaxVni = (1u << 24) - 1;  // 24-bit VNI, RFC 7348 section 5

// Same rule as the config file's agent.instance; the name becomes a path.
const CLI::Validator kInstanceName(
    [](std::string& name) { return config::instance_name_problem(name).value_or(""); }, "");

// The `show` subcommands' shared -j flag.
CLI::Option* add_json_flag(CLI::App* cmd, bool& json, const char* what) {
  return cmd->add_flag("-j,--json", json, what);
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app("Inspect an nwbpf node: the pinned data-plane maps and the agent nwbpfd.",
               "nwbpf");
  // Global options are accepted before or after the subcommand.
  app.fallthrough();
  app.require_subcommand(1);

  TargetOptions target_opts;
  std::string config_file;
  auto* config_opt = app.add_option("-c,--config", config_file,
                                    "Take instance, bpffs and socket from the agent's config FILE")
                         ->type_name("FILE");
  app.add_option("--instance", target_opts.instance, "Agent instance name")
      ->type_name("NAME")
      ->check(kInstanceName)
      ->capture_default_str()
      ->excludes(config_opt);
  app.add_option("--bpffs", target_opts.bpffs, "bpffs mount holding nwbpf/<instance>/ pins")
      ->type_name("DIR")
      ->capture_default_str()
      ->excludes(config_opt);
  app.add_option("--socket", target_opts.socket,
                 "nwbpfd control socket [default: /run/nwbpf/<instance>.sock]")
      ->type_name("PATH")
      ->excludes(config_opt);

  std::function<int()> action;
  auto target = [&] {
    if (config_opt->count()) target_opts.config_file = config_file;
    return resolve_target(target_opts);
  };

  auto* show = app.add_subcommand("show", "Show data-plane or agent state");
  show->require_subcommand(1);
  // Inherited by the show subcommands, whose help cannot list the parent's options.
  show->footer(
      "Which node: -c FILE | --instance NAME --bpffs DIR --socket PATH, before or after the\n"
      "subcommand (see nwbpf --help).");

  bool json = false;
  std::optional<uint32_t> vni;
  auto* fdb = show->add_subcommand(
      "fdb", "MAC table: static and learned entries, read from the pinned maps (works while "
             "nwbpfd is down)");
  fdb->add_option("--vni", vni, "Only this VNI (= VLAN ID)")
      ->type_name("VNI")
      ->check(CLI::Range(1u, kMaxVni).description("1.." + std::to_string(kMaxVni)));
  add_json_flag(fdb, json, "JSON array, one object per entry");
  fdb->callback([&] { action = [&] { show_fdb(target(), vni, json, out); return 0; }; });

  for (const char* object : {"ports", "peers"}) {
    auto* cmd = show->add_subcommand(
        object, std::string(object) == "ports"
                    ? "Edge, WAN and tunnel ports, their VLANs and the path (xdp/tc) each uses; "
                      "asks nwbpfd"
                    : "VTEPs: overlay and NBMA addresses and the flood lists they are in; asks "
                      "nwbpfd");
    add_json_flag(cmd, json, "The agent's JSON answer as is");
    cmd->callback([&, object] {
      action = [&, object] { show_from_agent(target(), object, json, out); return 0; };
    });
  }

  bool all = false;
  auto* stats = show->add_subcommand(
      "stats", "Forwarding counters and drop reasons summed over CPUs, read from the pinned "
               "maps (works while nwbpfd is down)");
  stats->add_flag("--all", all, "Also list counters that are zero");
  add_json_flag(stats, json, "JSON {stats: [...], drops: [...]}: every counter, zero or not");
  stats->callback([&] { action = [&] { show_stats(target(), all, json, out); return 0; }; });

  auto* config = app.add_subcommand("config", "Work with config files");
  config->require_subcommand(1);
  std::string check_file;
  auto* check = config->add_subcommand(
      "check", "Validate FILE: print \"FILE: OK\", or every problem as file:line:col and exit 1");
  check->add_option("FILE", check_file, "Config file (TOML)")->required();
  check->callback([&] { action = [&] { return config_check(check_file, out, err); }; });

  // Set last: subcommands copy the footer of their parent when created.
  app.footer(
      "Examples:\n"
      "  nwbpf show fdb\n"
      "  nwbpf -c /etc/nwbpf/ce1.toml show ports\n"
      "  nwbpf --instance ce1 --bpffs /run/nwbpf-test/bpffs show stats --all\n"
      "  nwbpf show fdb --vni 99 -j | jq .\n"
      "  nwbpf config check /etc/nwbpf/ce1.toml");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0 : 2;
  }

  try {
    return action();
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
