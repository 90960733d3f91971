// SPDX-License-Identifier: Apache-2.0
// The CE side of central configuration (issue 6) in nwbpfd: per [fetch]
// source (portconfig, ebconfig) a central::Fetcher and a
// central::KickListener, what each fetched body was worth, and the last
// good file of each, kept across restarts in the instance's state
// directory. Role ce only; the daemon turns the portconfig into its edge
// ports (portconfig_apply.h) and, later, the ebconfig into the ACL maps.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "central/ebconfig.h"
#include "central/fetcher.h"
#include "central/kick_listener.h"
#include "central/portconfig.h"
#include "config/config.h"
#include "daemon/nhrp_install.h"

namespace nwbpf::daemon {

// This node's own addresses: a CE may fetch from its own config-server
// role, and NHRP has no entry for ourselves.
struct OwnAddresses {
  Ipv4 overlay;
  Ipv4 nbma;  // 0.0.0.0 while the WAN device has none: connects locally
};

// Where to connect for a config server the URL names by `host`. With
// `overlay_range` ([nhrp]) and `host` inside it, the NBMA address NHRP has
// for it (`peers`: an NHS's comes with its registration reply, others with
// a resolution; our own overlay address is our NBMA address), or why there
// is none yet; otherwise `host` itself.
central::ConnectAddress connect_address(Ipv4 host, const std::optional<bgp::Prefix4>& overlay_range,
                                        const std::map<Ipv4, NhrpBinding>& peers,
                                        const OwnAddresses& own);

// The instance's state directory: /var/lib/nwbpf/<instance>. The last good
// file of each source is kept there as <source>.json.
std::string state_dir(const Config& config);

// What became of the last file of one source (fetched, or the saved copy).
struct FileStatus {
  std::string origin;                  // "server" or "saved copy"; "" before any
  std::string result;                  // "applied", "rejected" or "" before any
  std::vector<std::string> problems;   // of a rejected file, each "<path>: <message>"
  std::vector<std::string> warnings;   // of the last applied file
  std::optional<std::chrono::system_clock::time_point> applied_at;  // the good one in force
};

// One source as the views show it.
struct SourceView {
  central::Source source;
  std::string url;
  const central::FetchStatus* fetch = nullptr;  // null until fetching started
  std::optional<Ipv4> kick_address;
  uint16_t kick_port = 0;
  std::string kick_error;                       // "" when listening
  const FileStatus* file = nullptr;
};

class CentralClient {
 public:
  struct Callbacks {
    central::ConnectTo connect_to;          // the daemon's connect_address()
    std::function<void()> portconfig_changed;  // portconfig() changed
    std::function<void()> ebconfig_changed;    // ebconfig() changed
    // The problems that refuse a parsed ebconfig (its rule set does not
    // fit the data plane: dataplane/acl_compile.h); none: accepted.
    std::function<std::vector<std::string>(const central::Ebconfig&)> check_ebconfig;
  };

  // `validate`: the file's edge ports checked against the running config;
  // the problems that refuse it (portconfig_apply.h).
  using ValidatePorts = std::function<std::vector<std::string>(const central::PortConfig&,
                                                               const std::string& url)>;

  CentralClient(boost::asio::io_context& io, std::string state_dir, ValidatePorts validate,
                Callbacks callbacks);
  ~CentralClient();
  CentralClient(const CentralClient&) = delete;
  CentralClient& operator=(const CentralClient&) = delete;

  // The saved copies of the configured sources, as last good files, before
  // the first fetch (the config server may be down while the agent
  // restarts). Calls no callback.
  void load_saved(const Config& config);
  // Starts each configured source, rebuilds one whose settings changed
  // (its [fetch] table, timers, the node's overlay address or
  // `kick_address`, the kick listener's default: the node's NBMA address)
  // and keeps the others running; a source no longer configured stops and
  // its file is dropped (callback called). A kick port that cannot be
  // bound is logged, shown and retried every kKickRetry; fetching goes on
  // at its interval meanwhile.
  void configure(const Config& config, Ipv4 kick_address);
  void stop();
  // NHRP learned addresses: a source waiting for its server's NBMA address
  // fetches now rather than at failed_interval.
  void addresses_changed();

  const central::PortConfig* portconfig() const;  // null: none yet
  const std::string& portconfig_url() const;
  const central::Ebconfig* ebconfig() const;      // null: none yet
  const std::string& ebconfig_url() const;
  std::vector<SourceView> sources() const;        // configured ones, portconfig first

  static constexpr std::chrono::seconds kKickRetry{5};

 private:
  struct Feed;
  const std::string& url_of(central::Source kind) const;
  bool on_body(Feed& s, const std::string& body, const std::string& origin);
  void notify(central::Source kind) const;
  bool accept(Feed& s, const std::string& body, FileStatus& status);
  void save(const Feed& s, const std::string& body) const;
  void listen_for_kicks(Feed& s);
  void drop(Feed& s);

  boost::asio::io_context& io_;
  std::string state_dir_;
  ValidatePorts validate_;
  Callbacks callbacks_;
  std::map<central::Source, std::unique_ptr<Feed>> sources_;
  // Expires with this client: a timer handler already queued when the
  // client goes away sees it and does nothing.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace nwbpf::daemon
