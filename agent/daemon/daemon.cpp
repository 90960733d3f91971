// SPDX-License-Identifier: Apache-2.0
// Daemon life cycle: start, signals, reload, stop.
#include "daemon/daemon.h"

#include <csignal>
#include <sstream>

#include "common/log.h"
#include "daemon/fdb_ageing.h"
#include "daemon/links.h"
#include "dataplane/netlink.h"

namespace nwbpf::daemon {

namespace {

constexpr std::chrono::seconds kLinkPoll{2};  // waiting ports show up within this
constexpr std::chrono::seconds kXdpPoll{5};   // a port's XDP path change shows within this
// How stale a next hop in the nexthops map may get (a neighbour's new MAC,
// a route change); TC's bpf_redirect_neigh covers a next hop not there yet.
constexpr std::chrono::seconds kNextHopRefresh{1};

const char* mode_name(DataplaneMode mode) {
  switch (mode) {
    case DataplaneMode::xdp:
      return "xdp";
    case DataplaneMode::tc:
      return "tc";
    case DataplaneMode::kernel_tunnel:
      return "kernel-tunnel";
  }
  return "?";
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

// Settings that size or name what already exists (pins, map sizes, the
// socket): a reload cannot change them, so it keeps the running values and
// says so.
void keep_restart_only(Config& next, const Config& running) {
  auto log = log::get("config");
  auto keep = [&](auto& field, const auto& value, const char* key) {
    if (field == value) return;
    log->warn("{} changed; it takes effect when nwbpfd restarts", key);
    field = value;
  };
  keep(next.agent.instance, running.agent.instance, "agent.instance");
  keep(next.agent.bpffs, running.agent.bpffs, "agent.bpffs");
  keep(next.agent.control_socket, running.agent.control_socket, "agent.control_socket");
  keep(next.agent.bpf_object, running.agent.bpf_object, "agent.bpf_object");
  keep(next.dataplane.fdb_size, running.dataplane.fdb_size, "dataplane.fdb_size");
}

}  // namespace

Daemon::Daemon(boost::asio::io_context& io, Config config, Overrides overrides)
    : io_(io),
      config_(std::move(config)),
      overrides_(std::move(overrides)),
      retire_evpn_(io),
      preserved_expiry_(io),
      link_poll_(io, [this] { poll_links(false); }),
      xdp_poll_(io, [this] { poll_links(true); }),
      ageing_(io, [this] { age_fdb(); }),
      nexthop_refresh_(io, [this] { refresh_nexthops(); }),
      signals_(io, SIGTERM, SIGINT, SIGHUP) {
  apply_overrides(config_);
}

Daemon::~Daemon() = default;

void Daemon::apply_overrides(Config& config) const {
  if (overrides_.log_level) config.agent.log_level = *overrides_.log_level;
  if (overrides_.detach_on_exit) config.agent.detach_on_exit = true;
  if (overrides_.plaintext && config.ipsec.mode != IpsecConfig::Mode::off) {
    log::get("ipsec")->warn("--plaintext: the config asks for encryption; the overlay runs "
                            "UNENCRYPTED");
    config.ipsec = {};
  }
}

void Daemon::start() {
  auto log = log::get("daemon");
  log::set_level(config_.agent.log_level);
  // Before anything is claimed or loaded: encryption the kernel cannot do
  // is a start error, never a quiet fallback to plaintext.
  try {
    check_ipsec(config_);
  } catch (const std::exception& e) {
    throw StartError(kExitIpsec, e.what());
  }
  if (config_.ipsec.mode == IpsecConfig::Mode::off)
    log::get("ipsec")->info("encryption off: the overlay is plaintext");
  try {
    server_ = std::make_unique<ControlServer>(io_, config_.socket_path(), backend());
  } catch (const ControlSocketError& e) {
    throw StartError(kExitStartup, e.what());
  }
  try {
    datapath_ = Datapath::load(config_);
    reconciler_ = std::make_unique<Reconciler>(*datapath_);
    prepare_central();  // the saved portconfig: the ports to look up
    apply_acl();        // the saved ebconfig, or none
    links_ = take_snapshot(config_, {}, true);
    for (const auto& line : link_changes({}, links_)) log::get("links")->info("{}", line);
    ensure_tunnel();
  } catch (const std::exception& e) {
    throw StartError(kExitDataplane, e.what());
  }
  query_nexthops();
  preserve_evpn_state();
  auto outcome = reconcile();
  if (!outcome.errors.empty()) throw StartError(kExitDataplane, join_lines(outcome.errors));
  try {
    events_ = std::make_unique<EventReader>(io_, datapath_->events_fd(),
                                            [this](const nwbpf_event& ev) { on_event(ev); });
  } catch (const std::exception& e) {
    throw StartError(kExitDataplane, e.what());
  }
  resolve_neighbours();
  ensure_ipsec();
  // Encrypted: NHRP, BGP and HTTP go out only once charon has the trap
  // policies that hold them until an SA is up (IkeService's ready);
  // started now, their first packets would leave in plaintext.
  if (config_.ipsec.mode == IpsecConfig::Mode::off)
    start_protocols();
  else
    log::get("ipsec")->info("NHRP, BGP and the config fetch wait for charon to hold the "
                            "connections to the NHSes and route reflectors");
  start_periodic();
  wait_signal();
  log->info("started: instance {}, mode {}, {} ports, {} peers, pins {}, control {}",
            config_.agent.instance, mode_name(config_.dataplane.mode), config_.ports.size(),
            config_.peers.size(), config_.pin_dir(), config_.socket_path());
}

// The control-plane protocols. Throws StartError.
void Daemon::start_protocols() {
  protocols_started_ = true;
  try {
    start_evpn();
  } catch (const std::exception& e) {
    throw StartError(kExitStartup, std::string("EVPN speaker: ") + e.what());
  }
  try {
    start_nhrp();
  } catch (const std::exception& e) {
    throw StartError(kExitStartup, std::string("NHRP: ") + e.what());
  }
  start_config_server();  // after NHRP, which resolves the CEs it kicks
  start_central();  // after NHRP, which finds a config server's NBMA address
}

void Daemon::start_periodic() {
  link_poll_.start(kLinkPoll);
  if (config_.dataplane.mode == DataplaneMode::xdp)
    xdp_poll_.start(kXdpPoll);
  else
    xdp_poll_.stop();
  ageing_.start(ageing_scan_interval(std::chrono::seconds(config_.dataplane.mac_ageing_s)));
  if (config_.dataplane.mode == DataplaneMode::kernel_tunnel)
    nexthop_refresh_.stop();  // the kernel resolves next hops itself
  else
    nexthop_refresh_.start(kNextHopRefresh);
}

void Daemon::wait_signal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      try {
        reload();
      } catch (const std::exception&) {
        // Already logged line by line by reload().
      }
      wait_signal();
      return;
    }
    log::get("daemon")->info("{} received, stopping", signo == SIGTERM ? "SIGTERM" : "SIGINT");
    stop();
  });
}

