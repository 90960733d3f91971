// SPDX-License-Identifier: Apache-2.0
// AclTable over the pinned maps of a loaded Datapath: apply and re-apply
// swap generations and leave nothing of the old set, counters are per set,
// a bad image is refused before anything is written, and a write that fails
// half-way (map full) leaves the set in force as it was.
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "dataplane/acl_table.h"
#include "dataplane/datapath.h"
#include "loader_support.h"

namespace nwbpf {
namespace {

using test::NamespacedTest;

// VLAN vid: ip-filter (default deny, index 1) with one shape, proto exact,
// holding `keys` UDP destinations 10.x.y.z (rule 0, permit); rule_count 2.
AclImage image(uint16_t vid, uint32_t keys) {
  AclImage img;
  nwbpf_acl_vlan v{};
  v.flags = NWBPF_ACL_HAS_IP;
  v.ip_default = NWBPF_ACL_DENY;
  v.ip_default_rule = 1;
  v.shape_count = 1;
  v.shapes[0].dst_mask = 0xffffffff;
  v.shapes[0].proto_mask = 0xff;
  img.vlans.push_back({nwbpf_acl_vlan_key{vid, 0, 0}, v});
  for (uint32_t i = 0; i < keys; i++) {
    nwbpf_acl_ip_key k{};
    k.vlan = vid;
    k.dst = htonl(0x0a000000 + i);
    k.proto = 17;
    img.ip.push_back({k, nwbpf_acl_hit{0, NWBPF_ACL_PERMIT, {}}});
  }
  img.rule_count = 2;
  return img;
}

size_t count_gen(const auto& map, uint8_t gen) {
  size_t n = 0;
  for (const auto& [k, v] : map.entries()) n += k.gen == gen;
  return n;
}

class LoaderAclTable : public NamespacedTest {
 protected:
  void SetUp() override {
    NamespacedTest::SetUp();
    dp = Datapath::load(config());
    table = std::make_unique<AclTable>(dp->maps().acl);
  }
  AclMaps& maps() { return dp->maps().acl; }
  void expect_refused(const AclImage& img, const std::string& error) {
    try {
      table->apply(img);
      ADD_FAILURE() << "applied: " << error;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), error);
    }
  }
  std::unique_ptr<Datapath> dp;
  std::unique_ptr<AclTable> table;
};

TEST_F(LoaderAclTable, ApplyAndReapplySwapGenerationsAndClearTheOldSet) {
  EXPECT_EQ(table->active_generation(), 0u);
  table->apply(image(10, 3));
  EXPECT_EQ(table->active_generation(), 1u);
  EXPECT_EQ(count_gen(maps().ip, 1), 3u);
  EXPECT_EQ(count_gen(maps().vlans, 1), 1u);
  table->apply(image(20, 5));
  EXPECT_EQ(table->active_generation(), 0u);
  EXPECT_EQ(count_gen(maps().ip, 0), 5u);
  EXPECT_EQ(count_gen(maps().ip, 1), 0u);
  EXPECT_EQ(maps().vlans.entries().size(), 1u);
  EXPECT_TRUE(maps().vlans.lookup(nwbpf_acl_vlan_key{20, 0, 0}));

  // What the CLI reads from the pins is the same set.
  auto pinned = DatapathMaps::open_pinned(config().pin_dir());
  EXPECT_EQ(AclTable(pinned.acl).active_generation(), 0u);
  EXPECT_EQ(pinned.acl.ip.entries().size(), 5u);

  table->apply(AclImage{});
  EXPECT_EQ(maps().ip.entries().size(), 0u) << "an empty set empties the maps";
  EXPECT_EQ(maps().vlans.entries().size(), 0u);
}

