// SPDX-License-Identifier: Apache-2.0
// NAT traversal, receive side (bpf/lib/nat.h): a peer behind NAT
// (NWBPF_PEER_NAT) has the port its NAT picked learned from its own frames,
// data or NAT probes, in XDP and TC; nothing is learned for other peers or
// from another address. NAT probes (NWBPF_VXLAN_FLAG_PROBE) from peers are
// counted and consumed; from strangers, or broken, they are drops.
#include <linux/bpf.h>
#include <netinet/in.h>

#include "support/fixture.h"

namespace nwbpf::test {
namespace {

// 10.0.0.2 (192.168.0.2, the NAT's public address) is behind NAT.
class NatRxTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    nwbpf_peer p = dp->peers().lookup(kVtep2).value();
    p.flags = NWBPF_PEER_NAT;
    dp->peers().update(kVtep2, p);
    dp->add_fdb(kVlanA, kH1, fdb_local(e1));
  }
  // A frame from 10.0.0.2 as its NAT forwards it: from port sport.
  static Bytes from_nat(uint16_t sport, const Bytes& inner, uint32_t nbma = kNbma2) {
    return ether(kWanMac, kNbma2Mac, kEthIp,
                 ipv4(nbma, kLocalNbma, IPPROTO_UDP, udp(sport, kVxlanPort, vxlan(kVlanA, inner))));
  }
  // A NAT probe: the 8-byte header, flags I|PROBE, VNI 0, nothing after it.
  static Bytes probe(uint32_t nbma, uint16_t sport, uint8_t flags = 0x0a, uint32_t vni = 0,
                     const Bytes& after = {}) {
    return ether(kWanMac, kNbma2Mac, kEthIp,
                 ipv4(nbma, kLocalNbma, IPPROTO_UDP, udp(sport, kVxlanPort, vxlan(vni, after, flags))));
  }
  // The port the data plane holds for overlay, host order.
  uint16_t port_of(uint32_t overlay) const {
    return ntohs(dp->peers().lookup(overlay).value().nbma_port);
  }
};

TEST_F(NatRxTest, ProbeLayoutIsTheBareVxlanHeader) {
  Bytes p = probe(kNbma2, 4789);
  ASSERT_EQ(p.size(), 50u);
  EXPECT_EQ(hex(Bytes(p.begin() + 38, p.end())), "00 10 00 00 0a 00 00 00 00 00 00 00 ")
      << "UDP length 16, checksum 0; flags I|PROBE, VNI 0";
}

TEST_F(NatRxTest, XdpLearnsThePortFromADataFrameAndFollowsItsChanges) {
  auto inner = host_frame(kH1, kR2);
  auto r = xdp_wan(from_nat(40001, inner));
  ASSERT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(inner)) << "learning leaves the frame alone";
  EXPECT_EQ(port_of(kVtep2), 40001);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PORT_LEARN), 1u);

  ASSERT_EQ(xdp_wan(from_nat(40001, inner)).verdict, XDP_REDIRECT);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PORT_LEARN), 1u) << "the same port: no write";

  // The NAT dropped its mapping and opened another.
  ASSERT_EQ(xdp_wan(from_nat(40002, inner)).verdict, XDP_REDIRECT);
  EXPECT_EQ(port_of(kVtep2), 40002);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PORT_LEARN), 2u);
  nwbpf_peer p = dp->peers().lookup(kVtep2).value();
  EXPECT_EQ(p.flags, NWBPF_PEER_NAT) << "BPF writes the port only";
  EXPECT_EQ(p.nbma, kNbma2);
}

TEST_F(NatRxTest, TcLearnsThePortToo) {
  set_mode(NWBPF_MODE_TC);
  auto inner = host_frame(kH1, kR2);
  auto r = tc_wan(from_nat(40003, inner));
  ASSERT_EQ(r.verdict, kTcRedirect) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(inner));
  EXPECT_EQ(port_of(kVtep2), 40003);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PORT_LEARN), 1u);
}

TEST_F(NatRxTest, AFrameDroppedForItsInnerFrameStillTeachesThePort) {
  // The outer headers came through the NAT; the inner frame's VNI (4095,
  // never served) has nothing to do with that.
  auto f = ether(kWanMac, kNbma2Mac, kEthIp,
                 ipv4(kNbma2, kLocalNbma, IPPROTO_UDP,
                      udp(40004, kVxlanPort, vxlan(4095, host_frame(kH1, kR2)))));
  EXPECT_EQ(xdp_wan(f).verdict, XDP_DROP);
  EXPECT_EQ(dp->drop(NWBPF_DROP_VNI_NOT_LOCAL), 1u);
  EXPECT_EQ(port_of(kVtep2), 40004);
}

TEST_F(NatRxTest, ProbeTeachesThePortAndIsConsumedInXdpAndTc) {
  EXPECT_EQ(xdp_wan(probe(kNbma2, 40005)).verdict, XDP_DROP);
  EXPECT_EQ(port_of(kVtep2), 40005);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PROBE_RX), 1u);
  set_mode(NWBPF_MODE_TC);
  EXPECT_EQ(tc_wan(probe(kNbma2, 40006)).verdict, kTcShot);
  EXPECT_EQ(port_of(kVtep2), 40006);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PROBE_RX), 2u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PORT_LEARN), 2u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_WAN_RX), 2u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_DECAP), 0u);
  EXPECT_EQ(dp->drops_summary(), "none") << "consumed, not dropped";
  EXPECT_EQ(dp->learned_count(), 0u);
}

