// SPDX-License-Identifier: Apache-2.0
// What the EVPN speaker has imported for the data plane (evpn/import.h),
// as one input of the desired state: remote MACs by VTEP (type 2) and flood
// VTEPs per VNI (type 3). The desired state merges it with the config's
// static tables (config/README.md, "EVPN next to static entries"):
// - a [[fdb]] entry wins over a type-2 route for the same VNI and MAC;
// - [[flood]] VTEPs are added to the type-3 ones;
// - a VTEP that is a [[peer]]'s overlay address goes to that peer's NBMA
//   address; any other VTEP is an underlay address, used as is (how a plain
//   Linux/FRR VTEP interoperates, until NHRP resolves overlay addresses).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include "common/net_types.h"

namespace nwbpf::daemon {

struct EvpnInstall {
  std::map<std::pair<uint32_t, Mac>, Ipv4> macs;  // (VNI, MAC) -> VTEP
  std::map<uint32_t, std::set<Ipv4>> flood;       // VNI -> VTEPs
  bool empty() const { return macs.empty() && flood.empty(); }
};

}  // namespace nwbpf::daemon
