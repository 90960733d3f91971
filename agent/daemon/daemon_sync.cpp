// SPDX-License-Identifier: Apache-2.0
// Daemon: keeping the data plane in step with config and links (polling,
// reconcile, ageing, neighbours, events).
#include "common/log.h"
#include "daemon/daemon.h"
#include "daemon/fdb_ageing.h"
#include "daemon/ipv4_sysctl.h"
#include "daemon/links.h"
#include "dataplane/netlink.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {

void Daemon::poll_links(bool refresh_xdp) {
  auto log = log::get("links");
  LinkSnapshot before = links_;
  try {
    links_ = take_snapshot(config_, links_, refresh_xdp);
    ensure_tunnel();
    link_error_.clear();
  } catch (const std::exception& e) {
    if (link_error_ != e.what()) log->error("{}", e.what());
    link_error_ = e.what();
  }
  enable_wan_forwarding();
  for (const auto& line : link_changes(before, links_)) log->info("{}", line);
  if (links_ != before || dirty_) reconcile();
}

// kernel-tunnel mode: the collect_md VXLAN device must exist with the WAN
// MTU minus the VXLAN overhead; it waits for the WAN (whose MTU it needs).
void Daemon::ensure_tunnel() {
  if (config_.dataplane.mode != DataplaneMode::kernel_tunnel) return;
  auto wan = links_.find(config_.node.wan_interface);
  if (wan == links_.end() || wan->second.mtu <= NWBPF_VXLAN_OVERHEAD) return;
  const uint32_t mtu = wan->second.mtu - NWBPF_VXLAN_OVERHEAD;
  const std::string& name = config_.dataplane.tunnel_device;
  auto tun = links_.find(name);
  if (tun != links_.end() && tun->second.mtu == mtu) return;
  int ifindex = netlink::ensure_vxlan_collect_md(name, mtu);
  log::get("links")->info("tunnel device {} ready (ifindex {}, MTU {})", name, ifindex, mtu);
  links_ = take_snapshot(config_, links_, false);
}

// bpf_fib_lookup, which encapsulation uses in xdp and tc mode, answers
// FWD_DISABLED unless forwarding is on for the WAN device (bpf/README.md).
// Done once per WAN device (a new ifindex is a new device); a failure, e.g.
// a read-only /proc/sys, would fail again, so it is logged once, not retried.
void Daemon::enable_wan_forwarding() {
  if (config_.dataplane.mode == DataplaneMode::kernel_tunnel) return;
  auto wan = links_.find(config_.node.wan_interface);
  if (wan == links_.end() || wan->second.ifindex == forwarding_ifindex_) return;
  forwarding_ifindex_ = wan->second.ifindex;
  const std::string& name = config_.node.wan_interface;
  try {
    if (set_ipv4_conf(name, "forwarding", "1"))
      log::get("links")->info("net.ipv4.conf.{}.forwarding set to 1 (BPF's route lookups need it)",
                              name);
  } catch (const std::exception& e) {
    log::get("links")->error("{}: encapsulation will fail (drop counter no_route)", e.what());
  }
}

Reconciler::Outcome Daemon::reconcile() {
  auto log = log::get("reconcile");
  desired_ = compute_desired(config_, links_);
  log_warnings();
  auto out = reconciler_->apply(desired_, links_);
  try {
    orphans_removed_ += purge_orphans();
  } catch (const std::exception& e) {
    out.errors.push_back(std::string("removing orphaned learned MACs: ") + e.what());
  }
  for (const auto& [map, count] : out.maps)
    log->info("map {}: {} written, {} deleted", map, count.written, count.deleted);
  if (out.attached || out.detached)
    log->info("programs: {} attached, {} hooks cleared", out.attached, out.detached);
  for (const auto& e : out.errors) log->error("{}", e);
  dirty_ = !out.errors.empty();
  return out;
}

// Learned MACs behind a port or VTEP that is gone would only be dropped;
// removing them lets the next frame flood and relearn.
size_t Daemon::purge_orphans() {
  auto& learned = datapath_->maps().fdb_learned;
  size_t n = 0;
  for (const auto& key : select_orphaned(learned.entries(), desired_))
    if (learned.erase(key)) ++n;
  if (n) log::get("reconcile")->info("removed {} learned MACs behind removed ports or peers", n);
  return n;
}

void Daemon::log_warnings() {
  std::set<std::string> now(desired_.warnings.begin(), desired_.warnings.end());
  for (const auto& w : desired_.warnings)
    if (!warned_.contains(w)) log::get("reconcile")->warn("{}", w);
  warned_ = std::move(now);
}

void Daemon::age_fdb() {
  const std::chrono::seconds ageing(config_.dataplane.mac_ageing_s);
  auto& learned = datapath_->maps().fdb_learned;
  size_t n = 0;
  try {
    for (const auto& key : select_expired(learned.entries(), monotonic_ns(), ageing)) {
      // BPF may have refreshed the entry since the scan read it.
      auto entry = learned.lookup(key);
      if (entry && is_expired(*entry, monotonic_ns(), ageing) && learned.erase(key)) ++n;
    }
  } catch (const std::exception& e) {
    log::get("ageing")->error("{}", e.what());
  }
  aged_out_ += n;
  if (n) log::get("ageing")->debug("{} learned MACs aged out ({} in total)", n, aged_out_);
}

// Asks the kernel to resolve every peer's next hop, so BPF's fib lookups
// find a neighbour before the first frame needs one.
void Daemon::resolve_peers() {
  for (const auto& peer : config_.peers) {
    std::string error;
    try {
      netlink::resolve_neighbour(peer.nbma);
      ++neigh_requests_;
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::string& last = neigh_errors_[peer.nbma.be];
    if (!error.empty() && error != last)
      log::get("events")->warn("resolving next hop of peer {} ({}): {}", peer.overlay.str(),
                               peer.nbma.str(), error);
    last = error;
  }
}

void Daemon::on_event(const nwbpf_event& ev) {
  auto log = log::get("events");
  log->debug("{}", describe_event(ev, [this](int ifindex) { return port_name(ifindex); }));
  if (ev.type != NWBPF_EV_NEIGH_MISS) return;
  if (!neigh_limiter_.allow(ev.nbma, RateLimiter<uint32_t>::Clock::now())) return;
  try {
    netlink::resolve_neighbour(Ipv4{ev.nbma});
    ++neigh_requests_;
  } catch (const std::exception& e) {
    log->warn("resolving neighbour for {}: {}", Ipv4{ev.nbma}.str(), e.what());
  }
}

std::string Daemon::port_name(int ifindex) const {
  for (const auto& [name, link] : links_)
    if (link.ifindex == ifindex) return name;
  return "";
}

}  // namespace nwbpf::daemon
