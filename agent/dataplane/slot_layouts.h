// SPDX-License-Identifier: Apache-2.0
// The direct-mapped tables of the data plane (include/nwbpf/slots.h) as
// SlottedTables: how each maps a key to its slot and finds the key in a value.
#pragma once

#include <string>

#include "common/net_types.h"
#include "dataplane/slotted_table.h"
#include "maps/nexthop.h"
#include "maps/peer.h"
#include "maps/port.h"

namespace nwbpf {

struct PortSlots {
  static constexpr const char* kWhat = "port";
  static __u32 slot(__u32 ifindex) { return nwbpf_port_slot(ifindex); }
  static __u32 key_of(const nwbpf_port& v) { return v.ifindex; }
  static std::string name(__u32 ifindex) { return "ifindex " + std::to_string(ifindex); }
};

struct PeerSlots {
  static constexpr const char* kWhat = "peer";
  static __u32 slot(__be32 overlay) { return nwbpf_addr_slot(overlay); }
  static __be32 key_of(const nwbpf_peer& v) { return v.overlay; }
  static std::string name(__be32 overlay) { return "overlay " + Ipv4{overlay}.str(); }
};

struct PeerNbmaSlots {
  static constexpr const char* kWhat = "peer_nbma";
  static __u32 slot(const nwbpf_peer_nbma_key& k) { return nwbpf_addr_slot(k.nbma); }
  static nwbpf_peer_nbma_key key_of(const nwbpf_peer_nbma& v) { return {v.nbma}; }
  static std::string name(const nwbpf_peer_nbma_key& k) { return "NBMA " + Ipv4{k.nbma}.str(); }
};

struct NextHopSlots {
  static constexpr const char* kWhat = "next-hop";
  static __u32 slot(__be32 nbma) { return nwbpf_addr_slot(nbma); }
  static __be32 key_of(const nwbpf_nexthop& v) { return v.nbma; }
  static std::string name(__be32 nbma) { return "NBMA " + Ipv4{nbma}.str(); }
};

using PortTable = SlottedTable<__u32, nwbpf_port, PortSlots>;
using PeerTable = SlottedTable<__be32, nwbpf_peer, PeerSlots>;
using PeerNbmaTable = SlottedTable<nwbpf_peer_nbma_key, nwbpf_peer_nbma, PeerNbmaSlots>;
using NextHopTable = SlottedTable<__be32, nwbpf_nexthop, NextHopSlots>;

}  // namespace nwbpf
