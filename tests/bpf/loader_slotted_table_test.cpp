// SPDX-License-Identifier: Apache-2.0
// SlottedTable (the direct-mapped tables) over real maps: where entries are
// placed, how they move, and that callers see one keyed table. PortTable,
// then a PeerTable for the address-keyed ones.
#include <bpf/bpf.h>
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "common/net_types.h"
#include "dataplane/slot_layouts.h"

namespace nwbpf {
namespace {

class PortTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    slots_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ports", 4, sizeof(nwbpf_port),
                              NWBPF_PORT_SLOTS, nullptr);
    overflow_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "ports_overflow", 4, sizeof(nwbpf_port),
                                 NWBPF_PORT_SLOTS, nullptr);
    ASSERT_GE(slots_fd, 0);
    ASSERT_GE(overflow_fd, 0);
    table.emplace(BpfMap<__u32, nwbpf_port>(MapFd::borrow(slots_fd)),
                  BpfMap<__u32, nwbpf_port>(MapFd::borrow(overflow_fd)));
  }
  void TearDown() override {
    close(slots_fd);
    close(overflow_fd);
  }
  static nwbpf_port port(__u32 ifindex, __u16 pvid = 0) {
    nwbpf_port p{};
    p.role = NWBPF_PORT_EDGE;
    p.ifindex = ifindex;
    p.pvid = pvid;
    return p;
  }
  // ifindex of slot `slot`'s occupant (0: empty).
  __u32 in_slot(__u32 slot) {
    nwbpf_port p{};
    EXPECT_EQ(bpf_map_lookup_elem(slots_fd, &slot, &p), 0);
    return p.ifindex;
  }
  bool in_overflow(__u32 ifindex) {
    nwbpf_port p{};
    return bpf_map_lookup_elem(overflow_fd, &ifindex, &p) == 0;
  }
  std::vector<__u32> ifindexes() {
    std::vector<__u32> out;
    for (const auto& [k, v] : table->entries()) out.push_back(k);
    std::sort(out.begin(), out.end());
    return out;
  }
  int slots_fd = -1, overflow_fd = -1;
  std::optional<PortTable> table;
};

TEST_F(PortTableTest, APortTakesItsSlotAndACollidingOneTheOverflow) {
  table->update(5, port(5));
  table->update(5 + NWBPF_PORT_SLOTS, port(5 + NWBPF_PORT_SLOTS));
  EXPECT_EQ(in_slot(5), 5u);
  EXPECT_TRUE(in_overflow(5 + NWBPF_PORT_SLOTS));
  EXPECT_FALSE(in_overflow(5));
  EXPECT_EQ(ifindexes(), (std::vector<__u32>{5, 5 + NWBPF_PORT_SLOTS}));
  EXPECT_EQ(table->lookup(5 + NWBPF_PORT_SLOTS)->ifindex, 5 + NWBPF_PORT_SLOTS);
  EXPECT_FALSE(table->lookup(6));
}

TEST_F(PortTableTest, UpdatesStayInPlaceAndAFreedSlotIsTakenAtTheNextUpdate) {
  const __u32 a = 7, b = 7 + NWBPF_PORT_SLOTS;
  table->update(a, port(a));
  table->update(b, port(b));
  table->update(a, port(a, 99));
  EXPECT_EQ(in_slot(7), a);
  EXPECT_EQ(table->lookup(a)->pvid, 99);

  EXPECT_TRUE(table->erase(a));
  EXPECT_EQ(in_slot(7), 0u);
  EXPECT_TRUE(in_overflow(b)) << "nothing moves until b is written";
  table->update(b, port(b, 100));
  EXPECT_EQ(in_slot(7), b);
  EXPECT_FALSE(in_overflow(b));
  EXPECT_EQ(table->lookup(b)->pvid, 100);
  EXPECT_EQ(ifindexes(), (std::vector<__u32>{b}));
}

TEST_F(PortTableTest, EraseReportsWhetherThePortWasThere) {
  table->update(9, port(9));
  table->update(9 + NWBPF_PORT_SLOTS, port(9 + NWBPF_PORT_SLOTS));
  EXPECT_TRUE(table->erase(9 + NWBPF_PORT_SLOTS));
  EXPECT_FALSE(table->erase(9 + NWBPF_PORT_SLOTS));
  EXPECT_EQ(in_slot(9), 9u) << "erasing the overflowed port leaves the slot alone";
  EXPECT_TRUE(table->erase(9));
  EXPECT_FALSE(table->erase(9));
  EXPECT_FALSE(table->erase(0)) << "ifindex 0 is the empty slot, never a port";
  EXPECT_TRUE(ifindexes().empty());
}

TEST_F(PortTableTest, AnEntryMustNameItsOwnIfindex) {
  try {
    table->update(4, port(5));
    FAIL() << "accepted a port entry naming another ifindex";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "port entry for ifindex 4 names ifindex 5");
  }
  EXPECT_THROW(table->update(0, port(0)), std::invalid_argument);
  EXPECT_TRUE(ifindexes().empty());
}

TEST(PeerTableTest, AddressesThatShareASlotAreBothFound) {
  int slots = bpf_map_create(BPF_MAP_TYPE_ARRAY, "peers", 4, sizeof(nwbpf_peer),
                             NWBPF_ADDR_SLOTS, nullptr);
  int overflow = bpf_map_create(BPF_MAP_TYPE_HASH, "peers_overflow", 4, sizeof(nwbpf_peer),
                                64, nullptr);
  ASSERT_GE(slots, 0);
  ASSERT_GE(overflow, 0);
  PeerTable peers(BpfMap<__u32, nwbpf_peer>(MapFd::borrow(slots)),
                  BpfMap<__be32, nwbpf_peer>(MapFd::borrow(overflow)));
  // Two overlay addresses in 10.0.0.0/16 with the same slot.
  __be32 a = Ipv4::parse("10.0.0.1")->be, b = 0;
  for (uint32_t host = 2; host < 65536 && !b; ++host) {
    __be32 c = htonl(ntohl(a) - 1 + host);
    if (nwbpf_addr_slot(c) == nwbpf_addr_slot(a)) b = c;
  }
  ASSERT_NE(b, 0u);
  peers.update(a, nwbpf_peer{.nbma = Ipv4::parse("192.168.0.1")->be, .overlay = a});
  peers.update(b, nwbpf_peer{.nbma = Ipv4::parse("192.168.0.2")->be, .overlay = b});
  EXPECT_EQ(peers.lookup(a)->nbma, Ipv4::parse("192.168.0.1")->be);
  EXPECT_EQ(peers.lookup(b)->nbma, Ipv4::parse("192.168.0.2")->be);
  EXPECT_EQ(peers.entries().size(), 2u);
  try {
    peers.update(a, nwbpf_peer{.nbma = Ipv4::parse("192.168.0.1")->be, .overlay = b});
    FAIL() << "accepted a peer entry naming another overlay address";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "peer entry for overlay 10.0.0.1 names overlay " + Ipv4{b}.str());
  }
  close(slots);
  close(overflow);
}

}  // namespace
}  // namespace nwbpf
