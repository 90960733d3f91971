// SPDX-License-Identifier: Apache-2.0
#include "daemon/desired_state.h"

#include <algorithm>
#include <set>

#include "bgp/session_manager_config.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {

namespace {

void set_bit(__u64* words, uint16_t vlan) { words[vlan / 64] |= 1ULL << (vlan % 64); }

nwbpf_mode to_bpf_mode(DataplaneMode mode) {
  switch (mode) {
    case DataplaneMode::xdp:
      return NWBPF_MODE_XDP;
    case DataplaneMode::tc:
      return NWBPF_MODE_TC;
    case DataplaneMode::kernel_tunnel:
      return NWBPF_MODE_KERNEL_TUNNEL;
  }
  return NWBPF_MODE_TC;
}

PortView port_view(const std::string& name, nwbpf_port_role role, const LinkState* link) {
  PortView view;
  view.name = name;
  view.role = role;
  view.ifindex = link ? link->ifindex : 0;
  view.state = !link ? "missing" : link->up ? "up" : "down";
  return view;
}

// Whether frames forwarded to this device may take the XDP redirect, and why.
// Only xdp mode has XDP programs; there the config's `path` overrides what
// the kernel reports (e.g. a NIC whose driver under-reports its features).
std::pair<bool, std::string> xdp_path(DataplaneMode mode, PortPath path, const LinkState* link) {
  if (mode == DataplaneMode::tc) return {false, "mode tc"};
  if (mode == DataplaneMode::kernel_tunnel) return {false, "mode kernel-tunnel"};
  if (!link) return {false, "device missing"};
  if (path == PortPath::tc) return {false, "path = \"tc\" in the config"};
  if (path == PortPath::xdp)
    return {true, "path = \"xdp\" in the config (kernel: " + link->xdp_reason + ")"};
  return {link->xdp_tx, link->xdp_reason};
}

class Builder {
 public:
  Builder(const Config& config, const LinkSnapshot& links, const NextHopSnapshot& nexthops,
          const EvpnInstall& evpn, const NhrpInstall& nhrp, const std::set<Ipv4>& sa_up)
      : c_(config), links_(links), nexthops_(nexthops), evpn_(evpn), nhrp_(nhrp), sa_up_(sa_up) {}

  DesiredState build() {
    add_edge_ports();
    add_wan();
    if (c_.dataplane.mode == DataplaneMode::kernel_tunnel) add_tunnel();
    add_settings();
    add_vlan_ports();
    add_peers();
    add_nexthops();
    add_flood();
    add_static_fdb();
    add_evpn_fdb();
    return std::move(d_);
  }

 private:
  const LinkState* link(const std::string& name) const {
    auto it = links_.find(name);
    return it == links_.end() ? nullptr : &it->second;
  }

  void warn(std::string text) { d_.warnings.push_back(std::move(text)); }

  // XDP runs first and hands everything it cannot finish to TC on the same
  // device, so XDP is never attached without TC. The WAN carries no program
  // in kernel-tunnel mode: VXLAN there is the kernel device's (and XFRM's).
  void add_hooks(int ifindex, nwbpf_port_role role) {
    const auto mode = c_.dataplane.mode;
    if (role == NWBPF_PORT_WAN && mode == DataplaneMode::kernel_tunnel) return;
    d_.hooks[{ifindex, Hook::tc_ingress}] = role;
    if (mode == DataplaneMode::xdp && role != NWBPF_PORT_TUNNEL)
      d_.hooks[{ifindex, Hook::xdp}] = role;
  }

  // The entry names its own ifindex (maps/port.h: ports share slots).
  void put_port(const LinkState& l, nwbpf_port port) {
    port.ifindex = static_cast<__u32>(l.ifindex);
    d_.ports[port.ifindex] = port;
  }

