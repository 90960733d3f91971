// SPDX-License-Identifier: Apache-2.0
#include "daemon/control_views.h"

#include <algorithm>

#include "common/net_types.h"

namespace nwbpf::daemon {

using nlohmann::json;

json ports_json(const std::vector<PortView>& ports) {
  json out = json::array();
  for (const auto& p : ports)
    out.push_back({{"name", p.name},
                   {"ifindex", p.ifindex},
                   {"role", role_name(p.role)},
                   {"state", p.state},
                   {"tagged", p.tagged},
                   {"vlans", p.vlans},
                   {"pvid", p.pvid},
                   {"path", p.xdp_path ? "xdp" : "tc"},
                   {"path_reason", p.path_reason}});
  return out;
}

json peers_json(const Config& config) {
  json out = json::array();
  for (const auto& peer : config.peers) {
    json vnis = json::array();
    for (const auto& f : config.flood)
      if (std::find(f.vteps.begin(), f.vteps.end(), peer.overlay) != f.vteps.end())
        vnis.push_back(f.vni);
    out.push_back({{"overlay", peer.overlay.str()},
                   {"nbma", peer.nbma.str()},
                   {"vnis", std::move(vnis)},
                   {"origin", "static"}});
  }
  return out;
}

}  // namespace nwbpf::daemon
