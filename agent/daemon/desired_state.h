// SPDX-License-Identifier: Apache-2.0
// What the data plane must look like for a given config, set of links and
// next-hop facts: the exact content of every map the reconciler owns, the
// program hooks each device gets and the neighbours the kernel must
// resolve. Pure: no I/O, so every rule here is unit-tested.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "daemon/evpn_install.h"
#include "daemon/link_snapshot.h"
#include "daemon/map_table.h"
#include "daemon/nexthop_plan.h"
#include "daemon/nhrp_install.h"
#include "dataplane/datapath.h"
#include "maps/fdb.h"
#include "maps/flood.h"
#include "maps/peer.h"
#include "maps/port.h"
#include "maps/settings.h"

namespace nwbpf::daemon {

// The most ESP adds around a VXLAN packet (RFC 4303 section 2, AES-GCM per
// RFC 4106): SPI and sequence number, the 8-byte IV, up to 3 bytes of
// padding, pad length and next header, the 16-byte ICV, and the UDP header
// of NAT-T (RFC 3948) when charon finds a NAT. With [ipsec] on, the WAN MTU
// the data plane and the tunnel device work with is lowered by it.
inline constexpr uint16_t kEspOverhead = 4 + 4 + 8 + 3 + 2 + 16 + 8;

// One line of `nwbpf show ports` (control/protocol.h).
struct PortView {
  std::string name;
  nwbpf_port_role role = NWBPF_PORT_EDGE;
  int ifindex = 0;    // 0: missing
  std::string state;  // "up" | "down" | "missing"
  bool tagged = false;
  std::vector<uint16_t> vlans;
  uint16_t pvid = 0;
  bool xdp_path = false;  // NWBPF_PORT_XDP_TX
  std::string path_reason;
};

using HookKey = std::pair<int, Hook>;                // (ifindex, hook)
using HookSet = std::map<HookKey, nwbpf_port_role>;  // -> program role

struct DesiredState {
  Table<__u32, nwbpf_settings> settings;  // key 0 only
  Table<__u32, nwbpf_port> ports;
  Table<__u32, nwbpf_vlan_ports> vlan_ports;
  Table<__be32, nwbpf_peer> peers;
  Table<nwbpf_peer_nbma_key, nwbpf_peer_nbma> peer_nbma;
  Table<__be32, nwbpf_nexthop> nexthops;  // xdp and tc modes only
  Table<__u32, nwbpf_flood> flood;
  Table<nwbpf_fdb_key, nwbpf_fdb_entry> fdb;
  HookSet hooks;
  std::vector<NeighbourRequest> resolve;  // next hops the kernel must resolve
  std::vector<PortView> port_views;       // edge ports in config order, WAN, tunnel
  // Conditions the operator must know about (missing devices, MTU too small,
  // limits hit). The daemon logs each once, when it first appears.
  std::vector<std::string> warnings;
};

// `nexthops`: what query_nexthops found for the peers' NBMA addresses; an
// address without facts gets no nexthops entry yet. `evpn`: what the EVPN
// speaker imported, merged with the static tables (daemon/evpn_install.h).
// `nhrp`: what NHRP resolved (daemon/nhrp_install.h).
//
// `peers` (the data plane's NHRP cache): the config's [[peer]]s, then the
// NHRP bindings the config does not name (a [[peer]] wins), then every EVPN
// VTEP still without an entry, as an underlay address (its own NBMA
// address), unless [nhrp] is configured and the VTEP is inside its
// overlay_range: that VTEP gets no entry, so its frames go through the
// route server (settings.relay_nbma = nhrp.relay) and raise PEER_MISS
// events until NHRP resolves it. The relay's NBMA address gets a
// `peer_nbma` entry (relayed frames come from it) if no peer has one, and a
// next hop like every peer's. With role route-server, settings carry
// NWBPF_SET_RELAY: its peers (the registrations) are whom it relays to.
//
// With [ipsec] on, settings carry NWBPF_SET_ENCRYPT and a WAN MTU lowered by
// what ESP adds; a peer whose NBMA address is in `sa_up` (charon reports an
// installed CHILD_SA with it) gets NWBPF_PEER_SA, the others get no frame.
DesiredState compute_desired(const Config& config, const LinkSnapshot& links,
                             const NextHopSnapshot& nexthops = {},
                             const EvpnInstall& evpn = {}, const NhrpInstall& nhrp = {},
                             const std::set<Ipv4>& sa_up = {});

// The NBMA address of every peer of `d` (config, NHRP and EVPN VTEPs) and of
// the route server it relays through: the next hops the daemon asks the
// kernel about.
std::vector<Ipv4> peer_nbmas(const DesiredState& d);

// Names of every device the config refers to (edge ports, WAN, and the
// tunnel device in kernel-tunnel mode): what links.cpp must look up.
std::vector<std::string> configured_devices(const Config& config);

const char* role_name(nwbpf_port_role role);

}  // namespace nwbpf::daemon