  void add_edge_ports() {
    for (const auto& pc : c_.ports) {
      const LinkState* l = link(pc.name);
      PortView view = port_view(pc.name, NWBPF_PORT_EDGE, l);
      view.tagged = pc.tagged;
      view.vlans = pc.vlans;
      nwbpf_port port{};
      port.role = NWBPF_PORT_EDGE;
      for (uint16_t vlan : pc.vlans) {  // 1..4094: the config checked
        set_bit(port.member, vlan);
        // Bridge semantics: an untagged port sends every VLAN untagged and
        // puts untagged arrivals on the last VLAN listed.
        if (!pc.tagged) {
          set_bit(port.untagged, vlan);
          port.pvid = vlan;
        }
        if (l) vlan_members_[vlan].push_back(static_cast<__u32>(l->ifindex));
      }
      view.pvid = port.pvid;
      std::tie(view.xdp_path, view.path_reason) = xdp_path(c_.dataplane.mode, pc.path, l);
      if (view.xdp_path) port.flags |= NWBPF_PORT_XDP_TX;
      d_.port_views.push_back(std::move(view));
      if (!l) {
        warn(pc.source + ": port " + pc.name + " does not exist; waiting for it");
        continue;
      }
      put_port(*l, port);
      add_hooks(l->ifindex, NWBPF_PORT_EDGE);
    }
  }

  void add_wan() {
    const std::string& name = c_.node.wan_interface;
    const LinkState* l = link(name);
    PortView view = port_view(name, NWBPF_PORT_WAN, l);
    std::tie(view.xdp_path, view.path_reason) = xdp_path(c_.dataplane.mode, PortPath::automatic, l);
    d_.port_views.push_back(std::move(view));
    if (!l) {
      warn("WAN device " + name + " does not exist; waiting for it");
      return;
    }
    nwbpf_port port{};
    port.role = NWBPF_PORT_WAN;
    if (d_.port_views.back().xdp_path) port.flags |= NWBPF_PORT_XDP_TX;
    put_port(*l, port);
    add_hooks(l->ifindex, NWBPF_PORT_WAN);
    for (const auto& pc : c_.ports) {
      const LinkState* edge = link(pc.name);
      if (edge && edge->mtu + NWBPF_VXLAN_OVERHEAD > l->mtu)
        warn("port " + pc.name + " MTU " + std::to_string(edge->mtu) + " + " +
             std::to_string(NWBPF_VXLAN_OVERHEAD) + " (VXLAN) exceeds WAN " + name + " MTU " +
             std::to_string(l->mtu) + ": frames longer than " +
             std::to_string(l->mtu - std::min<uint32_t>(l->mtu, NWBPF_VXLAN_OVERHEAD)) +
             " bytes will be dropped (drop counter mtu_exceeded)");
    }
  }

  void add_tunnel() {
    const std::string& name = c_.dataplane.tunnel_device;
    const LinkState* l = link(name);
    PortView view = port_view(name, NWBPF_PORT_TUNNEL, l);
    view.path_reason = "mode kernel-tunnel";
    d_.port_views.push_back(std::move(view));
    if (!l) {
      warn("tunnel device " + name + " does not exist yet");
      return;
    }
    nwbpf_port port{};
    port.role = NWBPF_PORT_TUNNEL;
    put_port(*l, port);
    add_hooks(l->ifindex, NWBPF_PORT_TUNNEL);
  }

