// SPDX-License-Identifier: Apache-2.0
// TCP MSS clamping (bpf/lib/mss.h): the MSS option of a SYN or SYN-ACK
// crossing the overlay is lowered to settings.tcp_mss4/6 on encapsulation
// and on decapsulation, XDP and TC, with the TCP checksum updated (checked
// here by computing it from scratch); everything else passes untouched, and
// what cannot be examined safely is counted (mss_unparsed).
#include <linux/bpf.h>
#include <netinet/in.h>

#include <array>

#include "support/fixture.h"

namespace nwbpf::test {
namespace {

constexpr uint16_t kFixedSport = 54321;
constexpr uint16_t kMss4 = 1360;
constexpr uint16_t kMss6 = 1340;
constexpr uint16_t kEthIpv6 = 0x86dd;
constexpr uint8_t kSyn = 0x02, kAck = 0x10;
constexpr size_t kOuter = 50;  // VXLAN overhead in front of the inner frame

inline const uint32_t kA = ip4("172.16.0.1");
inline const uint32_t kB = ip4("172.16.0.2");
using Ip6 = std::array<uint8_t, 16>;
constexpr Ip6 kA6 = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
constexpr Ip6 kB6 = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

// MSS option (kind 2, length 4), RFC 9293 section 3.2.
Bytes mss_opt(uint16_t mss) { return {2, 4, uint8_t(mss >> 8), uint8_t(mss)}; }
// What Linux sends: MSS, SACK permitted, timestamps, NOP, window scale.
Bytes linux_opts(uint16_t mss) {
  return mss_opt(mss) + Bytes{4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
}

// TCP header (checksum 0; tcp_checksum fills it) with options padded to a
// multiple of 4 with EOL, then a few bytes of payload.
Bytes tcp(uint8_t flags, Bytes opts) {
  while (opts.size() % 4) opts.push_back(0);
  const uint8_t doff = static_cast<uint8_t>((20 + opts.size()) / 4);
  Bytes h = {0x9c, 0x40, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, uint8_t(doff << 4), flags,
             0xfa, 0xf0, 0, 0, 0, 0};
  return h + opts;
}

Bytes ipv6(const Ip6& src, const Ip6& dst, uint8_t next, const Bytes& payload) {
  Bytes h = {0x60, 0, 0, 0, uint8_t(payload.size() >> 8), uint8_t(payload.size()), next, 64};
  h.insert(h.end(), src.begin(), src.end());
  h.insert(h.end(), dst.begin(), dst.end());
  return h + payload;
}

// One's complement sum of the TCP pseudo-header (RFC 9293 section 3.1) and
// segment of the IPv4 or IPv6 packet at l3, folded: 0xffff when the
// checksum in it is right.
uint16_t tcp_sum(const Bytes& f, size_t l3) {
  uint32_t sum = 0;
  auto add = [&](size_t from, size_t len) {
    for (size_t i = 0; i < len; i += 2)
      sum += (f[from + i] << 8) | (i + 1 < len ? f[from + i + 1] : 0);
  };
  size_t l4, len;
  if ((f[l3] >> 4) == 4) {
    l4 = l3 + (f[l3] & 0xf) * 4;
    len = ((f[l3 + 2] << 8) | f[l3 + 3]) - (l4 - l3);
    add(l3 + 12, 8);
  } else {
    l4 = l3 + 40;
    len = (f[l3 + 4] << 8) | f[l3 + 5];
    add(l3 + 8, 32);
  }
  sum += IPPROTO_TCP + len;
  add(l4, len);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

// Whether the packet at l3 is TCP (IPv4 protocol or IPv6 next header 6).
bool is_tcp(const Bytes& f, size_t l3) {
  return f[l3 + ((f[l3] >> 4) == 4 ? 9 : 6)] == IPPROTO_TCP;
}

// f with the TCP checksum of the packet at l3 computed.
Bytes with_checksum(Bytes f, size_t l3) {
  const size_t l4 = l3 + ((f[l3] >> 4) == 4 ? (f[l3] & 0xf) * 4 : 40);
  f[l4 + 16] = f[l4 + 17] = 0;
  const uint16_t c = static_cast<uint16_t>(~tcp_sum(f, l3));
  f[l4 + 16] = uint8_t(c >> 8);
  f[l4 + 17] = uint8_t(c);
  return f;
}

// Edge frames kH1 -> kR2 (VLAN 99: untagged on e1, tagged on e2) and the
// frames VTEP 10.0.0.2 sends for kR2 -> kH1.
Bytes syn4(const MacAddr& dst, const MacAddr& src, uint8_t flags, const Bytes& opts,
           std::optional<uint16_t> vid = std::nullopt) {
  const size_t l3 = vid ? 18 : 14;
  return with_checksum(ether(dst, src, kEthIp, ipv4(kA, kB, IPPROTO_TCP, tcp(flags, opts)), vid), l3);
}
Bytes syn6(const MacAddr& dst, const MacAddr& src, uint8_t flags, const Bytes& opts,
           uint8_t next = IPPROTO_TCP) {
  return with_checksum(ether(dst, src, kEthIpv6, ipv6(kA6, kB6, next, tcp(flags, opts))), 14);
}

class MssTest : public DataplaneTest {
 protected:
  void SetUp() override {
    DataplaneTest::SetUp();
    dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
    dp->add_fdb(kVlanA, kH1, fdb_local(e1));
    dp->add_fdb(kVlanA, kH2, fdb_local(e2));
    set_udp_src_port(kFixedSport);
    set_mss(kMss4, kMss6);
  }
  void set_mss(uint16_t v4, uint16_t v6) {
    auto s = dp->settings();
    s.tcp_mss4 = v4;
    s.tcp_mss6 = v6;
    dp->set_settings(s);
  }
  static Bytes encapsulated(const Bytes& inner) {
    return to_peer(kNbma2Mac, kNbma2, kFixedSport, kVlanA, inner);
  }
  // Encapsulated by XDP and by TC: both must be `want` (inner, untagged).
  void expect_encap(const Bytes& in, int port, const Bytes& want) {
    auto x = xdp_edge(in, port);
    ASSERT_EQ(x.verdict, XDP_REDIRECT) << dp->drops_summary();
    EXPECT_EQ(hex(x.out), hex(encapsulated(want))) << "XDP";
    if (is_tcp(x.out, kOuter + 14))
      EXPECT_EQ(tcp_sum(x.out, kOuter + 14), 0xffff) << "XDP: TCP checksum";
    auto t = tc_edge(in, port);
    ASSERT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
    EXPECT_EQ(hex(t.out), hex(encapsulated(want))) << "TC";
    if (is_tcp(t.out, kOuter + 14))
      EXPECT_EQ(tcp_sum(t.out, kOuter + 14), 0xffff) << "TC: TCP checksum";
  }
  // Decapsulated to e1 by XDP and by TC: both must be `want`.
  void expect_decap(const Bytes& inner, const Bytes& want) {
    auto x = xdp_wan(from_peer(kNbma2, kVlanA, inner));
    ASSERT_EQ(x.verdict, XDP_REDIRECT) << dp->drops_summary();
    EXPECT_EQ(hex(x.out), hex(want)) << "XDP";
    EXPECT_EQ(tcp_sum(x.out, 14), 0xffff) << "XDP: TCP checksum";
    auto t = tc_wan(from_peer(kNbma2, kVlanA, inner));
    ASSERT_EQ(t.verdict, kTcRedirect) << dp->drops_summary();
    EXPECT_EQ(hex(t.out), hex(want)) << "TC";
    EXPECT_EQ(tcp_sum(t.out, 14), 0xffff) << "TC: TCP checksum";
  }
};

TEST_F(MssTest, SynIsClampedOnEncapsulation) {
  expect_encap(syn4(kR2, kH1, kSyn, linux_opts(1460)), e1, syn4(kR2, kH1, kSyn, linux_opts(kMss4)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 2u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_UNPARSED), 0u);
}

TEST_F(MssTest, SynAckIsClampedOnDecapsulation) {
  // From a plain VTEP that clamps nothing.
  expect_decap(syn4(kH1, kR2, kSyn | kAck, linux_opts(8960)),
               syn4(kH1, kR2, kSyn | kAck, linux_opts(kMss4)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 2u);
}

TEST_F(MssTest, TaggedInnerFrameIsClamped) {
  // In the tag on e2 (XDP: in-band; TC here too, as the test skb carries it).
  expect_encap(syn4(kR2, kH2, kSyn, linux_opts(1460), kVlanA), e2,
               syn4(kR2, kH2, kSyn, linux_opts(kMss4)));
  // Out tagged on e2.
  auto x = xdp_wan(from_peer(kNbma2, kVlanA, syn4(kH2, kR2, kSyn, mss_opt(1460))));
  ASSERT_EQ(x.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(x.out), hex(syn4(kH2, kR2, kSyn, mss_opt(kMss4), kVlanA)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 3u);
}

TEST_F(MssTest, MssAtOrBelowTheClampIsUntouched) {
  for (uint16_t mss : {kMss4, uint16_t(1200)}) {
    auto f = syn4(kR2, kH1, kSyn, linux_opts(mss));
    expect_encap(f, e1, f);
  }
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 0u);
}

TEST_F(MssTest, OnlySynSegmentsAreExamined) {
  // An MSS option outside a SYN means nothing (RFC 9293 section 3.7.1).
  auto ack = syn4(kR2, kH1, kAck, mss_opt(1460));
  expect_encap(ack, e1, ack);
  auto udp_frame = host_frame(kR2, kH1);
  expect_encap(udp_frame, e1, udp_frame);
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 0u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_UNPARSED), 0u);
}

TEST_F(MssTest, NopsBeforeTheMssAreSkipped) {
  const Bytes nops = {1, 1, 1, 3, 3, 7, 1};  // NOP x3, window scale, NOP
  expect_encap(syn4(kR2, kH1, kSyn, nops + mss_opt(1460)), e1,
               syn4(kR2, kH1, kSyn, nops + mss_opt(kMss4)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 2u);
}

TEST_F(MssTest, MalformedOptionsAreLeftAsTheyAreAndCounted) {
  const Bytes bad[] = {
      Bytes{8, 0} + mss_opt(1460),         // length 0: would loop
      Bytes{8, 1} + mss_opt(1460),         // length 1: shorter than kind + length
      Bytes{1, 1, 1, 8, 30} + mss_opt(1460),  // runs past the header's options
      Bytes{2, 6, 5, 0xb4, 0, 0},          // MSS of length 6
  };
  for (const auto& opts : bad) {
    auto f = syn4(kR2, kH1, kSyn, opts);
    expect_encap(f, e1, f);
  }
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 0u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_UNPARSED), 8u) << "4 frames, XDP and TC";
}

TEST_F(MssTest, SynWithoutMssOrAfterEolIsUntouched) {
  const Bytes none[] = {
      Bytes{},
      Bytes{4, 2, 1, 3, 3, 7},      // SACK permitted, NOP, window scale
      Bytes{1, 0} + mss_opt(1460),  // EOL ends the list: what follows is padding
  };
  for (const auto& opts : none) {
    auto f = syn4(kR2, kH1, kSyn, opts);
    expect_encap(f, e1, f);
  }
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 0u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_UNPARSED), 0u);
}

