// SPDX-License-Identifier: Apache-2.0
// ebconfig's filters (bpf/lib/acl.h) on frames an edge port sends into the
// overlay: each field, port ranges as aligned blocks, first match across
// shapes, defaults, the mac-filter for everything else, fragments, broken
// IPv4 headers, counters, the atomic swap of AclTable, XDP and TC, BUM.
// Images are made by hand (support/acl_image_builder.h) and written by the
// agent's AclTable.
#include <linux/bpf.h>
#include <netinet/in.h>

#include "support/acl_image_builder.h"
#include "support/capture.h"
#include "support/fixture.h"

namespace nwbpf::test {
namespace {

constexpr uint16_t kFixedSport = 54321;
constexpr uint8_t kPermit = NWBPF_ACL_PERMIT, kDeny = NWBPF_ACL_DENY;
inline const uint32_t kA = ip4("172.16.0.1");
inline const uint32_t kB = ip4("172.16.1.2");

// H1 (on e1, VLAN 99) to R2 (behind VTEP 10.0.0.2): IPv4 with an 8-byte
// L4 header whose first 4 bytes are the ports (UDP, TCP, DCCP, SCTP alike).
Bytes ip_frame(uint32_t src, uint32_t dst, uint8_t proto, uint16_t sport, uint16_t dport,
               const Ipv4Opts& o = {}, const MacAddr& dmac = kR2) {
  return ether(dmac, kH1, kEthIp, ipv4(src, dst, proto, udp(sport, dport, pattern(32)), o));
}

// The aligned blocks covering lo..hi (what the compiler makes of a:b).
std::vector<std::pair<uint16_t, uint16_t>> port_blocks(uint32_t lo, uint32_t hi) {
  std::vector<std::pair<uint16_t, uint16_t>> out;
  while (lo <= hi) {
    uint32_t size = 1;
    while ((lo & (size * 2 - 1)) == 0 && lo + size * 2 - 1 <= hi && size < 65536) size *= 2;
    out.push_back({uint16_t(lo), uint16_t(~(size - 1))});
    lo += size;
  }
  return out;
}

AclIpBlock any_ip() { return {}; }
AclIpBlock proto_is(uint8_t p) { return {.proto = p, .proto_mask = 0xff}; }

class AclTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
    dp->add_fdb(kVlanA, kH1, fdb_local(e1));
    set_udp_src_port(kFixedSport);
    maps = std::make_unique<AclMaps>(acl_maps(*dp));
    table = std::make_unique<AclTable>(*maps);
  }
  void apply() { table->apply(b.build()); }

  // Whether XDP and TC both let f (from e1) into the overlay; fails the
  // test when they disagree or take another path.
  bool permits(const Bytes& f) {
    uint64_t denied = dp->drop(NWBPF_DROP_ACL_DENY);
    auto x = xdp_edge(f, e1);
    bool xp = x.verdict == XDP_REDIRECT;
    EXPECT_TRUE(xp || x.verdict == XDP_DROP) << x.verdict;
    EXPECT_EQ(dp->drop(NWBPF_DROP_ACL_DENY), denied + !xp) << dp->drops_summary();
    auto t = tc_edge(f, e1);
    bool tp = t.verdict == kTcRedirect;
    EXPECT_TRUE(tp || t.verdict == kTcShot) << t.verdict;
    EXPECT_EQ(dp->drop(NWBPF_DROP_ACL_DENY), denied + !xp + !tp) << dp->drops_summary();
    EXPECT_EQ(xp, tp) << "XDP and TC disagree";
    return xp;
  }
  nwbpf_acl_counter count(uint32_t rule) { return table->counters(rule + 1).at(rule); }

  AclImageBuilder b;
  std::unique_ptr<AclMaps> maps;
  std::unique_ptr<AclTable> table;
};

