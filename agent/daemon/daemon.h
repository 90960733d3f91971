// SPDX-License-Identifier: Apache-2.0
// nwbpfd: one io_context driving the control socket, the reconciler, link
// polling, ring-buffer events, MAC ageing, next-hop refresh and signals.
// Sources of truth (the config file and the links now; EVPN, NHRP and the
// rest later) feed one DesiredState; the Reconciler alone writes the maps.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "config/config.h"
#include "daemon/config_server_role.h"
#include "daemon/control_server.h"
#include "daemon/desired_state.h"
#include "daemon/events.h"
#include "daemon/bgp_views.h"
#include "daemon/central_client.h"
#include "daemon/evpn_preserved.h"
#include "daemon/evpn_service.h"
#include "daemon/ike_service.h"
#include "daemon/nhrp_service.h"
#include "daemon/periodic.h"
#include "daemon/rate_limiter.h"
#include "daemon/reconciler.h"
#include "dataplane/acl_compile.h"
#include "dataplane/datapath.h"
#include "views/acl_view.h"

namespace nwbpf::daemon {

// Process exit codes, documented by `nwbpfd --help`.
enum ExitCode : int {
  kExitClean = 0,      // stopped by SIGTERM/SIGINT
  kExitConfig = 1,     // the config file is invalid
  kExitDataplane = 2,  // loading or attaching the BPF programs failed
  kExitStartup = 3,    // the control socket is taken (another agent) or unusable
  kExitIpsec = 4,      // [ipsec] on, but the kernel cannot do ESP or a credential is unreadable
  kExitUsage = 64,     // bad command line (EX_USAGE)
};

class StartError : public std::runtime_error {
 public:
  StartError(ExitCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// Command-line settings that win over the config file, at start and reload.
struct Overrides {
  std::optional<std::string> log_level;
  bool detach_on_exit = false;
  // --plaintext: [ipsec] (or nante-wan.conf's ipsec_secret) is set aside and
  // the overlay runs unencrypted, said in the log at every start and reload.
  bool plaintext = false;
};

class Daemon {
 public:
  Daemon(boost::asio::io_context& io, Config config, Overrides overrides);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Claims the control socket (first, so a second agent of the same instance
  // never touches the data plane), loads the programs reusing pinned maps,
  // reconciles and starts the periodic work. Throws StartError.
  void start();
  // Re-reads the config file and applies it. On a ConfigError every line is
  // logged, the running config stays and std::runtime_error is thrown with
  // those lines. Returns a summary of what changed.
  nlohmann::json reload();
  // Stops everything; programs stay attached unless agent.detach_on_exit.
  void stop();

 private:
  void poll_links(bool refresh_xdp);
  void ensure_tunnel();
  Reconciler::Outcome reconcile();
  size_t purge_orphans();
  void log_warnings();
  void age_fdb();
  void query_nexthops(std::optional<Ipv4> only = std::nullopt);
  void refresh_nexthops(std::optional<Ipv4> only = std::nullopt);
  bool query_new_nexthops();
  void resolve_neighbours();
  void on_event(const nwbpf_event& ev);
  void start_evpn();
  void follow_route_reflectors();
  void reload_evpn(const std::optional<EvpnPlan>& before);
  void preserve_evpn_state();
  void keep_until_synced(EvpnInstall state);
  void release_preserved(const char* why);
  void start_nhrp();
  void reload_nhrp(const std::optional<NhrpPlan>& before);
  void prepare_central();
  void start_central();
  void use_fetched_ports(Config& c) const;
  void on_portconfig_changed();
  Ipv4 kick_address() const;
  std::optional<Ipv4> nbma_address() const;  // configured, else the WAN device's; quiet
  nlohmann::json show_portconfig() const;
  void apply_acl();
  nlohmann::json show_acl(std::optional<uint16_t> vlan) const;
  std::optional<NhrpPlan> plan_nhrp_now() const;
  const NhrpInstall& nhrp_install() const;
  void announce_vteps();
  nlohmann::json show_nhrp(const std::optional<std::string>& table) const;
  void check_ipsec(const Config& config) const;
  void ensure_ipsec();
  void on_ipsec_ready();
  std::set<Ipv4> ipsec_peers() const;
  nlohmann::json show_ipsec() const;
  DesiredState desired_now();
  void start_config_server();
  void reload_config_server();
  nlohmann::json show_config_server() const;
  void schedule_reconcile();
  void drop_moved_away(const evpn::RemoteMac& mac);
  const EvpnInstall& evpn_install();
  void wait_signal();
  void start_periodic();
  void start_protocols();
  nlohmann::json reload_summary(const Reconciler::Outcome& outcome) const;
  void apply_overrides(Config& config) const;
  std::string port_name(int ifindex) const;
  ControlBackend backend();
  nlohmann::json show_fdb();
  // The running speaker; std::runtime_error without [bgp].
  const EvpnService& evpn() const;
  BgpIdentity bgp_identity() const;
  nlohmann::json show_stats();

  boost::asio::io_context& io_;
  Config config_;
  Overrides overrides_;
  std::unique_ptr<ControlServer> server_;
  std::unique_ptr<Datapath> datapath_;
  std::unique_ptr<Reconciler> reconciler_;
  std::unique_ptr<EventReader> events_;  // after datapath_: reads its ring buffer
  std::unique_ptr<EvpnService> evpn_;    // [bgp] configured: the EVPN speaker
  std::unique_ptr<EvpnService> retiring_evpn_;  // stopped by a reload, sending its Ceases
  boost::asio::steady_timer retire_evpn_;
  std::unique_ptr<CentralClient> central_;  // [fetch], role ce: portconfig, ebconfig
  std::optional<AclCompiled> acl_;  // the ebconfig rule set in force, for show acl
  std::optional<views::AclSource> acl_source_;
  std::unique_ptr<NhrpService> nhrp_;  // [nhrp] configured: NHC and/or NHS
  // The running speaker's route reflectors reached through NHRP, and the
  // NBMA address of each one's session (daemon/route_reflectors.h).
  std::vector<bgp::PeerConfig> nhrp_reflectors_;
  std::map<Ipv4, Ipv4> reflector_nbma_;
  std::unique_ptr<ConfigServerRole> config_server_;  // [config_server] configured
  // [ipsec] on and the node has an NBMA address: charon's controller, with
  // the address and config it was made for (a change makes a new one).
  std::unique_ptr<IkeService> ike_;
  Ipv4 ike_local_{};
  IpsecConfig ike_config_;
  // EVPN state found in the maps at start, kept until the route
  // reflectors' End-of-RIB (evpn_preserved.h); merged_ is what
  // evpn_install() returns while it lasts.
  EvpnInstall preserved_;
  EvpnInstall merged_;
  boost::asio::steady_timer preserved_expiry_;
  LinkSnapshot links_;
  NextHopSnapshot nexthop_facts_;  // the peers' routes and neighbours, by NBMA
  DesiredState desired_;
  std::set<std::string> warned_;                          // warnings already logged
  std::string link_error_;                                // last netlink failure, logged once
  std::map<NeighbourRequest, std::string> neigh_errors_;  // per next hop, logged once
  bool dirty_ = false;  // a reconcile step failed: retry on next poll
  bool reconcile_pending_ = false;
  bool stopping_ = false;  // stop() called: no more reconciles
  bool protocols_started_ = false;  // NHRP, BGP, fetch (encrypted: once charon is ready)
  RateLimiter<uint32_t> neigh_limiter_{std::chrono::seconds(1)};
  uint64_t aged_out_ = 0;
  uint64_t orphans_removed_ = 0;
  uint64_t neigh_requests_ = 0;
  Periodic link_poll_;
  Periodic xdp_poll_;
  Periodic ageing_;
  Periodic nexthop_refresh_;
  boost::asio::signal_set signals_;
};

}  // namespace nwbpf::daemon
