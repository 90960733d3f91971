// SPDX-License-Identifier: Apache-2.0
// The config-server role in nwbpfd (issue 6): agent/central's ConfigServer,
// DirWatch and Kicker on the daemon's loop, configured by [config_server]
// (agent/central/README.md, "The config-server role"), and what `show
// config-server` reports of them.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "central/config_server.h"
#include "central/dir_watch.h"
#include "central/kicker.h"
#include "config/config.h"
#include "daemon/nhrp_install.h"

namespace nwbpf::daemon {

// Where the config server kicks the CE whose file is named `ce` (an overlay
// address): with [nhrp] and `ce` inside nhrp.overlay_range, the NBMA address
// the route server's registration cache (`nhrp.peers`) holds for it, else
// the reason there is none; without, or outside the range, `ce` itself (an
// underlay address).
central::KickAddress kick_destination(Ipv4 ce, const std::optional<NhrpConfig>& nhrp,
                                      const NhrpInstall& registered);

// One change DirWatch reported and what became of its kick.
struct ConfigChange {
  std::chrono::system_clock::time_point time;
  central::Change change;
  uint16_t kick_port = 0;
  std::string kick = "pending";  // pending, retrying, kicked, gave up
  unsigned tries = 0;
  std::string error;  // of the last failed try, "" if none
};

class ConfigServerRole {
 public:
  using Resolve = std::function<central::KickAddress(Ipv4 ce)>;
  // Failed set-up steps (the directory missing, the address not local or
  // the port taken) are retried this often.
  static constexpr std::chrono::seconds kRetry{5};
  // Changes kept for the status.
  static constexpr size_t kRecentChanges = 20;

  ConfigServerRole(boost::asio::io_context& io, ConfigServerConfig config, Resolve resolve);
  ~ConfigServerRole();
  ConfigServerRole(const ConfigServerRole&) = delete;
  ConfigServerRole& operator=(const ConfigServerRole&) = delete;

  // Listens and watches; never throws: what fails is logged, shown in
  // status() and retried every kRetry until it works.
  void start();
  // Closes the server, drops the watch, abandons pending kicks.
  void stop();
  const ConfigServerConfig& config() const { return config_; }
  // `show config-server`'s answer (control/protocol.h).
  nlohmann::json status() const;

 private:
  void set_up();
  void on_change(const central::Change& change);
  void on_kick(const central::KickTarget& target, const central::KickTry& result);
  uint16_t kick_port(const std::string& folder) const;

  boost::asio::io_context& io_;
  ConfigServerConfig config_;
  boost::asio::steady_timer retry_;
  std::unique_ptr<central::ConfigServer> server_;  // set once listening
  std::unique_ptr<central::DirWatch> watch_;
  std::unique_ptr<central::Kicker> kicker_;
  std::string listen_error_;          // the last failure to listen, "" once listening
  std::string watch_error_;           // the last failure to watch, "" once watching
  std::deque<ConfigChange> changes_;  // newest last
  bool stopped_ = false;
};

}  // namespace nwbpf::daemon