TEST_F(AclTest, VlanWithoutFiltersPermitsAndCountsNothing) {
  b.vlan(kVlanB, kDeny, kDeny);  // another VLAN denies everything
  apply();
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 2)));
  EXPECT_TRUE(permits(host_frame(kR2, kH1)));
  for (const auto& c : table->counters(2)) EXPECT_EQ(c.packets, 0u);
  EXPECT_EQ(dp->drops_summary(), "none");
}

TEST_F(AclTest, ProtocolExactOrAny) {
  b.vlan(kVlanA, kPermit, kPermit);
  b.ip_rule(kVlanA, {proto_is(IPPROTO_TCP)}, kDeny);
  AclIpBlock to_b = any_ip();
  to_b.dst = ip4("172.16.9.9");
  to_b.dst_mask = prefix_mask(32);
  b.ip_rule(kVlanA, {to_b}, kDeny);  // any protocol
  apply();
  EXPECT_FALSE(permits(ip_frame(kA, kB, IPPROTO_TCP, 1, 2)));
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 2)));
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_ICMP, 1, 2)));
  EXPECT_FALSE(permits(ip_frame(kA, ip4("172.16.9.9"), IPPROTO_UDP, 1, 2)));
  EXPECT_FALSE(permits(ip_frame(kA, ip4("172.16.9.9"), IPPROTO_ICMP, 1, 2)));
}

TEST_F(AclTest, SourceAndDestinationPrefixes) {
  b.vlan(kVlanA, kPermit, kPermit);
  b.ip_rule(kVlanA, {{.src = ip4("172.16.0.0"), .src_mask = prefix_mask(24)}}, kDeny);
  b.ip_rule(kVlanA, {{.dst = ip4("10.20.0.0"), .dst_mask = prefix_mask(16)}}, kDeny);
  apply();
  EXPECT_FALSE(permits(ip_frame(ip4("172.16.0.255"), kB, IPPROTO_UDP, 1, 2)));
  EXPECT_TRUE(permits(ip_frame(ip4("172.16.1.0"), kB, IPPROTO_UDP, 1, 2)));
  EXPECT_FALSE(permits(ip_frame(kB, ip4("10.20.255.1"), IPPROTO_UDP, 1, 2)));
  EXPECT_TRUE(permits(ip_frame(kB, ip4("10.21.0.1"), IPPROTO_UDP, 1, 2)));
}

TEST_F(AclTest, PortsExactAndRangesAtTheirBoundaries) {
  b.vlan(kVlanA, kPermit, kPermit);
  std::vector<AclIpBlock> range;  // udp dport 1000:1999
  for (auto [v, m] : port_blocks(1000, 1999))
    range.push_back({.dport = v, .dport_mask = m, .proto = IPPROTO_UDP, .proto_mask = 0xff});
  ASSERT_EQ(range.size(), 7u);  // 1000/8 1008/16 1024/512 1536/256 1792/128 1920/64 1984/16
  b.ip_rule(kVlanA, range, kDeny);
  b.ip_rule(kVlanA, {{.sport = 53, .sport_mask = 0xffff, .proto = IPPROTO_TCP, .proto_mask = 0xff}},
            kDeny);
  apply();
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_UDP, 7, 999)));
  EXPECT_FALSE(permits(ip_frame(kA, kB, IPPROTO_UDP, 7, 1000)));
  EXPECT_FALSE(permits(ip_frame(kA, kB, IPPROTO_UDP, 7, 1500)));
  EXPECT_FALSE(permits(ip_frame(kA, kB, IPPROTO_UDP, 7, 1999)));
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_UDP, 7, 2000)));
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_TCP, 7, 1500))) << "the range is UDP's";
  EXPECT_FALSE(permits(ip_frame(kA, kB, IPPROTO_TCP, 53, 1)));
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_TCP, 52, 1)));
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_TCP, 54, 1)));
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_UDP, 53, 1))) << "sport 53 is TCP's";
}

