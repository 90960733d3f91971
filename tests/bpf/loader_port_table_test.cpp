// SPDX-License-Identifier: Apache-2.0
// PortTable over real maps: where ports are placed, how they move, and that
// callers see one ifindex-keyed table.
#include <bpf/bpf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "dataplane/port_table.h"

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

}  // namespace
}  // namespace nwbpf
