// SPDX-License-Identifier: Apache-2.0
#include "daemon/portconfig_apply.h"

namespace nwbpf::daemon {

FetchedPorts edge_ports(const central::PortConfig& file, const std::string& url,
                        const Config& config) {
  FetchedPorts out;
  for (size_t i = 0; i < file.ports.size(); ++i) {
    const central::PortEntry& entry = file.ports[i];
    const std::string path = "ports[" + std::to_string(i) + "]";
    const std::string quoted = "\"" + entry.name + "\"";
    // The same words as the config file's checks of [[port]] (validate.cpp).
    if (entry.name == config.node.wan_interface) {
      out.problems.push_back(path + ".name: " + quoted +
                             " is node.wan_interface; the WAN device cannot also be an edge port");
      continue;
    }
    if (entry.name == config.dataplane.tunnel_device) {
      out.problems.push_back(path + ".name: " + quoted +
                             " is dataplane.tunnel_device (the agent's VXLAN device)");
      continue;
    }
    PortConfig port;
    port.name = entry.name;
    port.tagged = entry.tagged;
    port.vlans = entry.vlans;
    port.source = url + ": " + path;
    out.ports.push_back(std::move(port));
  }
  return out;
}

}  // namespace nwbpf::daemon
