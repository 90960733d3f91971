// SPDX-License-Identifier: Apache-2.0
#include "dataplane/port_table.h"

#include <stdexcept>
#include <string>

namespace nwbpf {

nwbpf_port PortTable::occupant(__u32 ifindex) const {
  return slots_.lookup(slot_of(ifindex)).value_or(nwbpf_port{});
}

std::vector<std::pair<__u32, nwbpf_port>> PortTable::entries() const {
  std::vector<std::pair<__u32, nwbpf_port>> out;
  for (const auto& [slot, port] : slots_.entries())
    if (port.ifindex) out.emplace_back(port.ifindex, port);
  for (const auto& entry : overflow_.entries()) out.push_back(entry);
  return out;
}

std::optional<nwbpf_port> PortTable::lookup(__u32 ifindex) const {
  nwbpf_port held = occupant(ifindex);
  if (ifindex && held.ifindex == ifindex) return held;
  return overflow_.lookup(ifindex);
}

void PortTable::update(__u32 ifindex, const nwbpf_port& value) {
  if (!ifindex || value.ifindex != ifindex)
    throw std::invalid_argument("port entry for ifindex " + std::to_string(ifindex) +
                                " names ifindex " + std::to_string(value.ifindex));
  nwbpf_port held = occupant(ifindex);
  if (held.ifindex && held.ifindex != ifindex) {
    overflow_.update(ifindex, value);
    return;
  }
  slots_.update(slot_of(ifindex), value);
  if (!held.ifindex) overflow_.erase(ifindex);  // moved in, if it was there
}

bool PortTable::erase(__u32 ifindex) {
  if (ifindex && occupant(ifindex).ifindex == ifindex) {
    slots_.update(slot_of(ifindex), nwbpf_port{});
    return true;
  }
  return overflow_.erase(ifindex);
}

}  // namespace nwbpf