TEST_F(AclTest, FirstMatchWinsAcrossShapes) {
  b.vlan(kVlanA, kPermit, kPermit);
  AclIpBlock host_port{.dst = kB, .dst_mask = prefix_mask(32), .dport = 80, .dport_mask = 0xffff,
                       .proto = IPPROTO_TCP, .proto_mask = 0xff};
  uint32_t r0 = b.ip_rule(kVlanA, {host_port}, kDeny);                      // shape X
  uint32_t r1 = b.ip_rule(kVlanA, {{.src = kA, .src_mask = prefix_mask(24)}}, kPermit);  // Y
  host_port.dport = 443;
  uint32_t r2 = b.ip_rule(kVlanA, {host_port}, kDeny);  // X again: X is walked first
  apply();
  EXPECT_FALSE(permits(ip_frame(kA, kB, IPPROTO_TCP, 9, 80))) << "rule 0 before rule 1";
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_TCP, 9, 443))) << "rule 1 before rule 2";
  EXPECT_FALSE(permits(ip_frame(ip4("172.16.5.5"), kB, IPPROTO_TCP, 9, 443)));
  EXPECT_EQ(count(r0).packets, 2u);  // XDP and TC
  EXPECT_EQ(count(r1).packets, 2u);
  EXPECT_EQ(count(r2).packets, 2u);
}

TEST_F(AclTest, DefaultsDecideWhatNoRuleMatches) {
  b.vlan(kVlanA, kDeny, kDeny);
  uint32_t udp = b.ip_rule(kVlanA, {proto_is(IPPROTO_UDP)}, kPermit);
  uint32_t h1 = b.mac_rule(kVlanA, mac("02:aa:00:00:00:09"), kPermit);
  apply();
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 2)));
  EXPECT_FALSE(permits(ip_frame(kA, kB, IPPROTO_TCP, 1, 2)));
  Bytes arp = ether(kR2, kH1, kEthArp, arp_body(kH1, kA, kB));
  EXPECT_FALSE(permits(arp));
  EXPECT_EQ(count(udp).packets, 2u);
  EXPECT_EQ(count(b.ip_default(kVlanA)).packets, 2u);
  EXPECT_EQ(count(b.mac_default(kVlanA)).packets, 2u);
  EXPECT_EQ(count(h1).packets, 0u);
}

TEST_F(AclTest, NonIpv4FramesGoToTheMacFilter) {
  b.vlan(kVlanA, kPermit, kDeny);
  uint32_t h1 = b.mac_rule(kVlanA, kH1, kPermit);
  apply();
  Bytes arp = ether(kR2, kH1, kEthArp, arp_body(kH1, kA, kB));
  Bytes ipv6 = ether(kR2, kH1, 0x86dd, Bytes{0x60, 0, 0, 0, 0, 8, 17, 64} + pattern(40));
  EXPECT_TRUE(permits(arp));
  EXPECT_TRUE(permits(ipv6));
  EXPECT_EQ(count(h1).packets, 4u);
  AclImageBuilder deny_all;
  deny_all.vlan(kVlanA, kPermit, kDeny);
  table->apply(deny_all.build());
  EXPECT_FALSE(permits(arp));
  EXPECT_FALSE(permits(ipv6));
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 2))) << "IPv4: the ip-filter";
}

TEST_F(AclTest, Ipv4WithoutAnIpFilterGoesToTheMacFilter) {
  b.vlan(kVlanA, std::nullopt, kDeny);
  uint32_t h1 = b.mac_rule(kVlanA, kH1, kPermit);
  apply();
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 2)));
  EXPECT_EQ(count(h1).packets, 2u);
  AclImageBuilder other;
  other.vlan(kVlanA, std::nullopt, kDeny);
  table->apply(other.build());
  EXPECT_FALSE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 2)));
}

