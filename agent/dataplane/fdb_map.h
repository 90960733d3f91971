// SPDX-License-Identifier: Apache-2.0
// fdb and fdb_learned as the agent writes them: every change is followed by
// a bump of the FDB generation (maps/fdb.h), which voids the per-CPU memos
// of FDB answers in BPF (bpf/lib/fdb_memo.h, bpf/lib/learn_memo.h), so the
// next frame sees the change. Writing either map any other way leaves frames
// following the old answer.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "common/net_types.h"
#include "dataplane/bpf_map.h"
#include "maps/fdb.h"
#include "maps/names.h"

namespace nwbpf {

// The key of (vni, mac), and the MAC of a key or event (maps/fdb.h layout).
inline nwbpf_fdb_key fdb_key_of(uint32_t vni, const Mac& mac) {
  nwbpf_fdb_key key{};
  key.vni = vni;
  std::copy(mac.bytes.begin(), mac.bytes.end(), key.mac);
  return key;
}
inline Mac mac_of(const __u8 (&bytes)[6]) {
  Mac mac;
  std::copy(std::begin(bytes), std::end(bytes), mac.bytes.begin());
  return mac;
}

// The map fdb_gen (an mmapable ARRAY of one __u64) mapped into this process:
// a bump is one atomic add on memory BPF reads, not a syscall.
class FdbGeneration {
 public:
  // Maps the generation of map fd. Throws BpfError if the map cannot be
  // mapped (not created with BPF_F_MMAPABLE: a different nwbpf version).
  explicit FdbGeneration(int fd) {
    void* p = ::mmap(nullptr, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) throw BpfError("cannot map " NWBPF_MAP_FDB_GEN, errno);
    gen_ = static_cast<uint64_t*>(p);
  }
  ~FdbGeneration() { ::munmap(gen_, sizeof(uint64_t)); }
  FdbGeneration(const FdbGeneration&) = delete;
  FdbGeneration& operator=(const FdbGeneration&) = delete;

  // Atomic like BPF's own __sync_fetch_and_add on the same word: no bump is
  // lost when BPF learning bumps at the same time.
  void bump() { std::atomic_ref<uint64_t>(*gen_).fetch_add(1); }
  uint64_t value() const { return std::atomic_ref<uint64_t>(*gen_).load(); }

 private:
  uint64_t* gen_ = nullptr;
};

class FdbMap {
 public:
  using Key = nwbpf_fdb_key;
  using Value = nwbpf_fdb_entry;

  FdbMap(BpfMap<Key, Value> map, std::shared_ptr<FdbGeneration> gen)
      : map_(std::move(map)), gen_(std::move(gen)) {}

  std::optional<Value> lookup(const Key& key) const { return map_.lookup(key); }
  void update(const Key& key, const Value& value) {
    map_.update(key, value);
    gen_->bump();
  }
  // Returns false if the key was absent (nothing changed, no bump).
  bool erase(const Key& key) {
    if (!map_.erase(key)) return false;
    gen_->bump();
    return true;
  }
  std::vector<std::pair<Key, Value>> entries() const { return map_.entries(); }
  int fd() const { return map_.fd(); }

 private:
  BpfMap<Key, Value> map_;
  std::shared_ptr<FdbGeneration> gen_;
};

}  // namespace nwbpf
