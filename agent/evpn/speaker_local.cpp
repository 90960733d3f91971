// SPDX-License-Identifier: Apache-2.0
// The Speaker's local MACs: origination and withdrawal of their type-2
// routes under RFC 7432 §15 (mac_mobility.h).
#include <fmt/format.h>

#include <stdexcept>

#include "evpn/speaker.h"

namespace nwbpf::evpn {

void Speaker::check_local(const MacKey& mac) const {
  if (!local_.has_vni(mac.vni))
    throw std::invalid_argument(
        fmt::format("local MAC {} in VNI {}, which is not configured", mac.mac.str(), mac.vni));
  if (mac.mac.is_multicast() || mac.mac.is_zero())
    throw std::invalid_argument(
        fmt::format("local MAC {} in VNI {} is not a unicast address", mac.mac.str(), mac.vni));
}

void Speaker::apply(const MacKey& mac, const MobilityDecision& decision, SpeakerOutput& out) {
  if (decision.became_duplicate) {
    out.duplicates.push_back(mac);
    out.notes.push_back(fmt::format(
        "MAC {} in VNI {} moved {} times within {} s: duplicate, no longer advertised",
        mac.mac.str(), mac.vni, config_.duplicate_detection.max_moves,
        std::chrono::duration_cast<std::chrono::seconds>(config_.duplicate_detection.window)
            .count()));
  }
  if (decision.withdraw) {
    rib_.withdraw(kLocalPeer, local_.mac_route_key(mac));
    import_.set_local(mac, std::nullopt);
  }
  if (decision.advertise) {
    rib_.update(local_.mac_route(mac, *decision.advertise));
    import_.set_local(mac, decision.advertise);
  }
}

SpeakerOutput Speaker::mac_learned(const MacKey& mac, bgp::TimePoint now) {
  check_local(mac);
  SpeakerOutput out;
  apply(mac, macs_.learned(mac, import_.best_remote(mac), now), out);
  settle(out, now);
  return out;
}

SpeakerOutput Speaker::mac_removed(const MacKey& mac, bgp::TimePoint now) {
  check_local(mac);
  SpeakerOutput out;
  apply(mac, macs_.removed(mac), out);
  settle(out, now);
  return out;
}

SpeakerOutput Speaker::clear_duplicate(const MacKey& mac, bgp::TimePoint now) {
  check_local(mac);
  SpeakerOutput out;
  apply(mac, macs_.clear_duplicate(mac, import_.best_remote(mac)), out);
  settle(out, now);
  return out;
}

}  // namespace nwbpf::evpn