TEST_F(AclTest, NonFirstFragmentsSkipPortShapes) {
  b.vlan(kVlanA, kPermit, kPermit);
  uint32_t port = b.ip_rule(
      kVlanA, {{.dport = 80, .dport_mask = 0xffff, .proto = IPPROTO_UDP, .proto_mask = 0xff}},
      kDeny);
  apply();
  EXPECT_FALSE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 80, {.mf = true}))) << "first fragment";
  // Bytes 0..3 of a later fragment's payload look like ports 1/80: not read.
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 80, {.frag_offset = 10})));
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_ICMP, 1, 80))) << "no ports in ICMP";
  EXPECT_EQ(count(port).packets, 2u);
  EXPECT_EQ(count(b.ip_default(kVlanA)).packets, 4u);
}

TEST_F(AclTest, MalformedIpv4IsJudgedByTheIpDefaultAndCounted) {
  b.vlan(kVlanA, kDeny, kPermit);
  uint32_t all = b.ip_rule(kVlanA, {any_ip()}, kPermit);
  apply();
  Bytes ihl4 = ip_frame(kA, kB, IPPROTO_UDP, 1, 2);
  ihl4[14] = 0x44;  // IHL 4 words
  Bytes v6in4 = ip_frame(kA, kB, IPPROTO_UDP, 1, 2);
  v6in4[14] = 0x65;  // version 6 under EtherType IPv4
  Bytes cut = ether(kR2, kH1, kEthIp, Bytes{0x45, 0, 0, 40, 0, 0, 0, 0, 64, 17});  // 10 bytes
  Bytes long_ihl = ether(kR2, kH1, kEthIp, ipv4(kA, kB, IPPROTO_UDP, Bytes{}));
  long_ihl[14] = 0x4f;  // 60-byte header in a 20-byte packet
  for (const Bytes* f : {&ihl4, &v6in4, &long_ihl}) EXPECT_FALSE(permits(*f)) << hex(*f);
  // BPF_PROG_RUN refuses an skb of EtherType IPv4 without 20 bytes of IPv4.
  EXPECT_EQ(xdp_edge(cut, e1).verdict, XDP_DROP);
  EXPECT_EQ(count(all).packets, 0u);
  EXPECT_EQ(count(b.ip_default(kVlanA)).packets, 7u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_ACL_UNPARSED), 7u);
  EXPECT_EQ(dp->drop(NWBPF_DROP_ACL_DENY), 7u);
}

TEST_F(AclTest, RuleAndDefaultCountPacketsAndBytes) {
  b.vlan(kVlanA, kDeny, kPermit);
  uint32_t udp = b.ip_rule(kVlanA, {proto_is(IPPROTO_UDP)}, kPermit);
  apply();
  Bytes u = ip_frame(kA, kB, IPPROTO_UDP, 1, 2);   // 74 bytes
  Bytes t = ip_frame(kA, kB, IPPROTO_TCP, 1, 2, {.options = Bytes(8, 1)});  // 82 bytes
  EXPECT_TRUE(permits(u));
  EXPECT_TRUE(permits(u));
  EXPECT_FALSE(permits(t));
  auto c = table->counters(b.ip_default(kVlanA) + 1);
  EXPECT_EQ(c[udp].packets, 4u);
  EXPECT_EQ(c[udp].bytes, 4 * u.size());
  EXPECT_EQ(c[b.ip_default(kVlanA)].packets, 2u);
  EXPECT_EQ(c[b.ip_default(kVlanA)].bytes, 2 * t.size());
}

// XDP hands a frame it cannot send to TC: the rule counts it once, in TC.
TEST_F(AclTest, FrameXdpHandsToTcCountsOnce) {
  b.vlan(kVlanA, kPermit, kPermit);
  uint32_t udp = b.ip_rule(kVlanA, {proto_is(IPPROTO_UDP)}, kPermit);
  apply();
  dp->delete_nexthop(kNbma2);
  Bytes u = ip_frame(kA, kB, IPPROTO_UDP, 1, 2);
  EXPECT_EQ(xdp_edge(u, e1).verdict, XDP_PASS);
  EXPECT_EQ(count(udp).packets, 0u);
  EXPECT_EQ(tc_edge(u, e1).verdict, kTcRedirect);
  EXPECT_EQ(count(udp).packets, 1u);
}