TEST_F(NatRxTest, ProbePaddedToTheEthernetMinimumIsAProbe) {
  // 50 bytes on the wire become 60 on a real link (veths do not pad).
  Bytes padded = probe(kNbma2, 40007) + Bytes(10, 0);
  EXPECT_EQ(xdp_wan(padded).verdict, XDP_DROP);
  EXPECT_EQ(tc_wan(padded).verdict, kTcShot);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PROBE_RX), 2u);
  EXPECT_EQ(port_of(kVtep2), 40007);
  EXPECT_EQ(dp->drops_summary(), "none");
}

TEST_F(NatRxTest, PaddingOnlyPassesForAFrameTooShortForAnInnerOne) {
  // A 61-byte frame (one trailing byte) is no padding: malformed, as before.
  Bytes trailing = probe(kNbma2, 40008) + Bytes(11, 0);
  EXPECT_EQ(xdp_wan(trailing).verdict, XDP_DROP);
  // A padded frame announcing 2 bytes after the VXLAN header holds no
  // inner Ethernet header.
  Bytes stub = ether(kWanMac, kNbma2Mac, kEthIp,
                     ipv4(kNbma2, kLocalNbma, IPPROTO_UDP, udp(40008, kVxlanPort, vxlan(kVlanA, {1, 2})))) +
               Bytes(8, 0);
  ASSERT_EQ(stub.size(), 60u);
  EXPECT_EQ(xdp_wan(stub).verdict, XDP_DROP);
  EXPECT_EQ(dp->drop(NWBPF_DROP_MALFORMED), 2u);
  EXPECT_EQ(port_of(kVtep2), 0) << "a dropped frame teaches nothing";
}

TEST_F(NatRxTest, NothingIsLearnedForAPeerNotBehindNat) {
  auto inner = host_frame(kH1, kR2);
  auto data = ether(kWanMac, kNbma2Mac, kEthIp,
                    ipv4(kNbma3, kLocalNbma, IPPROTO_UDP, udp(40009, kVxlanPort, vxlan(kVlanA, inner))));
  EXPECT_EQ(xdp_wan(data).verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(tc_wan(probe(kNbma3, 40009)).verdict, kTcShot);
  EXPECT_EQ(port_of(kVtep3), 0) << "a port the agent did not ask for stays 0 (4789)";
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PROBE_RX), 1u) << "its probes are still consumed";
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PORT_LEARN), 0u);
}

TEST_F(NatRxTest, NothingIsLearnedFromAnAddressThePeerLeft) {
  // The reverse index still names 10.0.0.2 for its old address while the
  // agent moves it: frames from there must not redirect its traffic.
  const uint32_t old_nbma = ip4("192.168.0.22");
  dp->peer_nbma().update(nwbpf_peer_nbma_key{old_nbma}, nwbpf_peer_nbma{kVtep2, old_nbma});
  EXPECT_EQ(xdp_wan(from_nat(40010, host_frame(kH1, kR2), old_nbma)).verdict, XDP_REDIRECT)
      << dp->drops_summary();
  EXPECT_EQ(xdp_wan(probe(old_nbma, 40010)).verdict, XDP_DROP);
  EXPECT_EQ(port_of(kVtep2), 0);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PORT_LEARN), 0u);
}

TEST_F(NatRxTest, ProbeFromAStrangerIsDroppedAsFromAnUnknownPeer) {
  auto f = probe(ip4("192.168.0.77"), 4789);
  EXPECT_EQ(xdp_wan(f).verdict, XDP_DROP);
  EXPECT_EQ(tc_wan(f).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_UNKNOWN_PEER), 2u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PROBE_RX), 0u);
}

TEST_F(NatRxTest, BrokenProbesAreDropsAndTeachNothing) {
  struct Case {
    const char* what;
    Bytes frame;
    nwbpf_drop reason;
  };
  const Case cases[] = {
      {"an inner frame after it", probe(kNbma2, 40011, 0x0a, 0, host_frame(kH1, kR2)),
       NWBPF_DROP_MALFORMED},
      {"two bytes after it", probe(kNbma2, 40011, 0x0a, 0, {0, 0}), NWBPF_DROP_MALFORMED},
      {"a VNI", probe(kNbma2, 40011, 0x0a, kVlanA), NWBPF_DROP_MALFORMED},
      {"the RELAY flag too", probe(kNbma2, 40011, 0x0b), NWBPF_DROP_MALFORMED},
      {"another reserved flag", probe(kNbma2, 40011, 0x8a), NWBPF_DROP_MALFORMED},
      {"no I flag", probe(kNbma2, 40011, 0x02), NWBPF_DROP_VXLAN_FLAGS},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    const uint64_t before = dp->drop(c.reason);
    EXPECT_EQ(xdp_wan(c.frame).verdict, XDP_DROP);
    EXPECT_EQ(tc_wan(c.frame).verdict, kTcShot);
    EXPECT_EQ(dp->drop(c.reason), before + 2) << dp->drops_summary();
  }
  // A reserved bit in the header's reserved bytes.
  Bytes reserved = probe(kNbma2, 40011);
  reserved.at(14 + 20 + 8 + 7) = 1;
  EXPECT_EQ(xdp_wan(reserved).verdict, XDP_DROP);
  EXPECT_EQ(dp->drop(NWBPF_DROP_MALFORMED), 11u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_NAT_PROBE_RX), 0u);
  EXPECT_EQ(port_of(kVtep2), 0);
}

}  // namespace
}  // namespace nwbpf::test
