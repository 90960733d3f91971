// SPDX-License-Identifier: Apache-2.0
#include "daemon/config_server_role.h"

#include <arpa/inet.h>

#include <algorithm>
#include <boost/asio/ip/address_v4.hpp>

#include "bgp/session_manager_config.h"
#include "common/log.h"
#include "common/utc_time.h"

namespace nwbpf::daemon {

namespace {

using nlohmann::json;

std::vector<std::string> folder_names(const ConfigServerConfig& config) {
  std::vector<std::string> names;
  for (const auto& folder : config.folders) names.push_back(folder.name);
  return names;
}

boost::asio::ip::tcp::endpoint listen_endpoint(const ConfigServerConfig& config) {
  Ipv4 address = config.listen_address.value_or(Ipv4{});
  return {boost::asio::ip::address_v4(ntohl(address.be)), config.listen_port};
}

std::string endpoint_text(const ConfigServerConfig& config) {
  return config.listen_address.value_or(Ipv4{}).str() + ":" + std::to_string(config.listen_port);
}

}  // namespace

central::KickAddress kick_destination(Ipv4 ce, const std::optional<NhrpConfig>& nhrp,
                                      const NhrpInstall& registered) {
  if (!nhrp || !bgp::contains(nhrp->overlay_range, ce)) return ce;
  auto it = registered.peers.find(ce);
  if (it == registered.peers.end()) return ce.str() + " is not registered with NHRP";
  return it->second.nbma;
}

ConfigServerRole::ConfigServerRole(boost::asio::io_context& io, ConfigServerConfig config,
                                   Resolve resolve)
    : io_(io), config_(std::move(config)), retry_(io) {
  central::KickOptions options;
  options.tries = config_.kick_retries + 1;
  options.resolve = std::move(resolve);
  options.report = [this](const central::KickTarget& target, const central::KickTry& result) {
    on_kick(target, result);
  };
  kicker_ = std::make_unique<central::Kicker>(io_, std::move(options));
}

ConfigServerRole::~ConfigServerRole() { stop(); }

void ConfigServerRole::start() {
  log::get("central")->info("config server: serving {} on {}", config_.directory,
                            endpoint_text(config_));
  set_up();
}

// Each step is tried until it works: a directory mounted later, an address
// that becomes local (a WAN address from DHCP), a port another process
// frees. The failure is logged when it first happens or changes.
void ConfigServerRole::set_up() {
  auto log = log::get("central");
  auto failed = [&](std::string& last, const std::string& what, const std::exception& e) {
    if (e.what() != last)
      log->error("config server: {}: {}; retrying every {} s", what, e.what(), kRetry.count());
    last = e.what();
  };
  if (!server_) {
    try {
      auto server =
          std::make_unique<central::ConfigServer>(io_, config_.directory, folder_names(config_));
      server->listen(listen_endpoint(config_));
      server_ = std::move(server);
      if (!listen_error_.empty())
        log->info("config server: listening on {}", endpoint_text(config_));
      listen_error_.clear();
    } catch (const std::exception& e) {
      failed(listen_error_, "listening on " + endpoint_text(config_), e);
    }
  }
  if (!watch_) {
    try {
      watch_ = std::make_unique<central::DirWatch>(
          io_, config_.directory, folder_names(config_),
          [this](const central::Change& change) { on_change(change); });
      if (!watch_error_.empty()) log->info("config server: watching {}", config_.directory);
      watch_error_.clear();
    } catch (const std::exception& e) {
      failed(watch_error_, "watching " + config_.directory, e);
    }
  }
  if (server_ && watch_) return;
  retry_.expires_after(kRetry);
  retry_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !stopped_) set_up();
  });
}

void ConfigServerRole::stop() {
  stopped_ = true;
  retry_.cancel();
  if (server_) server_->close();
  server_.reset();
  watch_.reset();
  kicker_.reset();
}

uint16_t ConfigServerRole::kick_port(const std::string& folder) const {
  for (const auto& f : config_.folders)
    if (f.name == folder) return f.kick_port;
  return 0;  // unreachable: DirWatch reports only the configured folders
}

void ConfigServerRole::on_change(const central::Change& change) {
  uint16_t port = kick_port(change.folder);
  log::get("central")->info("config server: {}/{} changed; kicking {}:{}", change.folder,
                            change.file, change.ce.str(), port);
  ConfigChange& entry = changes_.emplace_back();
  entry.time = std::chrono::system_clock::now();
  entry.change = change;
  entry.kick_port = port;
  if (changes_.size() > kRecentChanges) changes_.pop_front();
  kicker_->kick({change.ce, port});
}

// Every change of the target still waiting for its kick takes the result:
// a kick covers every change before it.
void ConfigServerRole::on_kick(const central::KickTarget& target, const central::KickTry& result) {
  for (auto& c : changes_) {
    if (c.change.ce != target.ce || c.kick_port != target.port) continue;
    if (c.kick == "kicked" || c.kick == "gave up") continue;
    c.tries = result.tries;
    if (!result.error.empty()) c.error = result.error;
    if (result.error.empty())
      c.kick = result.last ? "kicked" : "pending";  // not last: one more kick follows
    else
      c.kick = result.last ? "gave up" : "retrying";
  }
}

json ConfigServerRole::status() const {
  json folders = json::array();
  for (const auto& f : config_.folders)
    folders.push_back({{"name", f.name}, {"kick_port", f.kick_port}});
  json pending = json::array();
  if (kicker_)
    for (const auto& p : kicker_->pending_kicks())
      pending.push_back({{"ce", p.target.ce.str()},
                         {"port", p.target.port},
                         {"tries", p.tries},
                         {"in_flight", p.in_flight},
                         {"last_error", p.last_error}});
  json changes = json::array();
  for (auto it = changes_.rbegin(); it != changes_.rend(); ++it)
    changes.push_back({{"time", utc_text_ms(it->time)},
                       {"folder", it->change.folder},
                       {"file", it->change.file},
                       {"ce", it->change.ce.str()},
                       {"kick_port", it->kick_port},
                       {"kick", it->kick},
                       {"tries", it->tries},
                       {"error", it->error}});
  central::KickCounters k = kicker_ ? kicker_->counters() : central::KickCounters{};
  return {{"listen", endpoint_text(config_)},
          {"listening", server_ != nullptr},
          {"listen_error", listen_error_},
          {"directory", config_.directory},
          {"watching", watch_ != nullptr},
          {"watch_error", watch_error_},
          {"kick_tries", config_.kick_retries + 1},
          {"folders", folders},
          {"kicks",
           {{"requested", k.requested},
            {"coalesced", k.coalesced},
            {"tries", k.tries},
            {"succeeded", k.succeeded},
            {"failed", k.failed},
            {"given_up", k.given_up}}},
          {"pending", pending},
          {"changes", changes}};
}

}  // namespace nwbpf::daemon