  void add_settings() {
    const LinkState* wan = link(c_.node.wan_interface);
    nwbpf_settings s{};
    if (c_.node.nbma_address)
      s.local_nbma = c_.node.nbma_address->be;
    else if (wan && wan->ipv4)
      s.local_nbma = wan->ipv4->be;
    else if (wan)
      warn("WAN device " + c_.node.wan_interface +
           " has no IPv4 address and node.nbma_address is not set: nothing can be encapsulated");
    if (wan) {
      s.wan_ifindex = static_cast<__u32>(wan->ifindex);
      s.wan_mtu = static_cast<__u16>(std::min<uint32_t>(wan->mtu, 0xffff));
    }
    if (c_.dataplane.mode == DataplaneMode::kernel_tunnel)
      if (const LinkState* tun = link(c_.dataplane.tunnel_device))
        s.tunnel_ifindex = static_cast<__u32>(tun->ifindex);
    s.mode = static_cast<__u8>(to_bpf_mode(c_.dataplane.mode));
    s.ttl = c_.dataplane.ttl;
    s.udp_src_port = c_.dataplane.udp_src_port;
    // Behind NAT, flow-hashed ports would open a mapping per inner flow,
    // none of which a peer could send to (daemon/nat_probe.h).
    if (nhrp_.behind_nat && s.udp_src_port == 0) s.udp_src_port = NWBPF_VXLAN_PORT;
    if (c_.dataplane.df) s.flags |= NWBPF_SET_DF;
    if (c_.dataplane.learn_remote) s.flags |= NWBPF_SET_LEARN_REMOTE;
    if (encrypted()) {
      s.flags |= NWBPF_SET_ENCRYPT;
      // The VXLAN packet must still fit once ESP is around it.
      s.wan_mtu = s.wan_mtu > kEspOverhead ? static_cast<__u16>(s.wan_mtu - kEspOverhead) : 0;
    }
    if (std::ranges::find(c_.agent.roles, Role::route_server) != c_.agent.roles.end())
      s.flags |= NWBPF_SET_RELAY;
    if (nhrp_.relay) s.relay_nbma = nhrp_.relay->be;
    set_tcp_mss(s);
    d_.settings[0] = s;
  }

  // The largest MSS of a segment that, encapsulated, fits the WAN MTU: the
  // outer VXLAN headers, then the inner IP and TCP headers (options aside,
  // as TCPMSS --clamp-mss-to-pmtu does). An IPv6 header is 20 bytes longer,
  // so a fixed value is for IPv4 and IPv6 gets 20 less. 0: no clamp (off,
  // or auto without a WAN device yet).
  void set_tcp_mss(nwbpf_settings& s) const {
    constexpr int kTcp = 20, kIpv4 = 20, kIpv6 = 40;
    int mss4 = 0;
    if (c_.dataplane.tcp_mss == TcpMssMode::fixed)
      mss4 = c_.dataplane.tcp_mss_value;
    else if (c_.dataplane.tcp_mss == TcpMssMode::automatic && s.wan_mtu)
      mss4 = s.wan_mtu - NWBPF_VXLAN_OVERHEAD - kIpv4 - kTcp;
    const int mss6 = mss4 - (kIpv6 - kIpv4);
    if (mss6 <= 0) return;  // a WAN MTU too small for any TCP: nothing to clamp to
    s.tcp_mss4 = static_cast<__u16>(mss4);
    s.tcp_mss6 = static_cast<__u16>(mss6);
  }

  void add_vlan_ports() {
    for (const auto& [vlan, members] : vlan_members_) {
      nwbpf_vlan_ports v{};
      if (members.size() > NWBPF_MAX_VLAN_PORTS)
        warn("VLAN " + std::to_string(vlan) + " has " + std::to_string(members.size()) +
             " local ports; only the first " + std::to_string(NWBPF_MAX_VLAN_PORTS) +
             " get broadcast copies");
      v.count = static_cast<__u32>(std::min<size_t>(members.size(), NWBPF_MAX_VLAN_PORTS));
      std::copy_n(members.begin(), v.count, v.ifindex);
      d_.vlan_ports[vlan] = v;
    }
  }

  void put_peer(Ipv4 overlay, Ipv4 nbma, uint8_t epoch = 0, bool natted = false) {
    nwbpf_peer peer{};
    peer.nbma = nbma.be;
    peer.epoch = epoch;
    // nbma_port: BPF learns it. Not in kernel-tunnel mode, where nothing
    // would (the kernel encapsulates; IPsec NAT-T handles NAT there).
    if (natted && c_.dataplane.mode != DataplaneMode::kernel_tunnel) peer.flags = NWBPF_PEER_NAT;
    if (encrypted() && sa_up_.contains(nbma)) peer.flags |= NWBPF_PEER_SA;
    peer.overlay = overlay.be;  // entries carry their keys (include/nwbpf/slots.h)
    d_.peers[overlay.be] = peer;
    d_.peer_nbma[nwbpf_peer_nbma_key{nbma.be}] = nwbpf_peer_nbma{overlay.be, nbma.be};
  }

