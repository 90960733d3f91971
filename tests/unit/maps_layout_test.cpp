// SPDX-License-Identifier: Apache-2.0
// The maps of the BPF object built with this tree (the one nwbpfd embeds)
// against the C++ side: names as in maps/names.h, types as DatapathMaps reads
// them, and key/value sizes in BTF equal to sizeof of the shared structs.
// Opening an object needs no privileges, so this is a unit test.
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <set>
#include <string>

#include "dataplane/datapath_maps.h"
#include "dataplane/embedded_object.h"

namespace nwbpf {
namespace {

struct Expected {
  const char* name;
  bpf_map_type type;
  size_t key_size;
  size_t value_size;
  const char* key_type;    // BTF name of the key type ("" for none)
  const char* value_type;  // BTF name of the value type
};

// Sizes from the C++ types; BTF names from maps/maps.bpf.h's __type()s.
const Expected kMaps[] = {
    {NWBPF_MAP_SETTINGS, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(nwbpf_settings), "__u32",
     "nwbpf_settings"},
    {NWBPF_MAP_PORTS, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(nwbpf_port), "__u32", "nwbpf_port"},
    {NWBPF_MAP_PORTS_OVERFLOW, BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(nwbpf_port), "__u32",
     "nwbpf_port"},
    {NWBPF_MAP_VLAN_PORTS, BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(nwbpf_vlan_ports), "__u32",
     "nwbpf_vlan_ports"},
    {NWBPF_MAP_FDB, BPF_MAP_TYPE_HASH, sizeof(nwbpf_fdb_key), sizeof(nwbpf_fdb_entry),
     "nwbpf_fdb_key", "nwbpf_fdb_entry"},
    {NWBPF_MAP_FDB_LEARNED, BPF_MAP_TYPE_LRU_HASH, sizeof(nwbpf_fdb_key), sizeof(nwbpf_fdb_entry),
     "nwbpf_fdb_key", "nwbpf_fdb_entry"},
    {NWBPF_MAP_FDB_GEN, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(__u64), "__u32", "__u64"},
    {NWBPF_MAP_PEERS, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(nwbpf_peer), "__u32",
     "nwbpf_peer"},
    {NWBPF_MAP_PEERS_OVERFLOW, BPF_MAP_TYPE_HASH, sizeof(__be32), sizeof(nwbpf_peer), "__be32",
     "nwbpf_peer"},
    {NWBPF_MAP_PEER_NBMA, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(nwbpf_peer_nbma), "__u32",
     "nwbpf_peer_nbma"},
    {NWBPF_MAP_PEER_NBMA_OVERFLOW, BPF_MAP_TYPE_HASH, sizeof(nwbpf_peer_nbma_key),
     sizeof(nwbpf_peer_nbma), "nwbpf_peer_nbma_key", "nwbpf_peer_nbma"},
    {NWBPF_MAP_NEXTHOPS, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(nwbpf_nexthop), "__u32",
     "nwbpf_nexthop"},
    {NWBPF_MAP_NEXTHOPS_OVERFLOW, BPF_MAP_TYPE_HASH, sizeof(__be32), sizeof(nwbpf_nexthop),
     "__be32", "nwbpf_nexthop"},
    {NWBPF_MAP_FLOOD, BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(nwbpf_flood), "__u32",
     "nwbpf_flood"},
    {NWBPF_MAP_STATS, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u32), sizeof(nwbpf_counter), "__u32",
     "nwbpf_counter"},
    {NWBPF_MAP_DROPS, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u32), sizeof(nwbpf_counter), "__u32",
     "nwbpf_counter"},
    {NWBPF_MAP_ACL_ACTIVE, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(__u32), "__u32", "__u32"},
    {NWBPF_MAP_ACL_VLANS, BPF_MAP_TYPE_HASH, sizeof(nwbpf_acl_vlan_key), sizeof(nwbpf_acl_vlan),
     "nwbpf_acl_vlan_key", "nwbpf_acl_vlan"},
    {NWBPF_MAP_ACL_IP, BPF_MAP_TYPE_HASH, sizeof(nwbpf_acl_ip_key), sizeof(nwbpf_acl_hit),
     "nwbpf_acl_ip_key", "nwbpf_acl_hit"},
    {NWBPF_MAP_ACL_MAC, BPF_MAP_TYPE_HASH, sizeof(nwbpf_acl_mac_key), sizeof(nwbpf_acl_hit),
     "nwbpf_acl_mac_key", "nwbpf_acl_hit"},
    {NWBPF_MAP_ACL_COUNTERS, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u32), sizeof(nwbpf_acl_counter),
     "__u32", "nwbpf_acl_counter"},
    // The ring buffer has no key or value; its records are struct nwbpf_event.
    {NWBPF_MAP_EVENTS, BPF_MAP_TYPE_RINGBUF, 0, 0, "", ""},
};