nlohmann::json Daemon::reload() {
  auto log = log::get("config");
  log->info("reloading {}", config_.path);
  Config next;
  try {
    next = load_config(config_.path);
  } catch (const ConfigError& e) {
    std::istringstream lines(e.what());
    for (std::string line; std::getline(lines, line);) log->error("{}", line);
    log->error("reload failed; the running config stays in force");
    throw std::runtime_error(std::string("config not reloaded, running config kept:\n") + e.what());
  }
  for (const auto& line : next.unused) log->warn("{}", line);  // as at start (nwbpfd.cpp)
  apply_overrides(next);
  try {
    check_ipsec(next);
  } catch (const std::exception& e) {
    log->error("reload failed: {}; the running config stays in force", e.what());
    throw std::runtime_error(std::string("config not reloaded, running config kept: ") + e.what());
  }
  keep_restart_only(next, config_);
  use_fetched_ports(next);  // [fetch.portconfig]: the edge ports
  // Look the devices up before committing, so a netlink failure leaves the
  // running config whole.
  LinkSnapshot snapshot;
  try {
    snapshot = take_snapshot(next, links_, true);
  } catch (const std::exception& e) {
    log->error("reload failed looking up devices: {}; the running config stays in force", e.what());
    throw std::runtime_error(std::string("reload failed looking up devices: ") + e.what());
  }
  if (next.agent.log_level != config_.agent.log_level) log::set_level(next.agent.log_level);

  std::optional<EvpnPlan> evpn_before;
  if (config_.bgp) evpn_before = plan_evpn(config_);
  std::optional<NhrpPlan> nhrp_before = nhrp_ ? std::optional(nhrp_->plan()) : std::nullopt;
  const bool had_tunnel = config_.dataplane.mode == DataplaneMode::kernel_tunnel;
  const std::string old_tunnel = config_.dataplane.tunnel_device;
  config_ = std::move(next);
  for (const auto& line : link_changes(links_, snapshot)) log::get("links")->info("{}", line);
  links_ = std::move(snapshot);
  try {
    ensure_tunnel();
  } catch (const std::exception& e) {
    log::get("links")->error("tunnel device {}: {}", config_.dataplane.tunnel_device, e.what());
  }
  query_nexthops();  // peers, their NBMA addresses or the WAN may have changed
  auto outcome = reconcile();
  // The old tunnel device is ours and now unused (its hook went with the
  // reconcile above).
  if (had_tunnel && (config_.dataplane.mode != DataplaneMode::kernel_tunnel ||
                     config_.dataplane.tunnel_device != old_tunnel)) {
    try {
      netlink::delete_link(old_tunnel);
      log::get("links")->info("deleted tunnel device {}", old_tunnel);
    } catch (const std::exception& e) {
      log::get("links")->warn("deleting tunnel device {}: {}", old_tunnel, e.what());
    }
  }
  start_periodic();
  resolve_neighbours();
  ensure_ipsec();
  if (!protocols_started_) {
    log->info("reloaded {} (NHRP, BGP and the config fetch still wait for charon)", config_.path);
    return reload_summary(outcome);
  }
  try {
    reload_evpn(evpn_before);
  } catch (const std::exception& e) {
    // The config passed validation, so this is the listen socket (port in
    // use): the speaker stays down and says so in `show bgp summary`.
    log::get("evpn")->error("EVPN speaker not restarted: {}", e.what());
    outcome.errors.push_back(std::string("EVPN speaker: ") + e.what());
  }
  try {
    reload_nhrp(nhrp_before);
  } catch (const std::exception& e) {
    log::get("nhrp")->error("NHRP not restarted: {}", e.what());
    outcome.errors.push_back(std::string("NHRP: ") + e.what());
  }
  reload_config_server();
  start_central();  // sources whose [fetch] changed restart
  log->info("reloaded {}", config_.path);
  return reload_summary(outcome);
}

