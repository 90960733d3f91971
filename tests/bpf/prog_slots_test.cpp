// SPDX-License-Identifier: Apache-2.0
// The direct-mapped tables (include/nwbpf/slots.h): an entry whose slot
// another entry holds lives in the overflow, and the programs find it there:
// ports for ingress and egress, peers and next hops for encapsulation, the
// peer of an outer source address for decapsulation.
#include <bpf/bpf.h>
#include <arpa/inet.h>
#include <linux/bpf.h>

#include <cstring>

#include "support/fixture.h"

namespace nwbpf::test {
namespace {

class SlotsTest : public DataplaneTest {
 protected:
  // Moves `ifindex` to the overflow: a port that cannot exist here (the
  // namespace has a handful of devices) takes its slot first.
  void evict_to_overflow(int ifindex, const nwbpf_port& port) {
    dp->ports().erase(ifindex);
    dp->set_port(ifindex + NWBPF_PORT_SLOTS, edge_port({kVlanB}, false, true));
    dp->set_port(ifindex, port);
    nwbpf_port in_slot{}, spilled{};
    uint32_t slot = ifindex % NWBPF_PORT_SLOTS, key = ifindex;
    ASSERT_EQ(bpf_map_lookup_elem(bpf_map__fd(dp->map("ports")), &slot, &in_slot), 0);
    ASSERT_EQ(in_slot.ifindex, ifindex + NWBPF_PORT_SLOTS);
    ASSERT_EQ(bpf_map_lookup_elem(bpf_map__fd(dp->map("ports_overflow")), &key, &spilled), 0);
  }
};

TEST_F(SlotsTest, IngressPortInTheOverflowIsFound) {
  evict_to_overflow(e1, edge_port({kVlanA}, false, true));
  dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
  auto r = xdp_edge(host_frame(kR2, kH1), e1);
  EXPECT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 1u);
}

TEST_F(SlotsTest, EgressPortInTheOverflowIsFound) {
  evict_to_overflow(e1, edge_port({kVlanA}, false, true));
  dp->add_fdb(kVlanA, kH1, fdb_local(e1));
  auto inner = host_frame(kH1, kR2);
  auto r = xdp_wan(from_peer(kNbma2, kVlanA, inner));
  EXPECT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(inner));
}

TEST_F(SlotsTest, SlotHolderIsNotMistakenForThePortItDisplaced) {
  // The slot's occupant carries VLAN 100 only: were it taken for e1, VLAN
  // 99 would be refused.
  evict_to_overflow(e1, edge_port({kVlanA}, false, true));
  dp->ports().erase(e1);
  auto r = xdp_edge(host_frame(kR2, kH1), e1);
  EXPECT_EQ(r.verdict, XDP_DROP);
  EXPECT_EQ(dp->drop(NWBPF_DROP_PORT_UNKNOWN), 1u);
}

// An address other than `addr` with the same slot.
uint32_t slot_sharer(uint32_t addr) {
  for (uint32_t n = 1;; ++n) {
    uint32_t other = htonl(ntohl(addr) + n);
    if (nwbpf_addr_slot(other) == nwbpf_addr_slot(addr)) return other;
  }
}

TEST_F(SlotsTest, PeerAndNextHopInTheOverflowAreFoundForEncapsulation) {
  dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
  // Decoys take the slots of VTEP 10.0.0.2 and of its NBMA 192.168.0.2.
  ASSERT_TRUE(dp->peers().erase(kVtep2));
  ASSERT_TRUE(dp->nexthops().erase(kNbma2));
  uint32_t vtep_decoy = slot_sharer(kVtep2), nbma_decoy = slot_sharer(kNbma2);
  dp->peers().update(vtep_decoy, nwbpf_peer{.nbma = kNbma3, .overlay = vtep_decoy});
  dp->set_nexthop(nbma_decoy, wan, kWanMac, kNbma3Mac);
  dp->set_peer(kVtep2, kNbma2);
  dp->set_nexthop(kNbma2, wan, kWanMac, kNbma2Mac);

  auto inner = host_frame(kR2, kH1);
  auto r = xdp_edge(inner, e1);
  EXPECT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  ASSERT_GE(r.out.size(), 50u);
  // Outer destination MAC and address of VTEP 10.0.0.2, not the decoys'.
  EXPECT_EQ(hex(Bytes(r.out.begin(), r.out.begin() + 6)), hex(Bytes(kNbma2Mac.begin(), kNbma2Mac.end())));
  uint32_t daddr;
  std::memcpy(&daddr, r.out.data() + 14 + 16, 4);
  EXPECT_EQ(daddr, kNbma2);
}

TEST_F(SlotsTest, PeerOfAnOuterSourceInTheOverflowIsFoundForDecapsulation) {
  ASSERT_TRUE(dp->peer_nbma().erase(nwbpf_peer_nbma_key{kNbma2}));
  uint32_t decoy = slot_sharer(kNbma2);
  dp->peer_nbma().update(nwbpf_peer_nbma_key{decoy}, nwbpf_peer_nbma{kVtep3, decoy});
  dp->peer_nbma().update(nwbpf_peer_nbma_key{kNbma2}, nwbpf_peer_nbma{kVtep2, kNbma2});
  dp->add_fdb(kVlanA, kH1, fdb_local(e1));
  auto inner = host_frame(kH1, kR2);
  auto r = xdp_wan(from_peer(kNbma2, kVlanA, inner));
  EXPECT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(inner));
  // Learned behind the sender's VTEP, not the decoy's.
  auto learned = dp->learned(kVlanA, kR2);
  ASSERT_TRUE(learned);
  EXPECT_EQ(learned->vtep, kVtep2);
  // The decoy's address itself is no peer's source: refused.
  EXPECT_EQ(xdp_wan(from_peer(slot_sharer(decoy), kVlanA, inner)).verdict, XDP_DROP);
  EXPECT_EQ(dp->drop(NWBPF_DROP_UNKNOWN_PEER), 1u);
}

}  // namespace
}  // namespace nwbpf::test
