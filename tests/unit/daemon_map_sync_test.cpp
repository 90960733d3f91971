// SPDX-License-Identifier: Apache-2.0
// The one-walk diff of map_sync.h: the entries to write and the keys to
// delete, each in key order, with unequal bytes as a write and a key the
// live map lists twice counted once.
#include <gtest/gtest.h>

#include <random>

#include "daemon/map_sync.h"
#include "maps/fdb.h"

namespace nwbpf::daemon {
namespace {

using Entries = std::vector<std::pair<__u32, __u64>>;

struct ListMap {  // a map whose entries() come in the order given, repeats kept
  Entries listed;
  std::vector<std::pair<__u32, __u64>> written;
  std::vector<__u32> erased;
  std::vector<std::pair<__u32, __u64>> entries() const { return listed; }
  void update(const __u32& k, const __u64& v) { written.emplace_back(k, v); }
  bool erase(const __u32& k) {
    erased.push_back(k);
    return k != 404;  // 404 is "already gone"
  }
};

TEST(MapSync, DiffWritesWhatIsMissingOrDifferentAndDeletesWhatIsNotWanted) {
  const Table<__u32, __u64> want{{1, 10}, {3, 30}, {5, 50}, {7, 70}};
  const Entries current{{0, 0}, {3, 31}, {4, 40}, {5, 50}, {9, 90}};
  const auto d = diff_table(want, current);
  EXPECT_EQ(d.write, (Entries{{1, 10}, {3, 30}, {7, 70}}));
  EXPECT_EQ(d.erase, (std::vector<__u32>{0, 4, 9}));
}

TEST(MapSync, DiffOfEmptySides) {
  EXPECT_EQ(diff_table(Table<__u32, __u64>{}, Entries{{2, 2}, {8, 8}}).erase,
            (std::vector<__u32>{2, 8}));
  EXPECT_EQ(diff_table(Table<__u32, __u64>{{2, 2}}, Entries{}).write, (Entries{{2, 2}}));
  const auto same = diff_table(Table<__u32, __u64>{{2, 2}}, Entries{{2, 2}});
  EXPECT_TRUE(same.write.empty());
  EXPECT_TRUE(same.erase.empty());
}

TEST(MapSync, ReadSortedOrdersByKeyAndKeepsTheFirstOfARepeatedKey) {
  ListMap m{{{9, 1}, {2, 1}, {9, 2}, {5, 1}}, {}, {}};
  EXPECT_EQ((read_sorted<__u32, __u64>(m)), (Entries{{2, 1}, {5, 1}, {9, 1}}));
}

TEST(MapSync, WritesAndDeletesTheDiffCountingOnlyKeysThatWent) {
  ListMap m{{{1, 1}, {404, 4}, {6, 6}}, {}, {}};
  const auto d = diff_table(Table<__u32, __u64>{{1, 2}, {3, 3}}, read_sorted<__u32, __u64>(m));
  EXPECT_EQ(write_changed(m, d), 2u);
  EXPECT_EQ(m.written, (Entries{{1, 2}, {3, 3}}));
  EXPECT_EQ(delete_stale(m, d), 1u);  // 404 was already gone
  EXPECT_EQ(m.erased, (std::vector<__u32>{6, 404}));
}

// The walk agrees with a lookup per key on random FDB tables, whose keys
// order by their bytes (KeyLess), not numerically.
TEST(MapSync, DiffMatchesALookupPerKeyOnFdbKeys) {
  std::mt19937 rng(7);
  auto key = [&] {
    nwbpf_fdb_key k{};
    k.vni = rng() % 300;
    for (auto& b : k.mac) b = uint8_t(rng() % 4);
    return k;
  };
  for (int round = 0; round < 20; ++round) {
    Table<nwbpf_fdb_key, nwbpf_fdb_entry> want, live;
    for (int i = 0; i < 200; ++i) {
      nwbpf_fdb_entry e{};
      e.vtep = rng() % 2;
      (rng() % 2 ? want : live)[key()] = e;
      if (rng() % 3 == 0) {
        const auto k = key();
        want[k] = e;
        live[k] = e;
      }
    }
    const auto d = diff_table(want, std::vector<std::pair<nwbpf_fdb_key, nwbpf_fdb_entry>>(
                                        live.begin(), live.end()));
    std::vector<std::pair<nwbpf_fdb_key, nwbpf_fdb_entry>> write;
    std::vector<nwbpf_fdb_key> erase;
    for (const auto& [k, v] : want)
      if (auto it = live.find(k); it == live.end() || !same_bytes(it->second, v))
        write.emplace_back(k, v);
    for (const auto& [k, v] : live)
      if (!want.contains(k)) erase.push_back(k);
    ASSERT_EQ(d.write.size(), write.size());
    ASSERT_EQ(d.erase.size(), erase.size());
    for (size_t i = 0; i < write.size(); ++i) {
      EXPECT_TRUE(same_bytes(d.write[i].first, write[i].first));
      EXPECT_TRUE(same_bytes(d.write[i].second, write[i].second));
    }
    for (size_t i = 0; i < erase.size(); ++i) EXPECT_TRUE(same_bytes(d.erase[i], erase[i]));
  }
}

}  // namespace
}  // namespace nwbpf::daemon