nlohmann::json Daemon::reload_summary(const Reconciler::Outcome& outcome) const {
  nlohmann::json maps = nlohmann::json::object();
  for (const auto& [name, count] : outcome.maps)
    maps[name] = {{"written", count.written}, {"deleted", count.deleted}};
  return {{"config", config_.path},        {"maps", maps},
          {"attached", outcome.attached},  {"detached", outcome.detached},
          {"warnings", desired_.warnings}, {"errors", outcome.errors}};
}

void Daemon::stop() {
  auto log = log::get("daemon");
  stopping_ = true;
  signals_.cancel();
  link_poll_.stop();
  xdp_poll_.stop();
  ageing_.stop();
  nexthop_refresh_.stop();
  if (events_) events_->stop();
  if (evpn_) evpn_->stop();
  if (nhrp_) nhrp_->stop();
  if (central_) central_->stop();
  if (config_server_) config_server_->stop();
  if (ike_) ike_->stop();
  retire_evpn_.cancel();
  preserved_expiry_.cancel();
  if (server_) server_->stop();
  if (!reconciler_) return;
  if (config_.agent.detach_on_exit) {
    reconciler_->detach_all();
    if (config_.dataplane.mode == DataplaneMode::kernel_tunnel) {
      try {
        netlink::delete_link(config_.dataplane.tunnel_device);
      } catch (const std::exception& e) {
        log->warn("deleting tunnel device {}: {}", config_.dataplane.tunnel_device, e.what());
      }
    }
    log->info("programs detached (agent.detach_on_exit); maps stay pinned in {}",
              config_.pin_dir());
  } else {
    log->info("programs stay attached; forwarding continues from the maps pinned in {}",
              config_.pin_dir());
  }
}

}  // namespace nwbpf::daemon
