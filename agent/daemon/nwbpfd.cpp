// SPDX-License-Identifier: Apache-2.0
// nwbpfd: the nwbpf agent. Parses the command line and the config, then
// runs the Daemon's io_context until SIGTERM/SIGINT.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <iostream>
#include <sstream>

#include "common/log.h"
#include "config/config.h"
#include "daemon/daemon.h"

namespace {

constexpr char kFooter[] = R"(Signals:
  SIGHUP           re-read FILE; on any error the running config stays
  SIGTERM, SIGINT  stop; the BPF programs stay attached and keep forwarding
                   unless --detach-on-exit or agent.detach_on_exit is set

Exit status:
  0   stopped by SIGTERM or SIGINT
  1   the config file is invalid (each problem printed as file:line:col)
  2   loading or attaching the BPF programs failed
  3   the control socket is taken by another agent, or cannot be created
  4   [ipsec] asks for encryption the kernel cannot do (no ESP), or a
      certificate or key cannot be read
  64  bad command line)";

}  // namespace

int main(int argc, char** argv) {
  using namespace nwbpf;
  using namespace nwbpf::daemon;

  CLI::App app{"nwbpfd " NWBPF_VERSION
               ": the nwbpf agent (Ethernet over VXLAN with an XDP/TC data plane)"};
  app.footer(kFooter);
  std::string config_path;
  std::string log_level;
  bool detach_on_exit = false;
  bool plaintext = false;
  app.add_option("-c,--config", config_path,
                 "config file: TOML (*.toml) or Nante-WAN's nante-wan.conf (*.conf, *.ini)")
      ->required()
      ->type_name("FILE");
  app.add_option("--log-level", log_level, "overrides agent.log_level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->type_name("LEVEL");
  app.add_flag("--detach-on-exit", detach_on_exit,
               "detach the BPF programs when stopping (overrides agent.detach_on_exit)");
  app.add_flag("--plaintext", plaintext,
               "run the overlay unencrypted although the config asks for IPsec ([ipsec], or "
               "nante-wan.conf's ipsec_secret); logged as a warning");
  app.set_version_flag("--version", NWBPF_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitClean : kExitUsage;
  }

  auto log = log::get("daemon");
  Config config;
  try {
    config = load_config(config_path);
  } catch (const std::exception& e) {
    std::cerr << e.what() << '\n';
    return kExitConfig;
  }
  // A nante-wan.conf setting nwbpf does not carry out must not pass
  // unnoticed.
  for (const auto& line : config.unused) log->warn("{}", line);

  Overrides overrides;
  if (!log_level.empty()) overrides.log_level = log_level;
  overrides.detach_on_exit = detach_on_exit;
  overrides.plaintext = plaintext;
  boost::asio::io_context io;
  Daemon daemon(io, std::move(config), std::move(overrides));
  try {
    daemon.start();
  } catch (const StartError& e) {
    std::istringstream lines(e.what());
    for (std::string line; std::getline(lines, line);) log->critical("{}", line);
    return e.code();
  }
  io.run();
  log->info("stopped");
  return kExitClean;
}