  // NHRP resolves it: no entry until then (frames go through the relay).
  bool encrypted() const { return c_.ipsec.mode != IpsecConfig::Mode::off; }

  bool resolved_by_nhrp(Ipv4 vtep) const {
    return c_.nhrp && bgp::contains(c_.nhrp->overlay_range, vtep);
  }

  // Config peers, NHRP bindings, then every EVPN VTEP still without an
  // entry that NHRP does not resolve: an underlay address, its own NBMA
  // address (compute_desired in the header).
  void add_peers() {
    for (const auto& pc : c_.peers) put_peer(pc.overlay, pc.nbma);
    for (const auto& [overlay, binding] : nhrp_.peers)
      if (!d_.peers.contains(overlay.be)) put_peer(overlay, binding.nbma, binding.epoch, binding.natted);
    auto add_vtep = [&](Ipv4 vtep) {
      if (!d_.peers.contains(vtep.be) && !resolved_by_nhrp(vtep)) put_peer(vtep, vtep);
    };
    for (const auto& [key, vtep] : evpn_.macs) add_vtep(vtep);
    for (const auto& [vni, vteps] : evpn_.flood)
      for (Ipv4 vtep : vteps) add_vtep(vtep);
    for (const auto& [overlay, nbma] : nhrp_.accept)
      if (!d_.peers.contains(overlay.be) && !d_.peer_nbma.contains(nwbpf_peer_nbma_key{nbma.be}))
        d_.peer_nbma[nwbpf_peer_nbma_key{nbma.be}] = nwbpf_peer_nbma{overlay.be, nbma.be};
    // Relayed frames come from the relay: accept them even before its
    // overlay address is known (NHRP learns it from the registration reply).
    if (nhrp_.relay && !d_.peer_nbma.contains(nwbpf_peer_nbma_key{nhrp_.relay->be}))
      d_.peer_nbma[nwbpf_peer_nbma_key{nhrp_.relay->be}] =
          nwbpf_peer_nbma{nhrp_.relay->be, nhrp_.relay->be};
  }

  // Kernel-tunnel mode has none: the kernel resolves next hops as it sends.
  void add_nexthops() {
    const LinkState* wan = link(c_.node.wan_interface);
    if (c_.dataplane.mode == DataplaneMode::kernel_tunnel || !wan) return;
    auto port = d_.ports.find(static_cast<__u32>(wan->ifindex));  // add_wan() wrote it
    bool xdp_tx = port != d_.ports.end() && (port->second.flags & NWBPF_PORT_XDP_TX);
    NextHopPlan plan = plan_nexthops(peer_nbmas(d_),
                                     {c_.node.wan_interface, wan->ifindex, wan->mac, xdp_tx}, nexthops_);
    d_.nexthops = std::move(plan.entries);
    d_.resolve = std::move(plan.resolve);
    for (auto& w : plan.warnings) warn(std::move(w));
  }

  // Per VNI: the [[flood]] VTEPs in config order, then the type-3 VTEPs
  // the config does not list.
  void add_flood() {
    std::map<uint32_t, std::vector<Ipv4>> lists;
    std::map<uint32_t, std::string> sources;
    for (const auto& fc : c_.flood) {
      lists[fc.vni] = fc.vteps;
      sources[fc.vni] = fc.source + ": ";
    }
    for (const auto& [vni, vteps] : evpn_.flood)
      for (Ipv4 vtep : vteps) {
        auto& list = lists[vni];
        if (std::find(list.begin(), list.end(), vtep) == list.end()) list.push_back(vtep);
      }
    for (const auto& [vni, vteps] : lists) {
      nwbpf_flood f{};
      if (vteps.size() > NWBPF_MAX_FLOOD_VTEPS)
        warn(sources[vni] + "flood list of VNI " + std::to_string(vni) + " has " +
             std::to_string(vteps.size()) + " VTEPs; only the first " +
             std::to_string(NWBPF_MAX_FLOOD_VTEPS) + " get copies");
      f.count = static_cast<__u32>(std::min<size_t>(vteps.size(), NWBPF_MAX_FLOOD_VTEPS));
      for (__u32 i = 0; i < f.count; ++i) f.vtep[i] = vteps[i].be;
      d_.flood[vni] = f;
    }
  }

