// SPDX-License-Identifier: Apache-2.0
#include "daemon/link_snapshot.h"

namespace nwbpf::daemon {

std::vector<std::string> link_changes(const LinkSnapshot& before, const LinkSnapshot& after) {
  std::vector<std::string> lines;
  for (const auto& [name, now] : after) {
    auto it = before.find(name);
    if (it == before.end()) {
      lines.push_back(name + " appeared (ifindex " + std::to_string(now.ifindex) + ")");
    } else if (it->second.ifindex != now.ifindex) {
      lines.push_back(name + " was replaced (ifindex " + std::to_string(it->second.ifindex) +
                      " -> " + std::to_string(now.ifindex) + ")");
    } else if (it->second.xdp_tx != now.xdp_tx) {
      lines.push_back(name + ": XDP redirect " + (now.xdp_tx ? "now" : "no longer") +
                      " delivered (" + now.xdp_reason + ")");
    }
  }
  for (const auto& [name, was] : before)
    if (!after.contains(name))
      lines.push_back(name + " disappeared (was ifindex " + std::to_string(was.ifindex) + ")");
  return lines;
}

}  // namespace nwbpf::daemon
