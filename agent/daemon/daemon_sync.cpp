// SPDX-License-Identifier: Apache-2.0
// Daemon: keeping the data plane in step with config and links (polling,
// reconcile, ageing, next hops, events).
#include <algorithm>
#include <boost/asio/post.hpp>

#include "common/log.h"
#include "daemon/daemon.h"
#include "daemon/evpn_plan.h"
#include "daemon/fdb_ageing.h"
#include "daemon/links.h"
#include "daemon/nexthops.h"
#include "daemon/route_reflectors.h"
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
  for (const auto& line : link_changes(before, links_)) log->info("{}", line);
  if (links_ != before || dirty_) {
    query_nexthops();  // the WAN may have come, gone or been replaced
    reconcile();
    ensure_ipsec();    // the NBMA address may have come or changed
  }
}

// kernel-tunnel mode: the collect_md VXLAN device must exist with the WAN
// MTU minus the VXLAN overhead (and ESP's, when encrypted); it waits for the
// WAN (whose MTU it needs).
void Daemon::ensure_tunnel() {
  if (config_.dataplane.mode != DataplaneMode::kernel_tunnel) return;
  const uint32_t overhead =
      NWBPF_VXLAN_OVERHEAD + (config_.ipsec.mode != IpsecConfig::Mode::off ? kEspOverhead : 0);
  auto wan = links_.find(config_.node.wan_interface);
  if (wan == links_.end() || wan->second.mtu <= overhead) return;
  const uint32_t mtu = wan->second.mtu - overhead;
  const std::string& name = config_.dataplane.tunnel_device;
  auto tun = links_.find(name);
  if (tun != links_.end() && tun->second.mtu == mtu) return;
  int ifindex = netlink::ensure_vxlan_collect_md(name, mtu);
  log::get("links")->info("tunnel device {} ready (ifindex {}, MTU {})", name, ifindex, mtu);
  links_ = take_snapshot(config_, links_, false);
}

Reconciler::Outcome Daemon::reconcile() {
  auto log = log::get("reconcile");
  desired_ = desired_now();
  // A peer EVPN or NHRP just named (a VTEP, a shortcut, the relay) gets its
  // next hop now rather than at the next refresh: without it BPF skips the
  // BUM copies to it (the first ARP request through a new relay was lost).
  const bool new_nexthops = query_new_nexthops();
  if (new_nexthops)
    desired_ = desired_now();
  log_warnings();
  if (ike_) ike_->set_wanted(ipsec_peers());
  auto out = reconciler_->apply(desired_, links_);
  if (new_nexthops) resolve_neighbours();
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
      if (!entry || !is_expired(*entry, monotonic_ns(), ageing) || !learned.erase(key)) continue;
      ++n;
      if (evpn_ && entry->kind == NWBPF_FDB_LOCAL) {
        evpn_->mac_removed(key.vni, mac_of(key.mac));
      }
    }
  } catch (const std::exception& e) {
    log::get("ageing")->error("{}", e.what());
  }
  aged_out_ += n;
  if (n) log::get("ageing")->debug("{} learned MACs aged out ({} in total)", n, aged_out_);
}

// The kernel's route and neighbour for the peers' NBMA addresses (all, or
// the one a NEIGH_MISS event named). None in kernel-tunnel mode, where the
// kernel resolves as it sends, or while the WAN device is missing.
void Daemon::query_nexthops(std::optional<Ipv4> only) {
  auto wan = links_.find(config_.node.wan_interface);
  if (config_.dataplane.mode == DataplaneMode::kernel_tunnel || wan == links_.end()) {
    nexthop_facts_.clear();
    return;
  }
  // The config's peers, and the EVPN VTEPs the last desired state added.
  std::vector<Ipv4> nbmas = peer_nbmas(config_);
  for (Ipv4 nbma : peer_nbmas(desired_))
    if (std::find(nbmas.begin(), nbmas.end(), nbma) == nbmas.end()) nbmas.push_back(nbma);
  if (!only) {
    nexthop_facts_ = daemon::query_nexthops(nbmas, wan->second.ifindex);
    return;
  }
  if (std::find(nbmas.begin(), nbmas.end(), *only) == nbmas.end()) return;  // no peer's (now)
  nexthop_facts_[*only] = daemon::query_nexthops({*only}, wan->second.ifindex).at(*only);
}

