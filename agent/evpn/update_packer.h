// SPDX-License-Identifier: Apache-2.0
// Packs EVPN announcements and withdrawals for one peer into as few UPDATEs
// as fit in 4096 octets (RFC 4271 §4.1): routes that share attributes share
// an MP_REACH_NLRI (RFC 4760 §3), withdrawals go together in MP_UNREACH_NLRI
// (RFC 4760 §4). Sizes are measured with the peer's session options, so a
// 2-octet AS session's AS4_PATH is counted.
#pragma once

#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bgp/session_options.h"
#include "bgp/update.h"
#include "evpn/route_types.h"

namespace nwbpf::evpn {

class UpdatePacker {
 public:
  explicit UpdatePacker(bgp::SessionOptions options) : options_(options) {}

  // `attributes` holds MP_REACH_NLRI (family and next hop, no NLRI). Routes
  // given the same pointer are packed together, in the order given. Throws
  // bgp::EncodeError when the attributes alone leave no room for a route, or
  // a route does not encode (a label over 24 bits).
  void announce(const Route& route, std::shared_ptr<const bgp::PathAttributes> attributes);
  // A withdrawal's labels are ignored by the receiver (RFC 7432 §7.2), so the
  // route goes as last advertised.
  void withdraw(const Route& route);
  // End-of-RIB (RFC 4724 §2) after everything else.
  void end_of_rib() { end_of_rib_ = true; }

  // The UPDATEs, withdrawals first, then announcements by attributes in the
  // order the attributes were first given, then End-of-RIB; the packer is
  // empty again. A batch names each route once, so the order between a
  // route's withdrawal and announcement never matters.
  std::vector<bgp::Update> take();

 private:
  // Encoded NLRI and where each route ends in it.
  struct Nlri {
    wire::Bytes bytes;
    std::vector<size_t> ends;
    void add(const Route& route);
  };
  struct Group {
    std::shared_ptr<const bgp::PathAttributes> attributes;
    Nlri nlri;
  };
  // Byte ranges of `nlri`, each as much as fits in one message beside
  // `fixed` octets of attributes and headers, in a multiprotocol attribute
  // whose value without NLRI is `empty_value` octets.
  static std::vector<std::pair<size_t, size_t>> split(const Nlri& nlri, size_t fixed,
                                                      size_t empty_value);

  bgp::SessionOptions options_;
  Nlri withdrawn_;
  std::vector<Group> groups_;
  std::unordered_map<const bgp::PathAttributes*, size_t> group_of_;
  bool end_of_rib_ = false;
};

}  // namespace nwbpf::evpn
