// SPDX-License-Identifier: Apache-2.0
// What a decoded UPDATE means for the EVPN RIB: the L2VPN EVPN routes of its
// MP_REACH_NLRI (announced, sharing one PathInfo) and MP_UNREACH_NLRI
// (withdrawn), with RFC 7606 treat-as-withdraw and the loop prevention of
// RFC 4456 §8 and RFC 4271 §9.1.2 applied. Other families are not ours and
// are ignored.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/error.h"
#include "bgp/update.h"
#include "evpn/path.h"

namespace nwbpf::evpn {

// Who we are, for loop prevention.
struct LoopPolicy {
  uint32_t local_as = 0;
  Ipv4 router_id;
  std::optional<Ipv4> cluster_id;  // set when we reflect (RFC 4456)
};

// The peer an UPDATE came from.
struct Sender {
  Ipv4 address;
  Ipv4 router_id;
  bool internal = true;
};

struct Received {
  std::vector<Route> announced;
  std::shared_ptr<const PathInfo> info;  // of every announced route
  // Withdrawn routes; also the announced ones of a treat-as-withdraw UPDATE
  // and of one that loop prevention rejects (the route replaces, so removes,
  // what the peer said before).
  std::vector<RouteKey> withdrawn;
  // Why announced routes were withdrawn instead, for the log.
  std::optional<std::string> rejected;
  // Rejected by loop prevention: routine (FRR reflects a client's routes
  // back to it), worth a debug line only.
  bool looped = false;
  bool end_of_rib = false;  // RFC 4724 §2 marker for L2VPN EVPN
};

// An EVPN NLRI that does not decode is a session reset (RFC 7606 §5.4, §7.3:
// the routes cannot be withdrawn). The Error is UPDATE Message Error /
// Optional Attribute Error (RFC 4271 §6.3, as FRR sends for a bad
// MP_REACH_NLRI) with the attribute as its data; the offset is unknown here
// (0) and the text holds the codec's message with the offset in the NLRI.
bgp::Result<Received> read_update(const bgp::Update& update, const Sender& sender,
                                  const LoopPolicy& policy);

}  // namespace nwbpf::evpn
