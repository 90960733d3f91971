// SPDX-License-Identifier: Apache-2.0
// A fetched portconfig file (central/portconfig.h) as the node's edge ports:
// what `[[port]]` tables would say, so the rest of the daemon (links,
// desired state, EVPN's VNIs, `show ports`) treats them alike. Pure.
//
// With [fetch.portconfig] (role ce) the file is the only source of edge
// ports: the config file may hold no [[port]] (config/validate.cpp).
#pragma once

#include <string>
#include <vector>

#include "central/portconfig.h"
#include "config/config.h"

namespace nwbpf::daemon {

struct FetchedPorts {
  std::vector<PortConfig> ports;      // the usable ones, in file order
  std::vector<std::string> problems;  // "ports[i].name: ..." for each refused port
};

// Each entry becomes a PortConfig: role edge, `tagged` and `vlans` as
// written (untagged: every VLAN untagged, the last one the PVID; tagged:
// all tagged, no PVID; VNI = VLAN ID), path "auto", and `source`
// "<url>: ports[i]", which the desired state's warnings start with (a
// missing device: "<url>: ports[0]: port vetha does not exist; waiting for
// it", as for a [[port]]). Refused, as for a [[port]]: the WAN device and
// the tunnel device. Whether a device exists is not checked here: a
// missing one waits for its device like a [[port]] does.
FetchedPorts edge_ports(const central::PortConfig& file, const std::string& url,
                        const Config& config);

}  // namespace nwbpf::daemon
