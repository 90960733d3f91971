// SPDX-License-Identifier: Apache-2.0
// What the NHRP service of this node is made of, from the config: the NHC
// (role ce: registration with nhrp.servers, shortcuts), the NHS (role
// route-server: registration cache, resolution answers, Traffic
// Indications), the socket (WAN device, NBMA address, GRE key). A reload
// that leaves the plan equal leaves the service running.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/family.h"
#include "common/net_types.h"
#include "config/config.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {

struct NhrpPlan {
  bool client = false;  // role ce
  bool server = false;  // role route-server
  std::string device;   // node.wan_interface
  Ipv4 protocol;        // node.overlay_address
  Ipv4 nbma;            // node.nbma_address, else the WAN device's address
  std::vector<Ipv4> servers;
  bgp::Prefix4 overlay_range;
  std::optional<uint32_t> gre_key;
  uint16_t holding_time_s = 7200;
  bool proactive = false;
  std::optional<std::string> password;
  // The UDP source port of every VXLAN frame while behind NAT, and of the
  // NAT probes: dataplane.udp_src_port, or 4789 when that is the flow hash.
  uint16_t nat_source_port = NWBPF_VXLAN_PORT;
  // NAT probes keep plaintext VXLAN's NAT mappings open (daemon/nat_probe.h).
  // Not in kernel-tunnel mode: the kernel's VXLAN device sends there, and
  // with IPsec charon's NAT-T keeps the mapping (a probe sent before a peer's
  // trap policy is in would even leave in plaintext).
  bool nat_probes = true;
  bool operator==(const NhrpPlan&) const = default;
  bool in_overlay(Ipv4 address) const;
};

// nullopt without [nhrp]. `wan_address`: the WAN device's primary IPv4
// address, used when node.nbma_address is not set. Throws
// std::runtime_error when neither gives an NBMA address.
std::optional<NhrpPlan> plan_nhrp(const Config& config, std::optional<Ipv4> wan_address);

}  // namespace nwbpf::daemon