TEST_F(LoaderAclTable, CountersArePerSetAndStartAtZero) {
  table->apply(image(10, 1));
  // As BPF counts: slot gen * NWBPF_ACL_MAX_RULES + index, per CPU.
  const int ncpu = libbpf_num_possible_cpus();
  std::vector<nwbpf_acl_counter> per_cpu(ncpu, nwbpf_acl_counter{3, 300});
  uint32_t slot = 1 * NWBPF_ACL_MAX_RULES + 1;
  ASSERT_EQ(bpf_map_update_elem(maps().counters.fd(), &slot, per_cpu.data(), BPF_ANY), 0);
  auto c = table->counters(2);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].packets, 0u);
  EXPECT_EQ(c[1].packets, 3u * ncpu);
  EXPECT_EQ(c[1].bytes, 300u * ncpu);
  table->apply(image(10, 1));
  table->apply(image(10, 1));  // back to generation 1: zeroed again
  EXPECT_EQ(table->counters(2)[1].packets, 0u);
  EXPECT_THROW(table->counters(NWBPF_ACL_MAX_RULES + 1), std::invalid_argument);
}

TEST_F(LoaderAclTable, BadImagesAreRefusedBeforeAnythingIsWritten) {
  table->apply(image(10, 2));
  AclImage img = image(10, 1);
  img.rule_count = NWBPF_ACL_MAX_RULES + 1;
  expect_refused(img, "ACL image: 16385 rules and defaults, more than 16384");
  expect_refused(image(10, kAclMaxIpKeys + 1),
                 "ACL image: 131073 ip keys, more than the 131072 one rule set may hold");
  img = image(10, 1);
  img.ip[0].first.gen = 1;
  expect_refused(img, "ACL image: acl_ip entry 0 (VLAN 10): key has generation 1, not 0");
  img = image(10, 1);
  img.ip[0].second.rule = 2;
  expect_refused(img, "ACL image: acl_ip entry 0 (VLAN 10): rule index 2 is not below rule_count 2");
  img = image(10, 1);
  img.ip[0].first.vlan = 11;
  expect_refused(img, "ACL image: acl_ip entry 0 (VLAN 11): the VLAN has no ip-filter");
  img = image(10, 1);
  img.vlans[0].second.shape_count = 2;
  img.vlans[0].second.shapes[1].first_rule = 0;
  img.vlans[0].second.shapes[0].first_rule = 1;
  expect_refused(img, "ACL image: acl_vlans entry 0 (VLAN 10): shape 1 is not sorted by first_rule (0 after 1)");
  img = image(10, 1);
  img.vlans[0].second.ip_default = 2;
  expect_refused(img, "ACL image: acl_vlans entry 0 (VLAN 10) ip default: action 2 is neither permit (0) nor deny (1)");
  EXPECT_EQ(table->active_generation(), 1u) << "nothing was written";
  EXPECT_EQ(maps().ip.entries().size(), 2u);
}

TEST_F(LoaderAclTable, AFailureHalfWayLeavesTheSetInForce) {
  table->apply(image(10, 4));
  // Fill acl_ip with entries of the generation in force (another VLAN), so
  // that the next set finds the map full half-way through.
  std::vector<nwbpf_acl_ip_key> keys;
  std::vector<nwbpf_acl_hit> hits;
  for (uint32_t i = 0; i < NWBPF_ACL_MAX_IP_KEYS - 4 - 1000; i++) {
    nwbpf_acl_ip_key k{};
    k.gen = 1;
    k.vlan = 99;
    k.src = i;
    keys.push_back(k);
    hits.push_back({0, 0, {}});
  }
  auto n = static_cast<__u32>(keys.size());
  ASSERT_EQ(bpf_map_update_batch(maps().ip.fd(), keys.data(), hits.data(), &n, nullptr), 0);
  try {
    table->apply(image(20, 5000));
    ADD_FAILURE() << "a full map took 5000 more entries";
  } catch (const BpfError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("writing 5000 entries to acl_ip (stopped after ", 0), 0u)
        << e.what();
  }
  EXPECT_EQ(table->active_generation(), 1u);
  EXPECT_EQ(count_gen(maps().ip, 0), 0u) << "what was written is removed";
  EXPECT_EQ(count_gen(maps().vlans, 0), 0u);
  EXPECT_TRUE(maps().vlans.lookup(nwbpf_acl_vlan_key{10, 1, 0}));
  EXPECT_EQ(count_gen(maps().ip, 1), keys.size() + 4);
}

}  // namespace
}  // namespace nwbpf
