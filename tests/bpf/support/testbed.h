// SPDX-License-Identifier: Apache-2.0
// The standard BPF test bench, without GoogleTest (the fixture in
// support/fixture.h and the benchmark tools both build it): a fresh network
// namespace holding
//   e1  edge, untagged VLAN 99 (PVID 99), takes XDP redirects
//   e2  edge, tagged VLANs 99 and 100, takes XDP redirects
//   e3  edge, untagged VLAN 100, does NOT take XDP redirects (TC path)
//   wan 192.168.0.1/24, MAC 02:00:00:00:01:01, takes XDP redirects
// each a veth whose peer (e1p, e2p, e3p, wanp) the tests send and capture on;
// VTEPs 10.0.0.2 and .3 at 192.168.0.2 and .3, which have permanent
// neighbours and next-hop entries (as the agent would write them); VTEP
// 10.0.0.4 at 192.168.0.4 has neither. Flood list of VNI 99: all three.
// Settings: XDP mode, DF, TTL 64, WAN MTU 1500, remote learning on. IPv4
// forwarding stays off: nothing in the data plane needs it.
#pragma once

#include <memory>
#include <optional>

#include "support/netns.h"
#include "support/packet.h"
#include "support/prog_run.h"
#include "support/test_datapath.h"

namespace nwbpf::test {

inline const MacAddr kWanMac = mac("02:00:00:00:01:01");
inline const MacAddr kNbma2Mac = mac("02:00:00:00:02:02");
inline const MacAddr kNbma3Mac = mac("02:00:00:00:03:03");
inline const MacAddr kH1 = mac("02:aa:00:00:00:01");  // host behind e1
inline const MacAddr kH2 = mac("02:aa:00:00:00:02");  // host behind e2
inline const MacAddr kH3 = mac("02:aa:00:00:00:03");  // host behind e3
inline const MacAddr kR2 = mac("02:bb:00:00:00:02");  // host behind VTEP 10.0.0.2
inline const MacAddr kR4 = mac("02:bb:00:00:00:04");  // host behind VTEP 10.0.0.4
inline const MacAddr kBroadcast = mac("ff:ff:ff:ff:ff:ff");
inline const uint32_t kLocalNbma = ip4("192.168.0.1");
inline const uint32_t kNbma2 = ip4("192.168.0.2");
inline const uint32_t kNbma3 = ip4("192.168.0.3");
inline const uint32_t kNbma4 = ip4("192.168.0.4");
inline const uint32_t kVtep2 = ip4("10.0.0.2");
inline const uint32_t kVtep3 = ip4("10.0.0.3");
inline const uint32_t kVtep4 = ip4("10.0.0.4");
constexpr uint16_t kVlanA = 99;
constexpr uint16_t kVlanB = 100;
constexpr uint16_t kVxlanPort = 4789;
constexpr int kTcRedirect = 7;  // TC_ACT_REDIRECT
constexpr int kTcStolen = 4;    // TC_ACT_STOLEN
constexpr int kTcShot = 2;      // TC_ACT_SHOT
constexpr int kTcOk = 0;        // TC_ACT_OK

class Testbed {
 public:
  // Unshares into a new namespace, builds the devices above and loads the
  // data plane (loaded with o) with its maps filled. Throws
  // std::runtime_error.
  void setup(const LoadOptions& o = {});

  // An IPv4/UDP payload frame between two hosts (the usual inner frame).
  static Bytes host_frame(const MacAddr& dst, const MacAddr& src,
                          std::optional<uint16_t> vid = std::nullopt, size_t payload = 64,
                          uint16_t dport = 5001);
  // What a peer sends us: VXLAN from nbma to 192.168.0.1.
  static Bytes from_peer(uint32_t nbma, uint32_t vni, const Bytes& inner, const Ipv4Opts& o = {});
  // What we send a peer: exact outer headers (DF, ID 0, TTL 64) around inner.
  static Bytes to_peer(const MacAddr& dmac, uint32_t nbma, uint16_t sport, uint32_t vni,
                       const Bytes& inner);

  // `outer` (VXLAN without outer IPv4 options) as relayed through a route
  // server: NWBPF_VXLAN_FLAG_RELAY and `overlay` in the reserved fields
  // (VXLAN header bytes 1..3 and 7). IPv4 checksums do not cover it.
  static Bytes mark_relayed(Bytes outer, uint32_t overlay);

  void set_mode(uint8_t mode);
  void set_udp_src_port(uint16_t port);
  // settings.relay_nbma: the route server a VTEP without a peers entry is
  // reached through; 0: none.
  void set_relay_nbma(uint32_t nbma);
  // Be a route server: relay NWBPF_VXLAN_FLAG_RELAY frames (NWBPF_SET_RELAY).
  void set_relaying();

  RunResult xdp_edge(const Bytes& f, int ifindex) {
    return run_xdp(dp->prog_fd("xdp_edge"), f, ifindex);
  }
  RunResult tc_edge(const Bytes& f, int ifindex) {
    return run_tc(dp->prog_fd("tc_edge"), f, ifindex);
  }
  RunResult xdp_wan(const Bytes& f) { return run_xdp(dp->prog_fd("xdp_wan"), f, wan); }
  RunResult tc_wan(const Bytes& f) { return run_tc(dp->prog_fd("tc_wan"), f, wan); }

  std::unique_ptr<TestNetns> ns;
  std::unique_ptr<TestDatapath> dp;
  int e1 = 0, e2 = 0, e3 = 0, wan = 0;
};

}  // namespace nwbpf::test
