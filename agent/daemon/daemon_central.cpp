// SPDX-License-Identifier: Apache-2.0
// Daemon: the CE side of central configuration ([fetch], role ce). The
// fetched portconfig is the node's edge ports: it takes the place of the
// config file's [[port]] tables (which must then be empty), so links,
// the desired state, EVPN's VNIs and `show ports` see it as they see
// [[port]]. A new file changes config_.ports, looks the devices up and
// reconciles: only the entries that differ are written.
#include <algorithm>
#include <boost/asio/post.hpp>

#include "common/log.h"
#include "daemon/central_views.h"
#include "daemon/daemon.h"
#include "daemon/evpn_plan.h"
#include "daemon/links.h"
#include "daemon/portconfig_apply.h"
#include "dataplane/acl_compile.h"

namespace nwbpf::daemon {

namespace {

bool fetches_ports(const Config& c) {
  return c.fetch && c.fetch->portconfig &&
         std::ranges::find(c.agent.roles, Role::ce) != c.agent.roles.end();
}

}  // namespace

// Before the first look-up of the devices: the saved copies, so that a
// restart while the config server is down keeps the ports.
void Daemon::prepare_central() {
  CentralClient::Callbacks cb;
  cb.connect_to = [this](Ipv4 host) {
    std::optional<bgp::Prefix4> overlay;
    if (config_.nhrp) overlay = config_.nhrp->overlay_range;
    auto address = connect_address(host, overlay, nhrp_install().peers,
                                   {config_.node.overlay_address, nbma_address().value_or(Ipv4{})});
    // Not an NHS (whose address comes with its reply): resolve it. Posted:
    // NHRP's `changed` would otherwise kick the fetch in the middle of it.
    if (!address.address && nhrp_)
      boost::asio::post(io_, [this, host] {
        if (nhrp_) nhrp_->peer_miss(host);
      });
    return address;
  };
  // Posted: a file may arrive inside reload() (configure() dropping it).
  cb.portconfig_changed = [this] {
    boost::asio::post(io_, [this] { on_portconfig_changed(); });
  };
  cb.ebconfig_changed = [this] {
    boost::asio::post(io_, [this] {
      if (!stopping_) apply_acl();
    });
  };
  cb.check_ebconfig = [](const central::Ebconfig& file) {
    auto compiled = compile_acl(file);
    return compiled ? std::vector<std::string>{} : compiled.error().problems;
  };
  central_ = std::make_unique<CentralClient>(
      io_, state_dir(config_),
      [this](const central::PortConfig& file, const std::string& url) {
        return edge_ports(file, url, config_).problems;
      },
      std::move(cb));
  central_->load_saved(config_);
  use_fetched_ports(config_);
}

// After NHRP: fetching and kick listeners.
void Daemon::start_central() {
  if (central_) central_->configure(config_, kick_address());
}

// The fetched ports in place of `c.ports` (empty: the config checked it).
void Daemon::use_fetched_ports(Config& c) const {
  if (!central_ || !fetches_ports(c)) return;
  c.ports.clear();
  const central::PortConfig* file = central_->portconfig();
  if (!file) return;
  // Checked when it came; a reload may have made a port the WAN since.
  FetchedPorts fetched = edge_ports(*file, central_->portconfig_url(), c);
  for (const auto& p : fetched.problems)
    log::get("fetch")->error("portconfig: {}: {}; that port is left out", central_->portconfig_url(), p);
  c.ports = std::move(fetched.ports);
}

void Daemon::on_portconfig_changed() {
  if (stopping_ || !reconciler_) return;
  std::optional<EvpnPlan> evpn_before;
  if (config_.bgp) evpn_before = plan_evpn(config_);
  use_fetched_ports(config_);
  LinkSnapshot before = links_;
  try {
    links_ = take_snapshot(config_, links_, true);  // the new ports' devices
  } catch (const std::exception& e) {
    log::get("links")->error("{}", e.what());  // the link poll retries
  }
  for (const auto& line : link_changes(before, links_)) log::get("links")->info("{}", line);
  reconcile();
  try {
    reload_evpn(evpn_before);  // the VNIs follow the ports' VLANs
  } catch (const std::exception& e) {
    log::get("evpn")->error("EVPN speaker not restarted: {}", e.what());
  }
}

// The kick listener's default address: the node's NBMA address (there is
// no overlay device to listen on).
Ipv4 Daemon::kick_address() const {
  if (auto nbma = nbma_address()) return *nbma;
  log::get("fetch")->warn("WAN device {} has no IPv4 address yet: kick listeners listen on every "
                          "address",
                          config_.node.wan_interface);
  return Ipv4{};
}

std::optional<Ipv4> Daemon::nbma_address() const {
  if (config_.node.nbma_address) return *config_.node.nbma_address;
  if (auto wan = links_.find(config_.node.wan_interface); wan != links_.end() && wan->second.ipv4)
    return *wan->second.ipv4;
  return std::nullopt;
}

nlohmann::json Daemon::show_portconfig() const {
  if (!central_ || central_->sources().empty())
    throw std::runtime_error("nothing is fetched (no [fetch] with role ce in " + config_.path + ")");
  return portconfig_json(*central_, desired_.port_views, std::chrono::system_clock::now());
}

}  // namespace nwbpf::daemon
