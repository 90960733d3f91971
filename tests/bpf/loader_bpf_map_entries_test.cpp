// SPDX-License-Identifier: Apache-2.0
// BpfMap::entries() over real maps: read in batches of 1024, so tables of
// several batches, an ARRAY (every index), an LRU hash and an empty map
// must each come back whole, every entry once with its value.
#include <bpf/bpf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>

#include "dataplane/bpf_map.h"
#include "maps/fdb.h"

namespace nwbpf {
namespace {

class MapFdGuard {
 public:
  MapFdGuard(bpf_map_type type, uint32_t key, uint32_t value, uint32_t max)
      : fd_(bpf_map_create(type, "entries_test", key, value, max, nullptr)) {}
  ~MapFdGuard() {
    if (fd_ >= 0) close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

nwbpf_fdb_key key(uint32_t i) {
  nwbpf_fdb_key k{};
  k.vni = 99 + i % 3;
  k.mac[0] = 0x02;
  k.mac[2] = uint8_t(i >> 16);
  k.mac[3] = uint8_t(i >> 8);
  k.mac[4] = uint8_t(i);
  return k;
}

// Fills a hash map of `type` with n entries and checks entries() against them.
void check_hash(bpf_map_type type, uint32_t n) {
  MapFdGuard m(type, sizeof(nwbpf_fdb_key), sizeof(nwbpf_fdb_entry), 2 * n + 16);
  ASSERT_GE(m.fd(), 0);
  BpfMap<nwbpf_fdb_key, nwbpf_fdb_entry> map(MapFd::borrow(m.fd()));
  std::map<uint32_t, uint32_t> want;  // i -> vtep
  for (uint32_t i = 0; i < n; ++i) {
    nwbpf_fdb_entry e{};
    e.vtep = i * 7 + 1;
    map.update(key(i), e);
    want[i] = e.vtep;
  }
  const auto got = map.entries();
  ASSERT_EQ(got.size(), n);
  std::map<uint32_t, uint32_t> seen;
  for (const auto& [k, e] : got) {
    const uint32_t i = uint32_t(k.mac[2]) << 16 | uint32_t(k.mac[3]) << 8 | k.mac[4];
    EXPECT_EQ(k.vni, 99 + i % 3);
    EXPECT_TRUE(seen.emplace(i, e.vtep).second) << "entry " << i << " twice";
  }
  EXPECT_EQ(seen, want);
}

TEST(BpfMapEntries, HashOfSeveralBatches) { check_hash(BPF_MAP_TYPE_HASH, 5000); }
TEST(BpfMapEntries, HashOfExactlyOneBatch) { check_hash(BPF_MAP_TYPE_HASH, 1024); }
TEST(BpfMapEntries, LruHash) { check_hash(BPF_MAP_TYPE_LRU_HASH, 3000); }

TEST(BpfMapEntries, EmptyHash) {
  MapFdGuard m(BPF_MAP_TYPE_HASH, sizeof(nwbpf_fdb_key), sizeof(nwbpf_fdb_entry), 64);
  ASSERT_GE(m.fd(), 0);
  EXPECT_TRUE((BpfMap<nwbpf_fdb_key, nwbpf_fdb_entry>(MapFd::borrow(m.fd())).entries().empty()));
}

TEST(BpfMapEntries, ArrayGivesEveryIndexInOrder) {
  MapFdGuard m(BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(__u64), 2500);
  ASSERT_GE(m.fd(), 0);
  BpfMap<__u32, __u64> map(MapFd::borrow(m.fd()));
  map.update(7, 70);
  map.update(2499, 24990);
  const auto got = map.entries();
  ASSERT_EQ(got.size(), 2500u);
  for (__u32 i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].first, i);
    EXPECT_EQ(got[i].second, i == 7 ? 70u : i == 2499 ? 24990u : 0u);
  }
}

}  // namespace
}  // namespace nwbpf