// The next hops of the desired state's peers that have no facts yet; true
// if there were any.
bool Daemon::query_new_nexthops() {
  auto wan = links_.find(config_.node.wan_interface);
  if (config_.dataplane.mode == DataplaneMode::kernel_tunnel || wan == links_.end()) return false;
  std::vector<Ipv4> fresh;
  for (Ipv4 nbma : peer_nbmas(desired_))
    if (!nexthop_facts_.contains(nbma)) fresh.push_back(nbma);
  if (fresh.empty()) return false;
  for (auto& [nbma, facts] : daemon::query_nexthops(fresh, wan->second.ifindex))
    nexthop_facts_[nbma] = std::move(facts);
  return true;
}

// Every second, and at once for the address of a NEIGH_MISS event: brings
// the nexthops map in line with the kernel (a neighbour that appeared, went
// or changed its MAC; a route that changed) and asks the kernel to resolve
// what is missing. The rest of the data plane is left alone.
void Daemon::refresh_nexthops(std::optional<Ipv4> only) {
  auto log = log::get("reconcile");
  query_nexthops(only);
  desired_ = desired_now();
  log_warnings();
  try {
    SyncCount c = reconciler_->apply_nexthops(desired_);
    if (c.written || c.deleted)
      log->info("map {}: {} written, {} deleted", NWBPF_MAP_NEXTHOPS, c.written, c.deleted);
  } catch (const std::exception& e) {
    log->error("writing map {}: {}", NWBPF_MAP_NEXTHOPS, e.what());
    dirty_ = true;  // the next link poll reconciles everything
  }
  resolve_neighbours();
}

// Next hops without a usable neighbour, or with a STALE one that nothing
// else would re-confirm: the kernel resolves them as if a packet waited.
void Daemon::resolve_neighbours() {
  for (const NeighbourRequest& req : desired_.resolve) {
    try {
      netlink::resolve_neighbour(req.ifindex, req.addr);
      ++neigh_requests_;
      neigh_errors_.erase(req);
    } catch (const std::exception& e) {
      std::string& last = neigh_errors_[req];
      if (last != e.what())
        log::get("events")->warn("resolving next hop {}: {}", req.addr.str(), e.what());
      last = e.what();
    }
  }
}

void Daemon::on_event(const nwbpf_event& ev) {
  auto log = log::get("events");
  log->debug("{}", describe_event(ev, [this](int ifindex) { return port_name(ifindex); }));
  const bool mac_event = ev.type == NWBPF_EV_MAC_NEW || ev.type == NWBPF_EV_MAC_MOVED;
  if (mac_event && evpn_) {
    // A MAC now behind an edge port is ours to advertise; one that moved
    // behind a VTEP (learned from VXLAN) is withdrawn.
    if (ev.kind == NWBPF_FDB_LOCAL)
      evpn_->mac_learned(ev.vni, mac_of(ev.mac));
    else
      evpn_->mac_removed(ev.vni, mac_of(ev.mac));
  }
  if (ev.type == NWBPF_EV_PEER_MISS && nhrp_) nhrp_->peer_miss(Ipv4{ev.vtep});
  if (ev.type == NWBPF_EV_RELAYED && nhrp_)
    nhrp_->relayed(Ipv4{ev.vtep}, Ipv4{ev.nbma}, Ipv4{ev.target}, ev.vni);
  if (ev.type != NWBPF_EV_NEIGH_MISS) return;
  if (!neigh_limiter_.allow(ev.nbma, RateLimiter<uint32_t>::Clock::now())) return;
  refresh_nexthops(Ipv4{ev.nbma});
}

