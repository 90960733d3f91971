// SPDX-License-Identifier: Apache-2.0
// NHRP's part of the desired state (daemon/nhrp_install.h): bindings become
// peers entries with their epoch, a [[peer]] wins, VTEPs inside the
// overlay range wait for NHRP (their frames go through the relay), the relay
// is accepted as a VXLAN source and gets a next hop, and a route server's
// settings say it relays.
#include <gtest/gtest.h>
#include <linux/neighbour.h>

#include "daemon/desired_state.h"
#include "daemon_test_config.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {
namespace {

using test::ce_config;
using test::ce_links;
using test::ip;

// ce_config() with [nhrp] over 10.0.0.0/24 and an NHS at 192.168.0.254.
Config nhrp_config() {
  Config c = ce_config();
  NhrpConfig n;
  n.overlay_range = bgp::Prefix4{ip("10.0.0.0"), 24};
  n.servers = {ip("192.168.0.254")};
  c.nhrp = n;
  return c;
}

// EVPN names VTEPs 10.0.0.7 (inside the range) and 172.31.0.9 (outside:
// an underlay VTEP such as a plain Linux one) in VNI 99.
EvpnInstall evpn_vteps() {
  EvpnInstall e;
  e.flood[99] = {ip("10.0.0.7"), ip("172.31.0.9")};
  return e;
}

NhrpInstall with_relay() {
  NhrpInstall n;
  n.relay = ip("192.168.0.254");
  n.peers[ip("10.0.0.254")] = NhrpBinding{ip("192.168.0.254"), 0};  // the NHS
  return n;
}

TEST(DesiredStateNhrp, BindingsArePeersWithTheirEpoch) {
  NhrpInstall n = with_relay();
  n.peers[ip("10.0.0.7")] = NhrpBinding{ip("198.51.100.7"), 3};
  auto d = compute_desired(nhrp_config(), ce_links(), {}, evpn_vteps(), n);
  const nwbpf_peer& p = d.peers.at(ip("10.0.0.7").be);
  EXPECT_EQ(p.nbma, ip("198.51.100.7").be);
  EXPECT_EQ(p.epoch, 3);
  EXPECT_EQ(p.flags, 0) << "USED is BPF's to set";
  EXPECT_EQ(p.overlay, ip("10.0.0.7").be);
  EXPECT_EQ(d.peer_nbma.at(nwbpf_peer_nbma_key{ip("198.51.100.7").be}).overlay,
            ip("10.0.0.7").be);
  EXPECT_EQ(d.peers.at(ip("10.0.0.254").be).nbma, ip("192.168.0.254").be);
}

TEST(DesiredStateNhrp, ANattedBindingIsANatPeerWhosePortBpfLearns) {
  NhrpInstall n = with_relay();
  n.peers[ip("10.0.0.7")] = NhrpBinding{ip("203.0.113.7"), 1, true};
  auto d = compute_desired(nhrp_config(), ce_links(), {}, {}, n);
  EXPECT_EQ(d.peers.at(ip("10.0.0.7").be).flags, NWBPF_PEER_NAT);
  EXPECT_EQ(d.peers.at(ip("10.0.0.7").be).nbma_port, 0);
  EXPECT_EQ(d.peers.at(ip("10.0.0.254").be).flags, 0);
  // The kernel encapsulates in kernel-tunnel mode: no BPF to learn a port.
  Config tunnel = nhrp_config();
  tunnel.dataplane.mode = DataplaneMode::kernel_tunnel;
  EXPECT_EQ(compute_desired(tunnel, ce_links(), {}, {}, n).peers.at(ip("10.0.0.7").be).flags, 0);
}

// Behind NAT every frame leaves from one port (flow-hashed ones would each
// open a NAT mapping no peer could answer); a configured port is kept.
TEST(DesiredStateNhrp, BehindNatFramesLeaveFromOnePort) {
  NhrpInstall n = with_relay();
  EXPECT_EQ(compute_desired(nhrp_config(), ce_links(), {}, {}, n).settings.at(0).udp_src_port, 0);
  n.behind_nat = true;
  EXPECT_EQ(compute_desired(nhrp_config(), ce_links(), {}, {}, n).settings.at(0).udp_src_port,
            NWBPF_VXLAN_PORT);
  Config fixed = nhrp_config();
  fixed.dataplane.udp_src_port = 5000;
  EXPECT_EQ(compute_desired(fixed, ce_links(), {}, {}, n).settings.at(0).udp_src_port, 5000);
}

TEST(DesiredStateNhrp, AConfiguredPeerWinsOverNhrp) {
  NhrpInstall n;
  n.peers[ip("10.0.0.2")] = NhrpBinding{ip("198.51.100.2"), 1};
  auto d = compute_desired(nhrp_config(), ce_links(), {}, {}, n);
  EXPECT_EQ(d.peers.at(ip("10.0.0.2").be).nbma, ip("192.168.0.2").be);
  EXPECT_EQ(d.peers.at(ip("10.0.0.2").be).epoch, 0);
  EXPECT_FALSE(d.peer_nbma.contains(nwbpf_peer_nbma_key{ip("198.51.100.2").be}));
}

TEST(DesiredStateNhrp, VtepInsideTheOverlayRangeWaitsForNhrp) {
  auto d = compute_desired(nhrp_config(), ce_links(), {}, evpn_vteps(), with_relay());
  EXPECT_FALSE(d.peers.contains(ip("10.0.0.7").be)) << "no entry: its frames go via the relay";
  EXPECT_EQ(d.peers.at(ip("172.31.0.9").be).nbma, ip("172.31.0.9").be)
      << "outside the range: an underlay address, used as is";
  // Still in the flood list: BUM copies to it are relayed too.
  const nwbpf_flood& f = d.flood.at(99);
  EXPECT_EQ(std::vector<__be32>(f.vtep, f.vtep + f.count),
            (std::vector<__be32>{ip("10.0.0.2").be, ip("10.0.0.3").be, ip("10.0.0.7").be,
                                 ip("172.31.0.9").be}));
}

TEST(DesiredStateNhrp, WithoutNhrpConfigEveryEvpnVtepIsAnUnderlayAddress) {
  auto d = compute_desired(ce_config(), ce_links(), {}, evpn_vteps(), with_relay());
  EXPECT_EQ(d.peers.at(ip("10.0.0.7").be).nbma, ip("10.0.0.7").be);
  EXPECT_EQ(d.peers.at(ip("172.31.0.9").be).nbma, ip("172.31.0.9").be);
}

TEST(DesiredStateNhrp, RelayIsInTheSettingsAcceptedAsASourceAndGetsANextHop) {
  NhrpInstall n;
  n.relay = ip("192.168.0.254");  // its overlay address not known yet
  NextHopSnapshot facts;
  facts[ip("192.168.0.254")] = NextHopFacts{
      netlink::Route{2, std::nullopt, false},
      netlink::Neighbour{test::mac("02:00:00:00:fe:fe"), NUD_REACHABLE}, ""};
  auto d = compute_desired(nhrp_config(), ce_links(), facts, {}, n);
  EXPECT_EQ(d.settings.at(0).relay_nbma, ip("192.168.0.254").be);
  EXPECT_EQ(d.settings.at(0).flags & NWBPF_SET_RELAY, 0) << "a CE does not relay";
  const auto& pn = d.peer_nbma.at(nwbpf_peer_nbma_key{ip("192.168.0.254").be});
  EXPECT_EQ(pn.overlay, ip("192.168.0.254").be);
  EXPECT_FALSE(d.peers.contains(ip("192.168.0.254").be));
  auto nbmas = peer_nbmas(d);
  EXPECT_NE(std::find(nbmas.begin(), nbmas.end(), ip("192.168.0.254")), nbmas.end());
  ASSERT_TRUE(d.nexthops.contains(ip("192.168.0.254").be));
  EXPECT_EQ(d.nexthops.at(ip("192.168.0.254").be).ifindex, 2u);
}

TEST(DesiredStateNhrp, OnceTheNhsOverlayIsKnownItsBindingNamesTheRelay) {
  auto d = compute_desired(nhrp_config(), ce_links(), {}, {}, with_relay());
  EXPECT_EQ(d.peer_nbma.at(nwbpf_peer_nbma_key{ip("192.168.0.254").be}).overlay,
            ip("10.0.0.254").be);
}

TEST(DesiredStateNhrp, NoRelayMeansZero) {
  auto d = compute_desired(nhrp_config(), ce_links(), {}, evpn_vteps());
  EXPECT_EQ(d.settings.at(0).relay_nbma, 0u);
  EXPECT_FALSE(d.peers.contains(ip("10.0.0.7").be)) << "dropped (and asked for) until resolved";
}

TEST(DesiredStateNhrp, RouteServerRelaysToItsRegistrationsAndResolvesThemAll) {
  Config c = nhrp_config();
  c.agent.roles = {Role::route_server};
  c.peers.clear();
  c.flood.clear();
  NhrpInstall registrations;
  registrations.peers[ip("10.0.0.2")] = NhrpBinding{ip("192.168.0.2"), 0};
  registrations.peers[ip("10.0.0.3")] = NhrpBinding{ip("203.0.113.3"), 0};  // NAT'd
  auto d = compute_desired(c, ce_links(), {}, {}, registrations);
  EXPECT_EQ(d.settings.at(0).flags & NWBPF_SET_RELAY, NWBPF_SET_RELAY);
  EXPECT_EQ(d.settings.at(0).relay_nbma, 0u);
  EXPECT_EQ(peer_nbmas(d), (std::vector<Ipv4>{ip("192.168.0.2"), ip("203.0.113.3")}));
  EXPECT_EQ(d.peer_nbma.size(), 2u);

  c.agent.roles = {Role::ce, Role::route_server};
  EXPECT_EQ(compute_desired(c, ce_links()).settings.at(0).flags & NWBPF_SET_RELAY,
            NWBPF_SET_RELAY);
}

}  // namespace
}  // namespace nwbpf::daemon
