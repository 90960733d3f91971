// SPDX-License-Identifier: Apache-2.0
// NAT traversal, send side: to a peer behind NAT (NWBPF_PEER_NAT) frames
// leave from UDP port 4789 to the port learned from it (lib/encap.h), XDP,
// TC and BUM copies alike; until that port is known they go through the
// route server without asking the agent (no PEER_MISS), or are dropped
// nat_port_unknown. The route server relays to such a peer the same way.
#include <linux/bpf.h>
#include <netinet/in.h>

#include "support/capture.h"
#include "support/fixture.h"

namespace nwbpf::test {
namespace {

constexpr uint16_t kFixedSport = 54321;
constexpr size_t kUdpCheck = 14 + 20 + 6;

// Marks overlay as behind NAT with port (host order; 0: not learned yet),
// as the agent (the flag) and BPF (the port) write them.
void set_nat(TestDatapath& dp, uint32_t overlay, uint16_t port) {
  nwbpf_peer p = dp.peers().lookup(overlay).value();
  p.flags = NWBPF_PEER_NAT;
  p.nbma_port = htons(port);
  dp.peers().update(overlay, p);
}

// A CE whose peer 10.0.0.2 (at 192.168.0.2, its NAT) is behind NAT; the
// route server is 10.0.0.3 at 192.168.0.3.
class NatTxTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
    set_udp_src_port(kFixedSport);  // the flow's port, for peers not behind NAT
    set_relay_nbma(kNbma3);
    set_nat(*dp, kVtep2, 0);
    dp->events();
  }
  // To 10.0.0.2 through its NAT: from port 4789 to port.
  static Bytes to_nat(uint16_t port, const Bytes& inner) {
    Ipv4Opts o;
    o.df = true;
    return ether(kNbma2Mac, kWanMac, kEthIp,
                 ipv4(kLocalNbma, kNbma2, IPPROTO_UDP, udp(kVxlanPort, port, vxlan(kVlanA, inner)), o));
  }
  static Bytes via_route_server(const Bytes& inner) {
    return mark_relayed(to_peer(kNbma3Mac, kNbma3, kFixedSport, kVlanA, inner), kVtep2);
  }
  size_t peer_misses() {
    size_t n = 0;
    for (const auto& ev : dp->events()) n += ev.type == NWBPF_EV_PEER_MISS;
    return n;
  }
};

TEST_F(NatTxTest, XdpSendsFromTheVxlanPortToTheLearnedOne) {
  set_nat(*dp, kVtep2, 40001);
  auto inner = host_frame(kR2, kH1);
  auto r = xdp_edge(inner, e1);
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(to_nat(40001, inner)));
  EXPECT_EQ(ipv4_checksum(r.out.data() + 14, 20), 0);
  EXPECT_EQ(hex(Bytes(r.out.begin() + 34, r.out.begin() + kUdpCheck + 2)), "12 b5 9c 41 00 7a 00 00 ")
      << "4789 -> 40001, checksum 0 (RFC 7348 section 5)";
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY_OUT), 0u);
  EXPECT_EQ(dp->peers().lookup(kVtep2)->flags, NWBPF_PEER_NAT | NWBPF_PEER_USED);
}

TEST_F(NatTxTest, TcSendsTheSameBytes) {
  set_nat(*dp, kVtep2, 40001);
  set_mode(NWBPF_MODE_TC);
  auto inner = host_frame(kR2, kH1);
  auto r = tc_edge(inner, e1);
  ASSERT_EQ(r.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(to_nat(40001, inner)));
}

TEST_F(NatTxTest, WithoutAPortFramesGoThroughTheRouteServerAndTheAgentIsNotAsked) {
  auto inner = host_frame(kR2, kH1);
  auto x = xdp_edge(inner, e1);
  ASSERT_EQ(x.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(x.out), hex(via_route_server(inner)));
  auto t = tc_edge(inner, e1);
  ASSERT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(t.out), hex(via_route_server(inner)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY_OUT), 2u);
  EXPECT_EQ(peer_misses(), 0u) << "the agent has the binding: nothing to resolve";
  EXPECT_EQ(dp->peers().lookup(kVtep2)->flags, NWBPF_PEER_NAT | NWBPF_PEER_USED)
      << "in use all the same";
}

TEST_F(NatTxTest, WithoutAPortOrARouteServerTheyAreDropped) {
  set_relay_nbma(0);
  auto inner = host_frame(kR2, kH1);
  EXPECT_EQ(xdp_edge(inner, e1).verdict, XDP_DROP);
  EXPECT_EQ(tc_edge(inner, e1).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_NAT_PORT_UNKNOWN), 2u) << dp->drops_summary();
  EXPECT_EQ(peer_misses(), 0u);
}

TEST_F(NatTxTest, KernelTunnelModeDropsThemToo) {
  set_mode(NWBPF_MODE_KERNEL_TUNNEL);
  auto s = dp->settings();
  s.tunnel_ifindex = e3;  // any device: the frame must not get that far
  dp->set_settings(s);
  EXPECT_EQ(tc_edge(host_frame(kR2, kH1), e1).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_NAT_PORT_UNKNOWN), 1u) << dp->drops_summary();
}