const EvpnInstall& Daemon::evpn_install() {
  static const EvpnInstall none;
  const EvpnInstall& live = evpn_ ? evpn_->install() : none;
  if (!preserved_.empty() && evpn_ && evpn_synced(evpn_->sessions(), evpn_->speaker().peers()))
    release_preserved("every route reflector has sent its End-of-RIB");
  if (preserved_.empty()) return live;
  merged_ = merge_installs(preserved_, live);
  return merged_;
}

// Before the first reconcile, which would otherwise delete the EVPN entries
// the previous nwbpfd installed (the speaker has nothing yet).
void Daemon::preserve_evpn_state() {
  if (!config_.bgp || !config_.bgp->graceful_restart) return;
  auto& maps = datapath_->maps();
  keep_until_synced(preserved_evpn_state(maps.fdb.entries(), maps.flood.entries(), config_));
}

// Also for a speaker restarted by a reload: its imports stay installed until
// the new sessions have brought the tables back.
void Daemon::keep_until_synced(EvpnInstall state) {
  preserved_ = merge_installs(preserved_, state);
  if (preserved_.empty()) return;
  size_t vteps = 0;
  for (const auto& [vni, members] : preserved_.flood) vteps += members.size();
  log::get("evpn")->info(
      "graceful restart: keeping {} EVPN MACs and {} flood-list VTEPs from before until the "
      "route reflectors' End-of-RIB (at most {} s)",
      preserved_.macs.size(), vteps, config_.bgp->restart_time_s);
  preserved_expiry_.expires_after(std::chrono::seconds(config_.bgp->restart_time_s));
  preserved_expiry_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    release_preserved("the restart time ran out before every End-of-RIB");
    schedule_reconcile();
  });
}

// Forgets the preserved state; the caller reconciles.
void Daemon::release_preserved(const char* why) {
  if (preserved_.empty()) return;
  log::get("evpn")->info("graceful restart: EVPN state from before released: {}", why);
  preserved_ = {};
  merged_ = {};
  preserved_expiry_.cancel();
}

// One reconcile on the next turn of the loop, however many ask in this one.
// The speaker's bursts are already gathered by EvpnService
// (evpn_service_hold.h), so there is nothing more to wait for.
void Daemon::schedule_reconcile() {
  if (reconcile_pending_) return;
  reconcile_pending_ = true;
  boost::asio::post(io_, [this] {
    reconcile_pending_ = false;
    // Stopping, the speaker's sessions go down and it withdraws what it
    // imported; the data plane must keep forwarding on it (the maps stay
    // pinned, and peers keep our routes for the restart).
    if (!stopping_) reconcile();
  });
}

// A remote route took over a MAC we had learned locally (RFC 7432 §15):
// the learned entry goes, so the imported one is what BPF finds.
void Daemon::drop_moved_away(const evpn::RemoteMac& m) {
  try {
    datapath_->maps().fdb_learned.erase(fdb_key_of(m.vni, m.mac));
  } catch (const std::exception& e) {
    log::get("evpn")->error("removing learned MAC {} of VNI {}: {}", m.mac.str(), m.vni, e.what());
  }
}

