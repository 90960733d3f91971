// SPDX-License-Identifier: Apache-2.0
// The programs attached for real: frames sent into a veth with AF_PACKET go
// through the kernel's own receive path (VLAN offload, clsact, veth XDP,
// the collect_md VXLAN device) and are captured where they come out. This
// checks what BPF_PROG_RUN cannot: redirect targets, tags carried in skb
// metadata, and the kernel-tunnel path.
#include <linux/bpf.h>
#include <netinet/in.h>

#include <cstring>
#include <fstream>
#include <string>

#include "support/capture.h"
#include "support/fixture.h"

namespace nwbpf::test {
namespace {

constexpr uint16_t kFixedSport = 54321;

class LiveTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    set_udp_src_port(kFixedSport);
    dp->add_fdb(kVlanA, kH1, fdb_local(e1));
    dp->add_fdb(kVlanA, kH2, fdb_local(e2));
    dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
    pass_fd = load_xdp_pass();
  }
  void TearDown() override { close(pass_fd); }
  // An XDP program on a veth's peer makes XDP redirects into the veth arrive.
  void accept_xdp_redirects(const char* peer) { attach_xdp(TestNetns::ifindex(peer), pass_fd); }
  int pass_fd = -1;
};

TEST_F(LiveTest, XdpEncapsulatesOutOfTheWanDevice) {
  attach_xdp(e1, dp->prog_fd("xdp_edge"));
  accept_xdp_redirects("wanp");
  Capture in("e1p"), out("wanp");
  auto frame = host_frame(kR2, kH1);
  in.send(frame);
  EXPECT_EQ(hex(out.next().value_or(Bytes{})),
            hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, frame)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 1u);
}

TEST_F(LiveTest, XdpDecapsulatesOutOfTheTaggedPort) {
  attach_xdp(wan, dp->prog_fd("xdp_wan"));
  accept_xdp_redirects("e2p");
  Capture in("wanp"), out("e2p"), other("e1p");
  in.send(from_peer(kNbma2, kVlanA, host_frame(kH2, kR2)));
  EXPECT_EQ(hex(out.next().value_or(Bytes{})), hex(host_frame(kH2, kR2, kVlanA)));
  EXPECT_TRUE(other.drain(50).empty());
  EXPECT_EQ(dp->stat(NWBPF_STAT_DECAP), 1u);
}

TEST_F(LiveTest, XdpHandsBroadcastToTcWhichFloods) {
  attach_xdp(e1, dp->prog_fd("xdp_edge"));
  attach_tc_ingress(e1, dp->prog_fd("tc_edge"));
  Capture in("e1p"), e2cap("e2p"), wancap("wanp");
  auto frame = host_frame(kBroadcast, kH1);
  in.send(frame);
  EXPECT_EQ(hex(e2cap.next().value_or(Bytes{})), hex(host_frame(kBroadcast, kH1, kVlanA)));
  EXPECT_EQ(wancap.drain().size(), 2u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_XDP_TO_TC), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_EDGE_RX), 1u) << "counted once, by XDP";
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_LOCAL), 1u);
}

TEST_F(LiveTest, TcTagsThroughSkbMetadata) {
  attach_tc_ingress(e1, dp->prog_fd("tc_edge"));
  Capture in("e1p"), out("e2p");
  in.send(host_frame(kH2, kH1));
  EXPECT_EQ(hex(out.next().value_or(Bytes{})), hex(host_frame(kH2, kH1, kVlanA)));
}

TEST_F(LiveTest, TcClassifiesATagCarriedInSkbMetadata) {
  // As from a VLAN device over a veth: e2p's egress puts VLAN 99 in metadata.
  int tag_fd = load_tc_vlan_push(kVlanA);
  attach_tc_egress(TestNetns::ifindex("e2p"), tag_fd);
  attach_tc_ingress(e2, dp->prog_fd("tc_edge"));
  Capture in("e2p"), out("e1p");
  in.send(host_frame(kH1, kH2));
  EXPECT_EQ(hex(out.next().value_or(Bytes{})), hex(host_frame(kH1, kH2)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_FWD_LOCAL), 1u) << dp->drops_summary();
  close(tag_fd);
}

TEST_F(LiveTest, XdpOnAVethDoesNotSeeATagCarriedInSkbMetadata) {
  // Why edge hosts on veths turn tx VLAN offload off: veth XDP gets the frame
  // without the tag the sender's stack left in metadata, so a tagged port
  // (no PVID) drops it. Native NICs with rxvlan on behave alike.
  int tag_fd = load_tc_vlan_push(kVlanA);
  attach_tc_egress(TestNetns::ifindex("e2p"), tag_fd);
  attach_xdp(e2, dp->prog_fd("xdp_edge"));
  Capture in("e2p"), out("e1p");
  in.send(host_frame(kH1, kH2));
  EXPECT_TRUE(out.drain(200).empty());
  EXPECT_EQ(dp->drop(NWBPF_DROP_VLAN_NOT_ALLOWED), 1u);
  close(tag_fd);
}

TEST_F(LiveTest, TcDecapsulatesFromTheWan) {
  set_mode(NWBPF_MODE_TC);
  attach_tc_ingress(wan, dp->prog_fd("tc_wan"));
  Capture in("wanp"), out("e2p");
  in.send(from_peer(kNbma2, kVlanA, host_frame(kH2, kR2)));
  EXPECT_EQ(hex(out.next().value_or(Bytes{})), hex(host_frame(kH2, kR2, kVlanA)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_WAN_RX), 1u);
}