TEST_F(AclTest, ApplySwapsWholeSetsAndClearsTheOldOne) {
  b.vlan(kVlanA, kPermit, kPermit);
  b.ip_rule(kVlanA, {{.dport = 80, .dport_mask = 0xffff, .proto = IPPROTO_UDP, .proto_mask = 0xff}},
            kDeny);
  apply();
  EXPECT_EQ(table->active_generation(), 1u);
  EXPECT_FALSE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 80)));
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 81)));

  AclImageBuilder next;
  next.vlan(kVlanA, kPermit, kPermit);
  uint32_t r81 = next.ip_rule(
      kVlanA, {{.dport = 81, .dport_mask = 0xffff, .proto = IPPROTO_UDP, .proto_mask = 0xff}},
      kDeny);
  table->apply(next.build());
  EXPECT_EQ(table->active_generation(), 0u);
  for (const auto& c : table->counters(2)) EXPECT_EQ(c.packets, 0u) << "B's counters start at 0";
  EXPECT_TRUE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 80)));
  EXPECT_FALSE(permits(ip_frame(kA, kB, IPPROTO_UDP, 1, 81)));
  EXPECT_EQ(table->counters(r81 + 1)[r81].packets, 2u);
  for (const auto& [k, v] : maps->ip.entries()) EXPECT_EQ(k.gen, 0u) << "generation 1 is gone";
  for (const auto& [k, v] : maps->vlans.entries()) EXPECT_EQ(k.gen, 0u);
  EXPECT_EQ(maps->ip.entries().size(), 1u);
}

TEST_F(AclTest, BumRemoteCopiesAreFilteredLocalCopiesAreNot) {
  auto c2 = std::make_unique<Capture>("e2p");
  auto cw = std::make_unique<Capture>("wanp");
  b.vlan(kVlanA, kPermit, kDeny);
  apply();
  Bytes arp = ether(kBroadcast, kH1, kEthArp, arp_body(kH1, kA, kB));
  EXPECT_EQ(tc_edge(arp, e1).verdict, kTcStolen);
  EXPECT_EQ(c2->drain().size(), 1u) << "the local copy";
  EXPECT_TRUE(cw->drain(50).empty()) << "no copy to a VTEP";
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_LOCAL), 1u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_REMOTE), 0u);
  EXPECT_EQ(dp->drop(NWBPF_DROP_ACL_DENY), 1u);
  EXPECT_EQ(count(b.mac_default(kVlanA)).packets, 1u);

  AclImageBuilder open;
  open.vlan(kVlanA, kPermit, kPermit);
  table->apply(open.build());
  EXPECT_EQ(tc_edge(arp, e1).verdict, kTcStolen);
  EXPECT_EQ(c2->drain().size(), 1u);
  EXPECT_EQ(cw->drain().size(), 2u) << "VTEPs .2 and .3";
  EXPECT_EQ(dp->stat(NWBPF_STAT_BUM_REMOTE), 2u);
}

TEST_F(AclTest, KernelTunnelModeFiltersInTc) {
  b.vlan(kVlanA, kDeny, kDeny);
  apply();
  set_mode(NWBPF_MODE_KERNEL_TUNNEL);
  EXPECT_EQ(tc_edge(ip_frame(kA, kB, IPPROTO_UDP, 1, 2), e1).verdict, kTcShot);
  EXPECT_EQ(dp->drop(NWBPF_DROP_ACL_DENY), 1u) << dp->drops_summary();
  EXPECT_EQ(count(b.ip_default(kVlanA)).packets, 1u);
}

}  // namespace
}  // namespace nwbpf::test