void Daemon::start_evpn() {
  if (!config_.bgp) return;
  EvpnService::Callbacks cb;
  cb.changed = [this] {
    announce_vteps();
    schedule_reconcile();
  };
  cb.moved_away = [this](const evpn::RemoteMac& m) { drop_moved_away(m); };
  // A route reflector is an NHS too: back up, it may have restarted with an
  // empty registration cache; down, it is no relay.
  cb.peer_established = [this](Ipv4 peer) {
    if (nhrp_) nhrp_->nhs_up(peer);
  };
  cb.peer_down = [this](Ipv4 peer) {
    if (nhrp_) nhrp_->nhs_down(peer);
  };
  EvpnPlan plan = plan_evpn(config_);
  nhrp_reflectors_ = plan.nhrp_reflectors;
  reflector_nbma_.clear();
  evpn_ = std::make_unique<EvpnService>(io_, plan, std::move(cb));
  // MACs learned before this speaker existed (by the nwbpfd before a
  // restart, or the speaker before a reload) stay in fdb_learned, and BPF
  // reports a MAC only when it is new or moves: hand them over here, or they
  // would not be advertised until they age out.
  size_t local = 0;
  for (const auto& [key, entry] : datapath_->maps().fdb_learned.entries()) {
    if (entry.kind != NWBPF_FDB_LOCAL) continue;
    evpn_->mac_learned(key.vni, mac_of(key.mac));
    ++local;
  }
  evpn_->start();
  log::get("evpn")->info("EVPN speaker started: AS {}, router id {}, {} local MACs to advertise",
                         config_.bgp->as, config_.node.overlay_address.str(), local);
  follow_route_reflectors();
}

// Opens, moves and asks NHRP for the sessions of route reflectors named by
// overlay address; called when the speaker starts and when NHRP changes.
void Daemon::follow_route_reflectors() {
  if (!evpn_ || nhrp_reflectors_.empty()) return;
  auto log = log::get("evpn");
  const ReflectorMoves moves =
      follow_reflectors(nhrp_reflectors_, nhrp_install().peers, reflector_nbma_);
  for (Ipv4 nbma : moves.remove) {
    evpn_->remove_peer(nbma, "route reflector moved");
    std::erase_if(reflector_nbma_, [&](const auto& kv) { return kv.second == nbma; });
  }
  for (const auto& [overlay, nbma] : moves.add) {
    for (bgp::PeerConfig peer : nhrp_reflectors_) {
      if (peer.address != overlay) continue;
      peer.address = nbma;
      try {
        evpn_->add_peer(peer);
        reflector_nbma_[overlay] = nbma;
        log->info("route reflector {}: NHRP has it at {}; session opened", overlay.str(),
                  nbma.str());
      } catch (const std::exception& e) {
        // Another session has that address already (a route reflector
        // also written by its NBMA address): logged once, not retried.
        if (warned_.insert("rr " + overlay.str() + " " + e.what()).second)
          log->error("route reflector {} at {}: {}", overlay.str(), nbma.str(), e.what());
      }
    }
  }
  // Not from inside NHRP's own callback: resolving may change what it has.
  if (nhrp_ && !moves.unresolved.empty())
    boost::asio::post(io_, [this, targets = moves.unresolved] {
      if (nhrp_ && !stopping_)
        for (Ipv4 rr : targets) nhrp_->peer_miss(rr);
    });
}

// A reload that changes what the speaker runs (the plan: [bgp], the
// overlay/NBMA addresses, the route reflectors' [[peer]] entries, the
// ports' VLANs) restarts it: every session is reset with a Cease, as FRR
// does for most neighbor changes, and comes back with the new settings.
// The imported routes go with the old speaker and return with the peers'
// tables; local MACs are handed to the new one.
void Daemon::reload_evpn(const std::optional<EvpnPlan>& before) {
  std::optional<EvpnPlan> after;
  if (config_.bgp) after = plan_evpn(config_);
  if (before == after) return;
  auto log = log::get("evpn");
  if (evpn_) {
    log->info("BGP configuration changed: restarting the EVPN speaker");
    if (config_.bgp && config_.bgp->graceful_restart) keep_until_synced(evpn_->install());
    evpn_->stop("configuration changed");
    // Keep it until its NOTIFICATIONs are out (its connections hold weak
    // references only, so dropping it early is safe, just less polite).
    retiring_evpn_ = std::move(evpn_);
    retire_evpn_.expires_after(std::chrono::seconds(2));
    retire_evpn_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) retiring_evpn_.reset();
    });
  }
  start_evpn();
  schedule_reconcile();
}

std::string Daemon::port_name(int ifindex) const {
  for (const auto& [name, link] : links_)
    if (link.ifindex == ifindex) return name;
  return "";
}

}  // namespace nwbpf::daemon