TEST_F(LiveTest, TcEncapsulatesOutOfTheWanDevice) {
  set_mode(NWBPF_MODE_TC);
  attach_tc_ingress(e2, dp->prog_fd("tc_edge"));
  Capture in("e2p"), out("wanp");
  in.send(host_frame(kR2, kH2, kVlanA));
  EXPECT_EQ(hex(out.next().value_or(Bytes{})),
            hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, host_frame(kR2, kH2))));
}
// No next-hop entry: TC hands the encapsulated skb to bpf_redirect_neigh,
// whose output route lookup needs no IPv4 forwarding (off in this namespace,
// where bpf_fib_lookup would answer FWD_DISABLED).
TEST_F(LiveTest, TcWithoutNextHopEntryLetsTheKernelFillTheMacsWithoutForwarding) {
  std::ifstream forwarding("/proc/sys/net/ipv4/conf/wan/forwarding");
  std::string value;
  forwarding >> value;
  ASSERT_EQ(value, "0");
  set_mode(NWBPF_MODE_TC);
  dp->delete_nexthop(kNbma2);
  attach_tc_ingress(e2, dp->prog_fd("tc_edge"));
  Capture in("e2p"), out("wanp");
  in.send(host_frame(kR2, kH2, kVlanA));
  EXPECT_EQ(hex(out.next().value_or(Bytes{})),
            hex(to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, host_frame(kR2, kH2))))
      << "MACs from the kernel's neighbour entry of 192.168.0.2";
  EXPECT_EQ(dp->stat(NWBPF_STAT_NEIGH_MISS), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 1u);
}

TEST_F(LiveTest, TcWithoutNeighbourMakesTheKernelAskArp) {
  set_mode(NWBPF_MODE_TC);
  dp->add_fdb(kVlanA, kR4, fdb_remote(kVtep4));
  attach_tc_ingress(e1, dp->prog_fd("tc_edge"));
  Capture in("e1p"), out("wanp");
  in.send(host_frame(kR4, kH1));
  EXPECT_EQ(hex(out.next().value_or(Bytes{})),
            hex(ether(kBroadcast, kWanMac, kEthArp, arp_body(kWanMac, kLocalNbma, kNbma4))))
      << "who-has 192.168.0.4 tell 192.168.0.1";
}

class KernelTunnelTest : public LiveTest {
 protected:
  void SetUp() override {
    LiveTest::SetUp();
    TestNetns::ip("link add vx0 type vxlan external dstport 4789\nlink set vx0 up\n");
    auto s = dp->settings();
    s.mode = NWBPF_MODE_KERNEL_TUNNEL;
    s.tunnel_ifindex = TestNetns::ifindex("vx0");
    dp->set_settings(s);
    attach_tc_ingress(TestNetns::ifindex("vx0"), dp->prog_fd("tc_tunnel"));
  }
};

TEST_F(KernelTunnelTest, EdgeFrameLeavesThroughTheVxlanDevice) {
  attach_tc_ingress(e2, dp->prog_fd("tc_edge"));
  Capture in("e2p"), out("wanp");
  auto inner = host_frame(kR2, kH2);
  in.send(host_frame(kR2, kH2, kVlanA));
  auto f = out.next().value_or(Bytes{});
  ASSERT_GE(f.size(), 50u);
  uint32_t src, dst;
  std::memcpy(&src, &f[26], 4);
  std::memcpy(&dst, &f[30], 4);
  EXPECT_EQ(src, kLocalNbma);
  EXPECT_EQ(dst, kNbma2);
  EXPECT_EQ(hex(Bytes(f.begin(), f.begin() + 6)), hex(Bytes(kNbma2Mac.begin(), kNbma2Mac.end())));
  EXPECT_EQ(hex(Bytes(f.begin() + 42, f.end())), hex(vxlan(kVlanA, inner)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_TUNNEL_TX), 1u);
}

TEST_F(KernelTunnelTest, DecapsulatedFrameIsCheckedAndForwarded) {
  const MacAddr remote = mac("02:bb:00:00:00:33");
  Capture in("wanp"), out("e2p");
  in.send(from_peer(kNbma3, kVlanA, host_frame(kH2, remote)));
  EXPECT_EQ(hex(out.next().value_or(Bytes{})), hex(host_frame(kH2, remote, kVlanA)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_TUNNEL_RX), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_DECAP), 1u);
  auto e = dp->learned(kVlanA, remote);
  ASSERT_TRUE(e) << "learned from the tunnel key's source";
  EXPECT_EQ(e->vtep, kVtep3);
}

TEST_F(KernelTunnelTest, VxlanFromAStrangerIsDropped) {
  TestNetns::ip("neigh add 192.168.0.77 lladdr 02:00:00:00:77:77 dev wan nud permanent\n");
  Capture in("wanp"), out("e2p");
  in.send(from_peer(ip4("192.168.0.77"), kVlanA, host_frame(kH2, kR2)));
  EXPECT_TRUE(out.drain(200).empty());
  EXPECT_EQ(dp->drop(NWBPF_DROP_UNKNOWN_PEER), 1u);
}

TEST_F(KernelTunnelTest, InnerVlanTagIsDropped) {
  Capture in("wanp"), out("e2p");
  in.send(from_peer(kNbma2, kVlanA, host_frame(kH2, kR2, 5)));
  EXPECT_TRUE(out.drain(200).empty());
  EXPECT_EQ(dp->drop(NWBPF_DROP_INNER_VLAN), 1u);
}

}  // namespace
}  // namespace nwbpf::test
