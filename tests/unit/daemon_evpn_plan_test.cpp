// SPDX-License-Identifier: Apache-2.0
// The agent's config as the EVPN speaker's session and RIB configurations
// (daemon/evpn_plan.h).
#include <gtest/gtest.h>

#include "daemon/evpn_plan.h"
#include "daemon_test_config.h"

namespace nwbpf::daemon {
namespace {

using test::ce_config;
using test::ip;

Config with_bgp(std::vector<Role> roles) {
  Config c = ce_config();
  c.agent.roles = std::move(roles);
  BgpConfig b;
  b.as = 65000;
  b.router_id = c.node.overlay_address;
  b.cluster_id = c.node.overlay_address;
  b.password = "s3cret";
  b.route_reflectors = {ip("10.0.0.2"), ip("192.168.0.10")};
  b.listen_range = bgp::Prefix4{ip("10.0.0.0"), 16};
  c.bgp = b;
  return c;
}

TEST(EvpnPlan, ACeConnectsToEveryRouteReflectorByItsNbmaAddress) {
  auto plan = plan_evpn(with_bgp({Role::ce}));
  ASSERT_EQ(plan.sessions.peers.size(), 2u);
  EXPECT_EQ(plan.sessions.peers[0].address, ip("192.168.0.2")) << "10.0.0.2 is a [[peer]]";
  EXPECT_EQ(plan.sessions.peers[1].address, ip("192.168.0.10")) << "not a peer: as written";
  EXPECT_EQ(plan.sessions.peers[0].remote_as, 65000u);
  EXPECT_FALSE(plan.sessions.peers[0].passive);
  EXPECT_EQ(plan.sessions.peers[0].password, "s3cret");
  EXPECT_TRUE(plan.sessions.listen_ranges.empty()) << "a CE accepts no range";
  EXPECT_FALSE(plan.speaker.cluster_id) << "a CE does not reflect";
  EXPECT_EQ(plan.sessions.graceful_restart_time, std::optional<uint16_t>(120));
  EXPECT_TRUE(plan.sessions.forwarding_preserved) << "the BPF data plane outlives nwbpfd";
}

TEST(EvpnPlan, ARouteReflectorNamedByAnOverlayAddressIsLeftToNhrp) {
  Config c = with_bgp({Role::ce});
  c.bgp->route_reflectors = {ip("10.0.0.2"), ip("10.0.0.100"), ip("192.168.0.10")};
  NhrpConfig nhrp;
  nhrp.overlay_range = bgp::Prefix4{ip("10.0.0.0"), 24};
  c.nhrp = nhrp;
  auto plan = plan_evpn(c);
  ASSERT_EQ(plan.sessions.peers.size(), 2u);
  EXPECT_EQ(plan.sessions.peers[0].address, ip("192.168.0.2")) << "a [[peer]] still wins";
  EXPECT_EQ(plan.sessions.peers[1].address, ip("192.168.0.10")) << "outside the overlay";
  ASSERT_EQ(plan.nhrp_reflectors.size(), 1u);
  EXPECT_EQ(plan.nhrp_reflectors[0].address, ip("10.0.0.100"));
  EXPECT_EQ(plan.nhrp_reflectors[0].password, "s3cret");
  EXPECT_EQ(plan.nhrp_reflectors[0].remote_as, 65000u);

  c.nhrp.reset();  // without NHRP an address is an underlay address
  EXPECT_EQ(plan_evpn(c).sessions.peers.size(), 3u);
  EXPECT_TRUE(plan_evpn(c).nhrp_reflectors.empty());
}

TEST(EvpnPlan, DetachingOnExitPreservesNoForwarding) {
  Config c = with_bgp({Role::ce});
  c.agent.detach_on_exit = true;
  EXPECT_FALSE(plan_evpn(c).sessions.forwarding_preserved);
}

TEST(EvpnPlan, ACeAdvertisesTheVlansOfItsPortsAsVnis) {
  Config c = with_bgp({Role::ce});
  c.bgp->vnis = {BgpVniConfig{20, {evpn::RouteTarget::parse("65000:2020").value()}, "ce.toml:50:1"}};
  auto plan = plan_evpn(c);
  ASSERT_EQ(plan.speaker.vnis.size(), 3u);  // vetha 99, vethb 10 and 20
  EXPECT_EQ(plan.speaker.vnis[0].vni, 10u);
  EXPECT_TRUE(plan.speaker.vnis[0].import_targets.empty()) << "automatic AS:VNI";
  EXPECT_EQ(plan.speaker.vnis[1].vni, 20u);
  ASSERT_EQ(plan.speaker.vnis[1].import_targets.size(), 1u);
  EXPECT_EQ(plan.speaker.vnis[1].export_targets, plan.speaker.vnis[1].import_targets);
  EXPECT_EQ(plan.speaker.vnis[2].vni, 99u);
  EXPECT_EQ(plan.speaker.vtep, ip("10.0.0.1"));
  EXPECT_EQ(plan.speaker.router_id, ip("10.0.0.1"));
  EXPECT_EQ(plan.speaker.local_as, 65000u);
}

TEST(EvpnPlan, ARouteServerListensForItsRangeAndReflects) {
  Config c = with_bgp({Role::route_server});
  c.bgp->route_reflectors.clear();
  auto plan = plan_evpn(c);
  EXPECT_TRUE(plan.sessions.peers.empty());
  ASSERT_EQ(plan.sessions.listen_ranges.size(), 1u);
  EXPECT_EQ(plan.sessions.listen_ranges[0].prefix.length, 16);
  EXPECT_EQ(plan.sessions.listen_ranges[0].password, "s3cret");
  EXPECT_EQ(plan.speaker.cluster_id, std::optional<Ipv4>(ip("10.0.0.1")));
  EXPECT_TRUE(plan.speaker.vnis.empty()) << "a pure route server originates nothing";
}

TEST(EvpnPlan, GracefulRestartOffAdvertisesNoCapability) {
  Config c = with_bgp({Role::ce});
  c.bgp->graceful_restart = false;
  EXPECT_FALSE(plan_evpn(c).sessions.graceful_restart_time);
}

}  // namespace
}  // namespace nwbpf::daemon
