// SPDX-License-Identifier: Apache-2.0
// Port lookup (maps/port.h): a port whose slot another port holds lives in
// ports_overflow, and the programs find it there for ingress and egress.
#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "support/fixture.h"

namespace nwbpf::test {
namespace {

class PortsTest : public DataplaneTest {
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

TEST_F(PortsTest, IngressPortInTheOverflowIsFound) {
  evict_to_overflow(e1, edge_port({kVlanA}, false, true));
  dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
  auto r = xdp_edge(host_frame(kR2, kH1), e1);
  EXPECT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(dp->stat(NWBPF_STAT_ENCAP), 1u);
}

TEST_F(PortsTest, EgressPortInTheOverflowIsFound) {
  evict_to_overflow(e1, edge_port({kVlanA}, false, true));
  dp->add_fdb(kVlanA, kH1, fdb_local(e1));
  auto inner = host_frame(kH1, kR2);
  auto r = xdp_wan(from_peer(kNbma2, kVlanA, inner));
  EXPECT_EQ(r.verdict, XDP_REDIRECT) << dp->drops_summary();
  EXPECT_EQ(hex(r.out), hex(inner));
}

TEST_F(PortsTest, SlotHolderIsNotMistakenForThePortItDisplaced) {
  // The slot's occupant carries VLAN 100 only: were it taken for e1, VLAN
  // 99 would be refused.
  evict_to_overflow(e1, edge_port({kVlanA}, false, true));
  dp->ports().erase(e1);
  auto r = xdp_edge(host_frame(kR2, kH1), e1);
  EXPECT_EQ(r.verdict, XDP_DROP);
  EXPECT_EQ(dp->drop(NWBPF_DROP_PORT_UNKNOWN), 1u);
}

}  // namespace
}  // namespace nwbpf::test
