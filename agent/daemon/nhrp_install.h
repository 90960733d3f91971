// SPDX-License-Identifier: Apache-2.0
// What NHRP has resolved for the data plane, as one input of the desired
// state (daemon/desired_state.h):
// - `peers`: overlay -> NBMA bindings: on a CE its shortcuts and the NHSes
//   it registered with (their overlay address comes with the reply); on a
//   route server its registration cache, which its XDP relay reads;
// - `relay`: on a CE, the NBMA address of the route server that frames for
//   a VTEP without a binding go through (the first NHS registered with);
// - `accept`: overlay -> NBMA bindings to receive from but not yet send to
//   (a requester's binding learned from its forwarded Resolution Request,
//   nhrp_service.cpp): only their `peer_nbma` entries;
// - `epoch` of a binding: the agent changes it to rewrite the entry, which
//   clears the data plane's "used" mark (NWBPF_PEER_USED) for the next
//   period of a shortcut's life;
// - `natted` of a binding: NHRP's NAT extension says the peer is behind NAT
//   (its NBMA address is the NAT's): the data plane sends to it from the
//   VXLAN port to the port its own frames came from (NWBPF_PEER_NAT);
// - `behind_nat`: a CE whose NHS saw it at another address than its own:
//   its frames leave from one fixed UDP port (settings.udp_src_port) so
//   that each peer gets one NAT mapping it can answer (daemon/nat_probe.h).
// With [nhrp], an overlay address (inside nhrp.overlay_range) that is not a
// [[peer]] gets a `peers` entry only from here: until then its frames go
// through the relay.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "common/net_types.h"

namespace nwbpf::daemon {

struct NhrpBinding {
  Ipv4 nbma;
  uint8_t epoch = 0;
  bool natted = false;
  bool operator==(const NhrpBinding&) const = default;
};

struct NhrpInstall {
  std::map<Ipv4, NhrpBinding> peers;  // overlay -> NBMA
  std::map<Ipv4, Ipv4> accept;        // overlay -> NBMA, receive only
  std::optional<Ipv4> relay;          // NBMA address of the route server to relay through
  bool behind_nat = false;
  bool operator==(const NhrpInstall&) const = default;
};

}  // namespace nwbpf::daemon
