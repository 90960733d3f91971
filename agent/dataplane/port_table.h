// SPDX-License-Identifier: Apache-2.0
// The data plane's ports as one ifindex -> port table over its two maps
// (maps/port.h): the ARRAY "ports", where a port sits in slot
// ifindex % NWBPF_PORT_SLOTS so BPF finds it with an inlined load, and the
// HASH "ports_overflow" for a port whose slot another port holds. Callers
// (the reconciler, the views) see ifindex keys only; the placing is here.
//
// Placing is sticky: a port keeps the slot it has, a new port takes its slot
// if free, else goes to the overflow; a port in the overflow moves into its
// slot when the slot is free at its next update. Every move writes the new
// place before clearing the old one, so BPF always finds the port.
//
// A slot is rewritten in place (an ARRAY update copies the value), so a
// frame racing a change to that port may see some old and some new bits of
// its VLAN bitmaps: each bit it reads is either the old or the new answer,
// as if the frame had come a moment earlier or later.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "dataplane/bpf_map.h"
#include "maps/port.h"

namespace nwbpf {

class PortTable {
 public:
  PortTable(BpfMap<__u32, nwbpf_port> slots, BpfMap<__u32, nwbpf_port> overflow)
      : slots_(std::move(slots)), overflow_(std::move(overflow)) {}

  static __u32 slot_of(__u32 ifindex) { return ifindex % NWBPF_PORT_SLOTS; }

  // Every port: the slots' occupants, then the overflow.
  std::vector<std::pair<__u32, nwbpf_port>> entries() const;
  std::optional<nwbpf_port> lookup(__u32 ifindex) const;
  // Adds or changes port `ifindex`; value.ifindex must equal it (throws
  // std::invalid_argument otherwise: BPF matches the slot by that field).
  void update(__u32 ifindex, const nwbpf_port& value);
  // Returns false if the port was absent.
  bool erase(__u32 ifindex);

 private:
  // The occupant of ifindex's slot (ifindex 0: empty).
  nwbpf_port occupant(__u32 ifindex) const;

  BpfMap<__u32, nwbpf_port> slots_;
  BpfMap<__u32, nwbpf_port> overflow_;
};

}  // namespace nwbpf