// BPF-private state no one else reads: not pinned, so a new program load
// starts it afresh (bpf/lib/learn_memo.h, bpf/lib/fdb_memo.h, bpf/lib/events.h).
const char* const kPrivateMaps[] = {"learn_memo", "fdb_memo", "peer_miss_memo", "relayed_memo"};

struct Close {
  void operator()(bpf_object* obj) const { bpf_object__close(obj); }
};

class MapsLayout : public ::testing::Test {
 protected:
  void SetUp() override {
    auto bytes = nwbpf_embedded_object();
    ASSERT_GT(bytes.size(), 0u);
    LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "nwbpf");
    obj_.reset(bpf_object__open_mem(bytes.data(), bytes.size(), &opts));
    ASSERT_TRUE(obj_) << "cannot open the embedded BPF object: " << std::strerror(errno);
  }

  // Name of a BTF type with typedefs kept (so __u32 stays __u32) but
  // qualifiers and the struct keyword dropped.
  std::string type_name(__u32 id) const {
    const btf* b = bpf_object__btf(obj_.get());
    const btf_type* t = btf__type_by_id(b, id);
    while (t && (btf_is_const(t) || btf_is_volatile(t))) t = btf__type_by_id(b, t->type);
    return t ? btf__name_by_offset(b, t->name_off) : "";
  }

  std::unique_ptr<bpf_object, Close> obj_;
};

TEST_F(MapsLayout, EveryMapMatchesTheSharedStructs) {
  const btf* b = bpf_object__btf(obj_.get());
  ASSERT_NE(b, nullptr);
  for (const auto& want : kMaps) {
    SCOPED_TRACE(want.name);
    const bpf_map* map = bpf_object__find_map_by_name(obj_.get(), want.name);
    ASSERT_NE(map, nullptr) << "maps.bpf.h declares no map named as in names.h";
    EXPECT_EQ(bpf_map__type(map), want.type);
    if (want.type == BPF_MAP_TYPE_RINGBUF) continue;
    __u32 key = bpf_map__btf_key_type_id(map), value = bpf_map__btf_value_type_id(map);
    ASSERT_NE(key, 0u);
    ASSERT_NE(value, 0u);
    EXPECT_EQ(btf__resolve_size(b, key), static_cast<long>(want.key_size));
    EXPECT_EQ(btf__resolve_size(b, value), static_cast<long>(want.value_size));
    EXPECT_EQ(type_name(key), want.key_type);
    EXPECT_EQ(type_name(value), want.value_type);
  }
}

TEST_F(MapsLayout, ObjectHasExactlyTheNamedMaps) {
  std::set<std::string> named, found;
  for (const auto& want : kMaps) named.insert(want.name);
  for (const char* name : kPrivateMaps) named.insert(name);
  const bpf_map* map;
  bpf_object__for_each_map(map, obj_.get()) {
    if (!bpf_map__is_internal(map)) found.insert(bpf_map__name(map));
  }
  EXPECT_EQ(found, named);
}

TEST_F(MapsLayout, CounterArraysHoldEveryIndex) {
  EXPECT_EQ(bpf_map__max_entries(bpf_object__find_map_by_name(obj_.get(), NWBPF_MAP_STATS)),
            static_cast<__u32>(NWBPF_STAT_MAX));
  EXPECT_EQ(bpf_map__max_entries(bpf_object__find_map_by_name(obj_.get(), NWBPF_MAP_DROPS)),
            static_cast<__u32>(NWBPF_DROP_MAX));
  // Both generations of every rule and default index (maps/acl.h).
  EXPECT_EQ(bpf_map__max_entries(bpf_object__find_map_by_name(obj_.get(), NWBPF_MAP_ACL_COUNTERS)),
            static_cast<__u32>(2 * NWBPF_ACL_MAX_RULES));
}

TEST_F(MapsLayout, EveryMapIsPinnedByName) {
  // libbpf pins a map only when a pin root is set; with one, each map's pin
  // path is <root>/<name>, which is what the CLI opens.
  auto bytes = nwbpf_embedded_object();
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "nwbpf", .pin_root_path = "/pins");
  bpf_object* obj = bpf_object__open_mem(bytes.data(), bytes.size(), &opts);
  ASSERT_NE(obj, nullptr);
  std::unique_ptr<bpf_object, Close> guard(obj);
  for (const auto& want : kMaps) {
    const bpf_map* map = bpf_object__find_map_by_name(obj, want.name);
    ASSERT_NE(map, nullptr) << want.name;
    ASSERT_NE(bpf_map__pin_path(map), nullptr) << want.name << " is not pinned";
    EXPECT_EQ(std::string(bpf_map__pin_path(map)), std::string("/pins/") + want.name);
  }
  for (const char* name : kPrivateMaps) {
    const bpf_map* map = bpf_object__find_map_by_name(obj, name);
    ASSERT_NE(map, nullptr) << name;
    EXPECT_EQ(bpf_map__pin_path(map), nullptr) << name << " is BPF-private, never pinned";
  }
}

}  // namespace
}  // namespace nwbpf
