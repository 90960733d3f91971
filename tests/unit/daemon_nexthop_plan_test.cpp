// SPDX-License-Identifier: Apache-2.0
// The nexthops map's content from route and neighbour facts (what
// query_nexthops reads from the kernel), and how the desired state uses it.
#include <gtest/gtest.h>
#include <linux/neighbour.h>

#include <cstring>

#include "daemon/desired_state.h"
#include "daemon/nexthop_plan.h"
#include "daemon_test_config.h"

namespace nwbpf::daemon {
namespace {

using test::ip;
using test::mac;

const WanDevice kWan{"eth0", 2, mac("02:00:00:00:01:01")};
const Mac kPeerMac = mac("02:00:00:00:02:02");
const Mac kGatewayMac = mac("02:00:00:00:fe:fe");

netlink::Route on_link() { return netlink::Route{2, std::nullopt, false}; }
netlink::Route via(const char* gateway) { return netlink::Route{2, ip(gateway), false}; }
NextHopFacts facts(std::optional<netlink::Route> route, std::optional<netlink::Neighbour> n) {
  return NextHopFacts{route, n, ""};
}

std::string hex(const uint8_t* p, size_t n) {
  std::string out;
  char buf[3];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", p[i]);
    out += buf;
  }
  return out;
}

TEST(NextHopPlan, OnLinkPeerWithAReachableNeighbourGetsItsMacAndTheWans) {
  NextHopSnapshot f{
      {ip("192.168.0.2"), facts(on_link(), netlink::Neighbour{kPeerMac, NUD_REACHABLE})}};
  auto plan = plan_nexthops({ip("192.168.0.2")}, kWan, f);
  ASSERT_EQ(plan.entries.size(), 1u);
  const nwbpf_nexthop& nh = plan.entries.at(ip("192.168.0.2").be);
  // The bytes BPF reads: dmac 02:00:00:00:02:02, smac 02:00:00:00:01:01,
  // ifindex 2 (host order), flags 0, pad 0, the key 192.168.0.2.
  EXPECT_EQ(hex(reinterpret_cast<const uint8_t*>(&nh), sizeof nh),
            "0200000002020200000001010200000000000000c0a80002");
  EXPECT_TRUE(plan.resolve.empty());
  EXPECT_TRUE(plan.warnings.empty());
}

TEST(NextHopPlan, XdpCapableWanMarksEntriesThatLeaveThroughIt) {
  WanDevice wan = kWan;
  wan.xdp_tx = true;
  NextHopSnapshot f{
      {ip("192.168.0.2"), facts(on_link(), netlink::Neighbour{kPeerMac, NUD_REACHABLE})},
      {ip("192.168.0.3"), facts(netlink::Route{7, std::nullopt, false},
                                netlink::Neighbour{kPeerMac, NUD_REACHABLE})},
  };
  auto plan = plan_nexthops({ip("192.168.0.2"), ip("192.168.0.3")}, wan, f);
  ASSERT_EQ(plan.entries.size(), 2u);
  EXPECT_EQ(plan.entries.at(ip("192.168.0.2").be).flags, NWBPF_NH_XDP_TX);
  // Another device: its capability is not the WAN's, so XDP leaves it to TC.
  EXPECT_EQ(plan.entries.at(ip("192.168.0.3").be).flags, 0);
}

TEST(NextHopPlan, PeersBehindOneGatewayShareItsMacAndOneResolution) {
  NextHopSnapshot f{
      {ip("203.0.113.2"), facts(via("192.168.0.254"), netlink::Neighbour{kGatewayMac, NUD_STALE})},
      {ip("203.0.113.3"), facts(via("192.168.0.254"), netlink::Neighbour{kGatewayMac, NUD_STALE})},
  };
  auto plan = plan_nexthops({ip("203.0.113.2"), ip("203.0.113.3")}, kWan, f);
  ASSERT_EQ(plan.entries.size(), 2u);
  for (const auto& [nbma, nh] : plan.entries)
    EXPECT_EQ(hex(nh.dmac, 6), "02000000fefe") << Ipv4{nbma}.str();
  // STALE is used, and re-confirmed: the gateway, once, not the peers.
  EXPECT_EQ(plan.resolve, (std::vector<NeighbourRequest>{{2, ip("192.168.0.254")}}));
}

struct StateCase {
  const char* name;
  std::optional<uint16_t> state;  // nullopt: no neighbour entry at all
  bool entry;
  bool resolve;
};

TEST(NextHopPlan, EachNeighbourStateDecidesEntryAndResolution) {
  const StateCase cases[] = {
      {"no entry", std::nullopt, false, true},     {"NONE", NUD_NONE, false, true},
      {"INCOMPLETE", NUD_INCOMPLETE, false, true}, {"FAILED", NUD_FAILED, false, true},
      {"REACHABLE", NUD_REACHABLE, true, false},   {"STALE", NUD_STALE, true, true},
      {"DELAY", NUD_DELAY, true, false},           {"PROBE", NUD_PROBE, true, false},
      {"PERMANENT", NUD_PERMANENT, true, false},   {"NOARP", NUD_NOARP, true, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::optional<netlink::Neighbour> n;
    if (c.state) n = netlink::Neighbour{kPeerMac, *c.state};
    auto plan =
        plan_nexthops({ip("192.168.0.2")}, kWan, {{ip("192.168.0.2"), facts(on_link(), n)}});
    EXPECT_EQ(plan.entries.size(), c.entry ? 1u : 0u);
    EXPECT_EQ(plan.resolve.size(), c.resolve ? 1u : 0u);
    EXPECT_TRUE(plan.warnings.empty()) << "an unresolved neighbour is ordinary, not a warning";
  }
}

TEST(NextHopPlan, ANeighbourWithoutAMacIsNotUsable) {
  auto plan =
      plan_nexthops({ip("192.168.0.2")}, kWan,
                    {{ip("192.168.0.2"), facts(on_link(), netlink::Neighbour{Mac{}, NUD_NOARP})}});
  EXPECT_TRUE(plan.entries.empty());
}

TEST(NextHopPlan, NoRouteOrOwnAddressIsANoRouteEntryAndAWarning) {
  NextHopSnapshot f{
      {ip("198.51.100.9"), facts(std::nullopt, std::nullopt)},
      {ip("192.168.0.1"), facts(netlink::Route{1, std::nullopt, true}, std::nullopt)},
  };
  auto plan = plan_nexthops({ip("198.51.100.9"), ip("192.168.0.1")}, kWan, f);
  ASSERT_EQ(plan.entries.size(), 2u);
  for (const auto& [nbma, nh] : plan.entries) {
    EXPECT_EQ(nh.flags, NWBPF_NH_NO_ROUTE);
    EXPECT_EQ(nh.ifindex, 2u);
    EXPECT_EQ(hex(nh.dmac, 12), "000000000000000000000000");
  }
  EXPECT_TRUE(plan.resolve.empty());
  EXPECT_EQ(plan.warnings,
            (std::vector<std::string>{
                "NBMA address 198.51.100.9 has no route via WAN device eth0: VXLAN to it is "
                "dropped (drop counter no_route)",
                "NBMA address 192.168.0.1 is an address of this host: VXLAN to it is dropped "
                "(drop counter no_route)"}));
}

TEST(NextHopPlan, AFailedQueryLeavesNoEntryAndWarns) {
  NextHopSnapshot f{{ip("192.168.0.2"), NextHopFacts{std::nullopt, std::nullopt, "netlink down"}}};
  auto plan = plan_nexthops({ip("192.168.0.2")}, kWan, f);
  EXPECT_TRUE(plan.entries.empty());
  EXPECT_TRUE(plan.resolve.empty());
  EXPECT_EQ(plan.warnings,
            std::vector<std::string>{"next hop of NBMA address 192.168.0.2: netlink down"});
}

TEST(NextHopPlan, AddressesNotQueriedYetAreLeftOut) {
  NextHopSnapshot f{
      {ip("192.168.0.9"), facts(on_link(), netlink::Neighbour{kPeerMac, NUD_REACHABLE})}};
  auto plan = plan_nexthops({ip("192.168.0.2")}, kWan, f);
  EXPECT_TRUE(plan.entries.empty()) << "192.168.0.9 is no peer's, 192.168.0.2 has no facts";
  EXPECT_TRUE(plan.resolve.empty());
}

TEST(NextHopPlan, PeerNbmasAreListedOnceInConfigOrder) {
  Config c = test::ce_config();
  c.peers.push_back(PeerConfig{ip("10.0.0.4"), ip("192.168.0.2"), "ce.toml:30:1"});  // shares .2
  EXPECT_EQ(peer_nbmas(c), (std::vector<Ipv4>{ip("192.168.0.2"), ip("192.168.0.3")}));
}

NextHopSnapshot reachable_peers() {
  NextHopSnapshot f;
  f[ip("192.168.0.2")] = facts(on_link(), netlink::Neighbour{kPeerMac, NUD_REACHABLE});
  f[ip("192.168.0.3")] = facts(on_link(), std::nullopt);
  return f;
}

TEST(DesiredNextHops, XdpAndTcModesWantThePlanWithTheWansMac) {
  auto links = test::ce_links();
  links["eth0"].mac = mac("02:00:00:00:01:99");
  for (DataplaneMode mode : {DataplaneMode::xdp, DataplaneMode::tc}) {
    Config c = test::ce_config();
    c.dataplane.mode = mode;
    auto d = compute_desired(c, links, reachable_peers());
    ASSERT_EQ(d.nexthops.size(), 1u);
    const nwbpf_nexthop& nh = d.nexthops.at(ip("192.168.0.2").be);
    EXPECT_EQ(hex(nh.smac, 6), "020000000199");
    EXPECT_EQ(nh.ifindex, 2u);
    EXPECT_EQ(d.resolve, (std::vector<NeighbourRequest>{{2, ip("192.168.0.3")}}));
    EXPECT_TRUE(d.warnings.empty()) << d.warnings.front();
  }
}

TEST(DesiredNextHops, NoneInKernelTunnelModeOrWithoutTheWan) {
  Config c = test::ce_config();
  c.dataplane.mode = DataplaneMode::kernel_tunnel;
  auto links = test::ce_links();
  links["nwbpf-vx0"] = test::link(12);
  auto d = compute_desired(c, links, reachable_peers());
  EXPECT_TRUE(d.nexthops.empty());
  EXPECT_TRUE(d.resolve.empty());

  links = test::ce_links();
  links.erase("eth0");
  d = compute_desired(test::ce_config(), links, reachable_peers());
  EXPECT_TRUE(d.nexthops.empty());
  EXPECT_TRUE(d.resolve.empty());
}

}  // namespace
}  // namespace nwbpf::daemon
