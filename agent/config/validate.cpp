// SPDX-License-Identifier: Apache-2.0
#include "config/validate.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "bgp/session_manager_config.h"
#include "config/toml_reader.h"
#include "config/value_rules.h"

namespace nwbpf::config {

namespace {

constexpr Ipv4 kUnset{};

// Remembers the first path at which each value was seen.
template <class T>
class FirstSeen {
 public:
  // The path where `value` was seen before, or nullopt (and records `path`).
  std::optional<std::string> add(const T& value, const std::string& path) {
    auto [it, inserted] = first_.emplace(value, path);
    if (inserted) return std::nullopt;
    return it->second;
  }

 private:
  std::map<T, std::string> first_;
};

struct Facts {
  bool port_names_complete = true;  // every [[port]] has a valid name
  bool port_vlans_complete = true;  // ... and a full, valid VLAN list
  bool peers_complete = true;       // every [[peer]] has a valid overlay address
  bool roles_have_ce = false;       // agent.roles is valid and lists "ce"
};

Facts gather_facts(const Config& c) {
  Facts f;
  for (const auto& p : c.ports) {
    f.port_names_complete &= !p.name.empty();
    f.port_vlans_complete &=
        !p.vlans.empty() && std::find(p.vlans.begin(), p.vlans.end(), 0) == p.vlans.end();
  }
  for (const auto& p : c.peers) f.peers_complete &= p.overlay != kUnset;
  f.roles_have_ce =
      std::find(c.agent.roles.begin(), c.agent.roles.end(), Role::ce) != c.agent.roles.end();
  // Fetched edge ports are known only at run time: what names them or
  // their VLANs cannot be checked here.
  if (f.roles_have_ce && c.fetch && c.fetch->portconfig)
    f.port_names_complete = f.port_vlans_complete = false;
  return f;
}

bool vlan_on_port(const PortConfig& port, uint32_t vlan) {
  return std::find(port.vlans.begin(), port.vlans.end(), vlan) != port.vlans.end();
}

bool vlan_on_any_port(const Config& c, uint32_t vlan) {
  return std::any_of(c.ports.begin(), c.ports.end(),
                     [&](const PortConfig& p) { return vlan_on_port(p, vlan); });
}

bool is_peer(const Config& c, Ipv4 overlay) {
  return std::any_of(c.peers.begin(), c.peers.end(),
                     [&](const PeerConfig& p) { return p.overlay == overlay; });
}

void check_devices(const Config& c, Diagnostics& diag) {
  const std::string& wan = c.node.wan_interface;
  const std::string& tunnel = c.dataplane.tunnel_device;
  if (!tunnel.empty() && tunnel == wan)
    diag.error(
        "dataplane.tunnel_device",
        quote(tunnel) + " is node.wan_interface; the agent creates the tunnel device itself");
  FirstSeen<std::string> names;
  for (size_t i = 0; i < c.ports.size(); ++i) {
    const auto& port = c.ports[i];
    std::string path = index_path("port", i);
    if (port.path == PortPath::xdp && c.dataplane.mode != DataplaneMode::xdp)
      diag.error(path + ".path",
                 "\"xdp\" needs dataplane.mode = \"xdp\" (only that mode attaches XDP programs)");
    if (port.name.empty()) continue;
    if (port.name == wan)
      diag.error(
          path + ".name",
          quote(port.name) + " is node.wan_interface; the WAN device cannot also be an edge port");
    else if (port.name == tunnel)
      diag.error(path + ".name",
                 quote(port.name) + " is dataplane.tunnel_device (the agent's VXLAN device)");
    else if (auto first = names.add(port.name, path + ".name"))
      diag.error(path + ".name", quote(port.name) + " is already " + *first);
  }
}

void check_peers(const Config& c, Diagnostics& diag) {
  FirstSeen<Ipv4> overlays, nbmas;
  for (size_t i = 0; i < c.peers.size(); ++i) {
    const auto& peer = c.peers[i];
    std::string path = index_path("peer", i);
    if (peer.overlay != kUnset) {
      if (peer.overlay == c.node.overlay_address)
        diag.error(path + ".overlay", peer.overlay.str() + " is node.overlay_address (this node)");
      else if (auto first = overlays.add(peer.overlay, path + ".overlay"))
        diag.error(path + ".overlay", peer.overlay.str() + " is already " + *first);
    }
    if (peer.nbma != kUnset) {
      if (peer.nbma == c.node.nbma_address)
        diag.error(path + ".nbma", peer.nbma.str() + " is node.nbma_address (this node)");
      else if (auto first = nbmas.add(peer.nbma, path + ".nbma"))
        diag.error(path + ".nbma", peer.nbma.str() + " is already " + *first);
    }
  }
}

// The VNI of one entry of a table with one entry per VNI: not repeated
// (`seen` holds the earlier entries) and carried by some [[port]], else
// `unused` says what the entry would fail to do.
void check_vni(const Config& c, const Facts& facts, uint32_t vni, const std::string& path,
               FirstSeen<uint32_t>& seen, std::string_view unused, Diagnostics& diag) {
  if (vni == 0) return;  // invalid (reported)
  if (auto first = seen.add(vni, path))
    diag.error(path, "VNI " + std::to_string(vni) + " is already " + *first);
  else if (facts.port_vlans_complete && !vlan_on_any_port(c, vni))
    diag.error(path,
               "no [[port]] carries VLAN " + std::to_string(vni) + ", so " + std::string(unused));
}

void check_flood(const Config& c, const Facts& facts, Diagnostics& diag) {
  FirstSeen<uint32_t> vnis;
  for (size_t i = 0; i < c.flood.size(); ++i) {
    const auto& flood = c.flood[i];
    std::string path = index_path("flood", i);
    check_vni(c, facts, flood.vni, path + ".vni", vnis,
              "nothing would ever be flooded to these VTEPs", diag);
    if (!facts.peers_complete) continue;
    for (size_t j = 0; j < flood.vteps.size(); ++j)
      if (flood.vteps[j] != kUnset && !is_peer(c, flood.vteps[j]))
        diag.error(index_path(path + ".vteps", j),
                   flood.vteps[j].str() + " is not the overlay address of any [[peer]]");
  }
}

void check_fdb(const Config& c, const Facts& facts, Diagnostics& diag) {
  FirstSeen<std::pair<uint32_t, Mac>> entries;
  for (size_t i = 0; i < c.fdb.size(); ++i) {
    const auto& fdb = c.fdb[i];
    std::string path = index_path("fdb", i);
    std::string vni = std::to_string(fdb.vni);
    // An invalid MAC is left all-zero, which read_mac never accepts.
    if (fdb.vni != 0 && !fdb.mac.is_zero())
      if (auto first = entries.add({fdb.vni, fdb.mac}, path))
        diag.error(path + ".mac", fdb.mac.str() + " in VNI " + vni + " is already " + *first);
    if (fdb.port && facts.port_names_complete) {
      auto port = std::find_if(c.ports.begin(), c.ports.end(),
                               [&](const PortConfig& p) { return p.name == *fdb.port; });
      if (port == c.ports.end())
        diag.error(path + ".port", "no [[port]] is named " + quote(*fdb.port));
      else if (fdb.vni != 0 && facts.port_vlans_complete && !vlan_on_port(*port, fdb.vni))
        diag.error(path + ".port", "port " + quote(*fdb.port) + " does not carry VLAN " + vni);
    }
    if (fdb.vtep && !fdb.port) {
      if (facts.peers_complete && !is_peer(c, *fdb.vtep))
        diag.error(path + ".vtep", fdb.vtep->str() + " is not the overlay address of any [[peer]]");
      if (fdb.vni != 0 && facts.port_vlans_complete && !vlan_on_any_port(c, fdb.vni))
        diag.error(path + ".vni", "no [[port]] carries VLAN " + vni +
                                      ", so no frame would ever be sent to this entry");
    }
  }
}

// Addresses of [bgp] that would name this node or another node's identity.
void check_bgp_addresses(const Config& c, Diagnostics& diag) {
  const BgpConfig& bgp = *c.bgp;
  // The default router_id is node.overlay_address, which check_peers()
  // already keeps apart from every peer.
  if (bgp.router_id != kUnset && bgp.router_id != c.node.overlay_address) {
    auto peer = std::find_if(c.peers.begin(), c.peers.end(),
                             [&](const PeerConfig& p) { return p.overlay == bgp.router_id; });
    if (peer != c.peers.end())
      diag.error("bgp.router_id",
                 bgp.router_id.str() + " is " +
                     index_path("peer", static_cast<size_t>(peer - c.peers.begin())) +
                     ".overlay, that node's router_id by default; BGP Identifiers must be "
                     "unique in the AS (RFC 6286)");
  }
  for (size_t i = 0; i < bgp.route_reflectors.size(); ++i) {
    Ipv4 server = bgp.route_reflectors[i];
    std::string path = index_path("bgp.route_reflectors", i);
    if (server == kUnset) continue;  // invalid (reported)
    if (server == c.node.overlay_address)
      diag.error(path, server.str() + " is node.overlay_address (this node)");
    else if (server == c.node.nbma_address)
      diag.error(path, server.str() + " is node.nbma_address (this node)");
  }
}

// This node's overlay address is an NHRP protocol address like any other
// node's, and an NHS is another node.
void check_nhrp_addresses(const Config& c, Diagnostics& diag) {
  const NhrpConfig& nhrp = *c.nhrp;
  if (c.node.overlay_address != kUnset && !bgp::contains(nhrp.overlay_range, c.node.overlay_address))
    diag.error("nhrp.overlay_range", bgp::to_string(nhrp.overlay_range) +
                                         " does not hold node.overlay_address " +
                                         c.node.overlay_address.str());
  for (size_t i = 0; i < nhrp.servers.size(); ++i) {
    Ipv4 server = nhrp.servers[i];
    if (server != kUnset && server == c.node.nbma_address)
      diag.error(index_path("nhrp.servers", i), server.str() + " is node.nbma_address (this node)");
  }
}

// The VNIs of the ports that take the automatic route target AS:VNI (no
// [[bgp.vni]]), by that route target; empty when that cannot be known.
std::map<evpn::RouteTarget, uint32_t> automatic_targets(const Config& c, const Facts& facts) {
  std::map<evpn::RouteTarget, uint32_t> targets;
  const BgpConfig& bgp = *c.bgp;
  if (bgp.as == 0 || !facts.port_vlans_complete) return targets;
  std::set<uint32_t> configured;
  for (const auto& vni : bgp.vnis) {
    if (vni.vni == 0) return targets;  // invalid (reported): which VNI it is, is unknown
    configured.insert(vni.vni);
  }
  for (const auto& port : c.ports)
    for (uint16_t vlan : port.vlans)
      if (!configured.contains(vlan))
        targets.emplace(evpn::RouteTarget::automatic(bgp.as, vlan), vlan);
  return targets;
}

// Each [[bgp.vni]] names a VNI of the ports once, and its route targets are
// its own: a route target two VNIs import would put one's MACs in the other.
void check_bgp_vnis(const Config& c, const Facts& facts, Diagnostics& diag) {
  const auto automatic = automatic_targets(c, facts);
  const std::string shared = "; a route target of two VNIs would put one's MACs in the other";
  FirstSeen<uint32_t> vnis;
  FirstSeen<evpn::RouteTarget> targets;
  for (size_t i = 0; i < c.bgp->vnis.size(); ++i) {
    const auto& vni = c.bgp->vnis[i];
    std::string path = index_path("bgp.vni", i);
    check_vni(c, facts, vni.vni, path + ".vni", vnis, "this VNI is never advertised", diag);
    const auto& listed = vni.route_targets;
    for (size_t j = 0; j < listed.size(); ++j) {
      if (std::find(listed.begin(), listed.begin() + j, listed[j]) != listed.begin() + j)
        continue;  // a repeat within the list (reported)
      std::string at = index_path(path + ".route_targets", j);
      std::string rt = "route target " + listed[j].value.str();
      if (auto first = targets.add(listed[j], at))
        diag.error(at, rt + " is already " + *first + shared);
      else if (auto other = automatic.find(listed[j]); other != automatic.end())
        diag.error(at, rt + " is the automatic one of VNI " + std::to_string(other->second) +
                           " (AS:VNI)" + shared);
    }
  }
}

// A CE that fetches its portconfig takes its edge ports from that file
// only (daemon/portconfig_apply.h): with two sources it would be unclear
// which one a port named in both follows, and which one removes it.
void check_fetched_ports(const Config& c, Diagnostics& diag) {
  for (size_t i = 0; i < c.ports.size(); ++i)
    diag.error(index_path("port", i),
               "[fetch.portconfig] gives this CE its edge ports; remove the [[port]] tables (or "
               "[fetch.portconfig])");
}

// portconfig and ebconfig are two files with two kick listeners: one URL or
// one listening address and port for both would mix them up.
void check_fetch(const Config& c, Diagnostics& diag) {
  const FetchConfig& fetch = *c.fetch;
  if (!fetch.portconfig || !fetch.ebconfig) return;
  const FetchSourceConfig& pc = *fetch.portconfig;
  const FetchSourceConfig& eb = *fetch.ebconfig;
  if (!eb.json_url_prefix.empty() && eb.json_url_prefix == pc.json_url_prefix)
    diag.error("fetch.ebconfig.json_url_prefix",
               "is also fetch.portconfig.json_url_prefix; the two files need their own URLs");
  if (eb.bind_port == pc.bind_port && eb.bind_address == pc.bind_address)
    diag.error("fetch.ebconfig.bind_port",
               std::to_string(eb.bind_port) +
                   " is also fetch.portconfig.bind_port on the same address; each kick listener "
                   "needs its own port");
}

// The role config-server has nothing to serve without its table (the
// directory); the table without the role is read_config_server()'s error.
void check_config_server_role(const Config& c, Diagnostics& diag) {
  const auto& roles = c.agent.roles;
  if (!c.config_server && std::find(roles.begin(), roles.end(), Role::config_server) != roles.end())
    diag.error("agent.roles",
               "role \"config-server\" needs a [config_server] table (its directory, at least)");
}

}  // namespace

void validate(const Config& config, Diagnostics& diag) {
  Facts facts = gather_facts(config);
  check_devices(config, diag);
  check_peers(config, diag);
  check_flood(config, facts, diag);
  check_fdb(config, facts, diag);
  if (config.bgp) {
    check_bgp_addresses(config, diag);
    // [[bgp.vni]] without role "ce" (or with unknown roles) is reported already.
    if (facts.roles_have_ce) check_bgp_vnis(config, facts, diag);
  }
  if (config.nhrp) check_nhrp_addresses(config, diag);
  if (facts.roles_have_ce && config.fetch && config.fetch->portconfig)
    check_fetched_ports(config, diag);
  if (config.fetch) check_fetch(config, diag);
  check_config_server_role(config, diag);
}

}  // namespace nwbpf::config
