// SPDX-License-Identifier: Apache-2.0
// Helpers for the EVPN RIB and speaker tests: routes, the UPDATEs a remote
// VTEP or route reflector sends, sessions, and reading back what the
// speaker sends.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string_view>
#include <vector>

#include "bgp/negotiate.h"
#include "bgp/timers.h"
#include "bgp/update.h"
#include "evpn/speaker.h"
#include "evpn_test_support.h"

namespace nwbpf::evpn::test {

inline constexpr uint32_t kAs = 65000;

// A fixed origin for the injected clock.
inline bgp::TimePoint at(std::chrono::seconds s) {
  return bgp::TimePoint{} + std::chrono::hours(1) + s;
}

inline RouteDistinguisher rd(std::string_view text) {
  return RouteDistinguisher::parse(text).value();
}

inline MacIpRoute mac_route(std::string_view rd_text, std::string_view mac_text, uint32_t vni) {
  return MacIpRoute{{rd(rd_text), 0, mac(mac_text), std::nullopt}, Esi{}, vni, std::nullopt};
}
// The n-th of many MACs (02:00:00:nn:nn:nn) in VNI 100.
inline MacIpRoute nth_mac(std::string_view rd_text, uint32_t n) {
  auto route = mac_route(rd_text, "02:00:00:00:00:00", 100);
  route.key.mac.bytes[3] = uint8_t(n >> 16);
  route.key.mac.bytes[4] = uint8_t(n >> 8);
  route.key.mac.bytes[5] = uint8_t(n);
  return route;
}
inline InclusiveMulticastRoute multicast_route(std::string_view rd_text, std::string_view vtep) {
  return InclusiveMulticastRoute{{rd(rd_text), 0, v4(vtep)}};
}

inline wire::Bytes address(std::string_view text) {
  Ipv4 ip = v4(text);
  const auto* b = reinterpret_cast<const uint8_t*>(&ip.be);
  return {b, b + 4};
}

inline bgp::ExtCommunity community(const ExtCommunity& value) {
  return encode_ext_community(value).value();
}
inline bgp::ExtCommunity auto_rt(uint32_t vni) {
  return community(RouteTarget::automatic(kAs, vni));
}
inline bgp::ExtCommunity vxlan() { return community(Encapsulation{Encapsulation::vxlan}); }
inline bgp::ExtCommunity sequence(uint32_t seq) { return community(MacMobility{false, seq}); }

// What a VTEP at `next_hop` attaches to its routes (as FRR does).
inline bgp::PathAttributes vtep_attributes(std::string_view next_hop,
                                           std::vector<bgp::ExtCommunity> communities) {
  bgp::PathAttributes attrs;
  attrs.origin = bgp::Origin::igp;
  attrs.as_path = bgp::AsPath{};
  attrs.local_pref = 100;
  attrs.mp_reach = bgp::MpReach{bgp::kL2vpnEvpn, address(next_hop), {}};
  attrs.ext_communities = std::move(communities);
  return attrs;
}

inline wire::Bytes nlri(const std::vector<Route>& routes) {
  wire::Bytes out;
  for (const auto& route : routes) EXPECT_TRUE(encode_route(route, out));
  return out;
}

inline bgp::Update announce(const std::vector<Route>& routes, bgp::PathAttributes attrs) {
  bgp::Update update;
  attrs.mp_reach->nlri = nlri(routes);
  update.attributes = std::move(attrs);
  return update;
}

inline bgp::Update withdraw(const std::vector<Route>& routes) {
  bgp::Update update;
  update.attributes.mp_unreach = bgp::MpUnreach{bgp::kL2vpnEvpn, nlri(routes)};
  return update;
}

inline bgp::Session session(std::string_view router_id,
                            std::optional<bgp::GracefulRestart> gr = std::nullopt) {
  bgp::Session s;
  s.peer_as = kAs;
  s.peer_id = v4(router_id);
  s.internal = true;
  s.hold_time = std::chrono::seconds(90);
  s.four_octet_as = true;
  s.families = {bgp::kL2vpnEvpn};
  s.peer_graceful_restart = std::move(gr);
  return s;
}

inline bgp::GracefulRestart graceful_restart(uint16_t seconds, bool forwarding) {
  return bgp::GracefulRestart{false, false, seconds, {{bgp::kL2vpnEvpn, forwarding}}};
}

// A CE (route-reflector client) with the given VNIs.
inline SpeakerConfig ce_config(std::string_view router_id, std::vector<uint32_t> vnis) {
  SpeakerConfig config;
  config.local_as = kAs;
  config.router_id = v4(router_id);
  config.vtep = v4(router_id);
  for (uint32_t vni : vnis) config.vnis.push_back(VniConfig{vni, {}, {}, {}});
  return config;
}

// A route server: route reflector with cluster id = its overlay address.
inline SpeakerConfig rr_config(std::string_view router_id) {
  SpeakerConfig config;
  config.local_as = kAs;
  config.router_id = v4(router_id);
  config.cluster_id = v4(router_id);
  config.vtep = v4(router_id);
  return config;
}

// Unwraps receive()'s result, failing the test on an Error.
inline SpeakerOutput ok(bgp::Result<SpeakerOutput> result) {
  if (auto* error = std::get_if<bgp::Error>(&result)) {
    ADD_FAILURE() << "unexpected error: " << error->text;
    return {};
  }
  return std::move(std::get<SpeakerOutput>(result));
}

// The UPDATEs of `out` to `peer`.
inline std::vector<bgp::Update> sent_to(const SpeakerOutput& out, std::string_view peer) {
  std::vector<bgp::Update> updates;
  for (const auto& o : out.send)
    if (o.peer == v4(peer)) updates.push_back(o.update);
  return updates;
}

// Routes announced / withdrawn in `updates`, End-of-RIB markers counted.
struct Sent {
  std::vector<Route> announced;
  std::vector<Route> withdrawn;
  size_t end_of_rib = 0;
};
inline Sent read_sent(const std::vector<bgp::Update>& updates) {
  Sent sent;
  for (const auto& u : updates) {
    if (bgp::end_of_rib_family(u) == bgp::kL2vpnEvpn) {
      ++sent.end_of_rib;
      continue;
    }
    if (u.attributes.mp_reach)
      for (auto& r : decode(u.attributes.mp_reach->nlri)) sent.announced.push_back(r);
    if (u.attributes.mp_unreach)
      for (auto& r : decode(u.attributes.mp_unreach->withdrawn)) sent.withdrawn.push_back(r);
  }
  return sent;
}
inline Sent read_sent(const SpeakerOutput& out, std::string_view peer) {
  return read_sent(sent_to(out, peer));
}

inline RemoteMac remote(uint32_t vni, std::string_view mac_text, std::string_view vtep,
                        uint32_t seq = 0) {
  return RemoteMac{vni, mac(mac_text), v4(vtep), seq};
}

}  // namespace nwbpf::evpn::test