// BUM: one copy per VTEP of the flood list, captured on the WAN's peer.
class NatFloodTest : public NatTxTest {
 protected:
  void SetUp() override {
    NatTxTest::SetUp();
    dp->set_flood(kVlanA, {kVtep2, kVtep3});  // the NAT peer first: its port must not stick
    cw = std::make_unique<Capture>("wanp");
  }
  std::vector<std::string> flood(const Bytes& in) {
    EXPECT_EQ(tc_edge(in, e1).verdict, kTcStolen) << dp->drops_summary();
    std::vector<std::string> out;
    for (const auto& f : cw->drain()) out.push_back(hex(f));
    return out;
  }
  std::unique_ptr<Capture> cw;
};

TEST_F(NatFloodTest, CopyToALearnedPortAndTheNextCopyFromTheFlowsPort) {
  set_nat(*dp, kVtep2, 40001);
  auto in = host_frame(kBroadcast, kH1);
  EXPECT_EQ(flood(in), (std::vector<std::string>{
                           hex(to_nat(40001, in)),
                           hex(to_peer(kNbma3Mac, kNbma3, kFixedSport, kVlanA, in)),
                       }));
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_REMOTE), 2u);
}

TEST_F(NatFloodTest, CopyToAPeerWithoutAPortGoesThroughTheRouteServer) {
  auto in = host_frame(kBroadcast, kH1);
  EXPECT_EQ(flood(in), (std::vector<std::string>{
                           hex(via_route_server(in)),
                           hex(to_peer(kNbma3Mac, kNbma3, kFixedSport, kVlanA, in)),
                       }));
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY_OUT), 1u);
  EXPECT_EQ(peer_misses(), 0u);
}

TEST_F(NatFloodTest, WithoutARouteServerOnlyThatCopyIsDropped) {
  set_relay_nbma(0);
  auto in = host_frame(kBroadcast, kH1);
  EXPECT_EQ(flood(in), std::vector<std::string>{hex(to_peer(kNbma3Mac, kNbma3, kFixedSport, kVlanA, in))});
  EXPECT_EQ(dp->drop(NWBPF_DROP_NAT_PORT_UNKNOWN), 1u);
}

// We are the route server (192.168.0.1); the CE 10.0.0.3 at 192.168.0.3
// is behind NAT, and 10.0.0.2 sends it a frame through us.
class NatRelayTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    set_relaying();
    set_nat(*dp, kVtep3, 0);
  }
  // With a UDP checksum, which the relay cannot keep (its pseudo-header changes).
  static Bytes from_ce2(const Bytes& inner) {
    Bytes f = mark_relayed(from_peer(kNbma2, kVlanA, inner), kVtep3);
    f.at(kUdpCheck) = 0x5a;
    f.at(kUdpCheck + 1) = 0xa5;
    return f;
  }
  static Bytes to_ce3(uint16_t port, const Bytes& inner) {
    Ipv4Opts o;
    o.ttl = 63;
    return mark_relayed(ether(kNbma3Mac, kWanMac, kEthIp,
                              ipv4(kLocalNbma, kNbma3, IPPROTO_UDP,
                                   udp(kVxlanPort, port, vxlan(kVlanA, inner)), o)),
                        kVtep2);
  }
};

TEST_F(NatRelayTest, ToALearnedPortFromTheVxlanPort) {
  set_nat(*dp, kVtep3, 40003);
  auto inner = host_frame(kR2, kH1);
  auto x = xdp_wan(from_ce2(inner));
  ASSERT_EQ(x.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(x.out), hex(to_ce3(40003, inner))) << "UDP checksum 0, IPv4 checksum updated";
  EXPECT_EQ(ipv4_checksum(x.out.data() + 14, 20), 0);
  auto t = tc_wan(from_ce2(inner));
  ASSERT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(t.out), hex(to_ce3(40003, inner)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 2u);
}

TEST_F(NatRelayTest, PortNotLearnedYetIsADrop) {
  auto f = from_ce2(host_frame(kR2, kH1));
  EXPECT_EQ(xdp_wan(f).verdict, XDP_DROP);
  EXPECT_EQ(tc_wan(f).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_NAT_PORT_UNKNOWN), 2u) << dp->drops_summary();
  EXPECT_EQ(dp->stat(NWBPF_STAT_RELAY), 0u);
  for (const auto& ev : dp->events()) EXPECT_NE(ev.type, NWBPF_EV_RELAYED);
}

TEST_F(NatRelayTest, TheRouteServerLearnsAnOriginsPortFromWhatItRelays) {
  set_nat(*dp, kVtep2, 0);
  set_nat(*dp, kVtep3, 40003);
  Bytes f = from_ce2(host_frame(kR2, kH1));
  f.at(34) = 40002 >> 8;  // UDP source port: what 10.0.0.2's NAT picked
  f.at(35) = 40002 & 0xff;
  ASSERT_EQ(xdp_wan(f).verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(ntohs(dp->peers().lookup(kVtep2)->nbma_port), 40002);
}

}  // namespace
}  // namespace nwbpf::test