TEST_F(MssTest, Ipv6SynIsClampedToItsOwnValue) {
  expect_encap(syn6(kR2, kH1, kSyn, linux_opts(1440)), e1, syn6(kR2, kH1, kSyn, linux_opts(kMss6)));
  expect_decap(syn6(kH1, kR2, kSyn | kAck, linux_opts(1440)),
               syn6(kH1, kR2, kSyn | kAck, linux_opts(kMss6)));
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 4u);
}

TEST_F(MssTest, TcPullsTheOptionsOfADecapsulatedSynBeyondItsHeaders) {
  // 50 + 14 + 40 + 60 bytes: past the 128 bytes TC makes linear up front.
  Bytes opts = linux_opts(1440) + Bytes(20, 1);
  expect_decap(syn6(kH1, kR2, kSyn, opts), syn6(kH1, kR2, kSyn, mss_opt(kMss6) + Bytes(opts.begin() + 4, opts.end())));
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 2u);
}

TEST_F(MssTest, Ipv6ExtensionHeadersAreNotWalkedButCounted) {
  // Hop-by-hop options (0): the TCP header is not where the clamp looks.
  auto f = syn6(kR2, kH1, kSyn, linux_opts(1440), 0);
  expect_encap(f, e1, f);
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 0u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_UNPARSED), 2u);
}

TEST_F(MssTest, OffLeavesEverythingAlone) {
  set_mss(0, 0);
  auto f4 = syn4(kR2, kH1, kSyn, linux_opts(9000));
  expect_encap(f4, e1, f4);
  auto f6 = syn6(kH1, kR2, kSyn, linux_opts(9000));
  expect_decap(f6, f6);
  auto bad = syn4(kR2, kH1, kSyn, Bytes{8, 0});
  expect_encap(bad, e1, bad);
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_CLAMPED), 0u);
  EXPECT_EQ(dp->stat(NWBPF_STAT_MSS_UNPARSED), 0u) << "nothing examined";
}

}  // namespace
}  // namespace nwbpf::test