  void add_static_fdb() {
    for (const auto& fc : c_.fdb) {
      const nwbpf_fdb_key key = fdb_key_of(fc.vni, fc.mac);
      nwbpf_fdb_entry entry{};
      entry.origin = NWBPF_ORIGIN_STATIC;
      if (fc.port) {
        const LinkState* l = link(*fc.port);
        if (!l) {
          warn(fc.source + ": static entry " + fc.mac.str() + " waits for port " + *fc.port);
          continue;
        }
        entry.kind = NWBPF_FDB_LOCAL;
        entry.ifindex = static_cast<__u32>(l->ifindex);
      } else {
        entry.kind = NWBPF_FDB_REMOTE;
        entry.vtep = fc.vtep->be;
      }
      d_.fdb[key] = entry;
    }
  }

  // Type-2 MACs the config has no [[fdb]] entry for (try_emplace keeps a
  // static entry). The MACs of one VNI come in the fdb's key order, so the
  // end is the usual hint: inserting 100,000 of them costs no search each.
  void add_evpn_fdb() {
    for (const auto& [key, vtep] : evpn_.macs) {
      nwbpf_fdb_entry entry{};
      entry.kind = NWBPF_FDB_REMOTE;
      entry.origin = NWBPF_ORIGIN_EVPN;
      entry.vtep = vtep.be;
      d_.fdb.try_emplace(d_.fdb.end(), fdb_key_of(key.first, key.second), entry);
    }
  }

  const Config& c_;
  const LinkSnapshot& links_;
  const NextHopSnapshot& nexthops_;
  const EvpnInstall& evpn_;
  const NhrpInstall& nhrp_;
  const std::set<Ipv4>& sa_up_;  // NBMA addresses with an installed CHILD_SA
  DesiredState d_;
  std::map<uint16_t, std::vector<__u32>> vlan_members_;  // config order within a VLAN
};

}  // namespace

DesiredState compute_desired(const Config& config, const LinkSnapshot& links,
                             const NextHopSnapshot& nexthops, const EvpnInstall& evpn,
                             const NhrpInstall& nhrp, const std::set<Ipv4>& sa_up) {
  return Builder(config, links, nexthops, evpn, nhrp, sa_up).build();
}

std::vector<Ipv4> peer_nbmas(const DesiredState& d) {
  std::set<Ipv4> nbmas;
  for (const auto& [overlay, peer] : d.peers) nbmas.insert(Ipv4{peer.nbma});
  if (auto s = d.settings.find(0); s != d.settings.end() && s->second.relay_nbma)
    nbmas.insert(Ipv4{s->second.relay_nbma});
  return {nbmas.begin(), nbmas.end()};
}

std::vector<std::string> configured_devices(const Config& config) {
  std::vector<std::string> names;
  for (const auto& p : config.ports) names.push_back(p.name);
  names.push_back(config.node.wan_interface);
  if (config.dataplane.mode == DataplaneMode::kernel_tunnel)
    names.push_back(config.dataplane.tunnel_device);
  return names;
}

const char* role_name(nwbpf_port_role role) {
  switch (role) {
    case NWBPF_PORT_EDGE:
      return "edge";
    case NWBPF_PORT_WAN:
      return "wan";
    case NWBPF_PORT_TUNNEL:
      return "tunnel";
  }
  return "unknown";
}

}  // namespace nwbpf::daemon
