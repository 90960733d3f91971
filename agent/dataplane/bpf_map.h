// SPDX-License-Identifier: Apache-2.0
// Typed access to one BPF map by fd: from a loaded skeleton (the agent) or
// from a pinned path (the CLI, when the agent is down). The key and value
// types are the structs of maps/ and include/nwbpf/, so a layout change is
// a compile error, not a garbled table.
#pragma once

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nwbpf {

class BpfError : public std::runtime_error {
 public:
  BpfError(const std::string& what, int err)
      : std::runtime_error(what + ": " + std::strerror(err)), err_(err) {}
  int err() const { return err_; }

 private:
  int err_;
};

// Owns an fd (closes it) when opened from a pin; borrows it otherwise.
class MapFd {
 public:
  MapFd() = default;
  static MapFd borrow(int fd) { return MapFd(fd, false); }
  // Opens a pinned map; throws BpfError naming the path on failure.
  static MapFd open_pinned(const std::string& path) {
    int fd = bpf_obj_get(path.c_str());
    if (fd < 0) throw BpfError("cannot open pinned map " + path, errno);
    return MapFd(fd, true);
  }
  MapFd(MapFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)), owned_(o.owned_) {}
  MapFd& operator=(MapFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
      owned_ = o.owned_;
    }
    return *this;
  }
  MapFd(const MapFd&) = delete;
  MapFd& operator=(const MapFd&) = delete;
  ~MapFd() { reset(); }
  int get() const { return fd_; }

 private:
  MapFd(int fd, bool owned) : fd_(fd), owned_(owned) {}
  void reset() {
    if (owned_ && fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
  bool owned_ = false;
};

// Hash/array map of K -> V (not per-CPU; see PerCpuMap).
template <typename K, typename V>
class BpfMap {
 public:
  explicit BpfMap(MapFd fd) : fd_(std::move(fd)) {}

  std::optional<V> lookup(const K& key) const {
    V value{};
    if (bpf_map_lookup_elem(fd_.get(), &key, &value) == 0) return value;
    if (errno == ENOENT) return std::nullopt;
    throw BpfError("map lookup", errno);
  }
  void update(const K& key, const V& value) {
    if (bpf_map_update_elem(fd_.get(), &key, &value, BPF_ANY) != 0)
      throw BpfError("map update", errno);
  }
  // Returns false if the key was absent.
  bool erase(const K& key) {
    if (bpf_map_delete_elem(fd_.get(), &key) == 0) return true;
    if (errno == ENOENT) return false;
    throw BpfError("map delete", errno);
  }
  // Snapshot of every entry, read with BPF_MAP_LOOKUP_BATCH: a few
  // syscalls for 100,000 entries where a get_next_key + lookup walk takes
  // 200,000 (the reconciler reads the whole fdb on every reconcile).
  // Entries added or removed concurrently may or may not appear.
  std::vector<std::pair<K, V>> entries() const {
    std::vector<std::pair<K, V>> out;
    size_t chunk = kBatch;
    auto keys = std::make_unique_for_overwrite<K[]>(chunk);
    auto values = std::make_unique_for_overwrite<V[]>(chunk);
    // The kernel's position between batches: a bucket index for hash maps,
    // a key-sized buffer for arrays.
    alignas(8) uint8_t token[sizeof(K) > 8 ? sizeof(K) : 8] = {};
    bool first = true;
    for (;;) {
      auto count = static_cast<__u32>(chunk);
      const int rc = bpf_map_lookup_batch(fd_.get(), first ? nullptr : token, token, keys.get(),
                                          values.get(), &count, nullptr);
      const int err = rc ? errno : 0;
      if (err == ENOSPC && count == 0) {  // one hash bucket holds more than `chunk`
        chunk *= 2;
        keys = std::make_unique_for_overwrite<K[]>(chunk);
        values = std::make_unique_for_overwrite<V[]>(chunk);
        continue;
      }
      if (rc && err != ENOENT) throw BpfError("map lookup batch", err);
      for (__u32 i = 0; i < count; ++i) out.emplace_back(keys[i], values[i]);
      if (err == ENOENT) return out;  // that was the last batch
      first = false;
    }
  }
  int fd() const { return fd_.get(); }

 private:
  // Entries per BPF_MAP_LOOKUP_BATCH: ~40 KiB of buffers for the fdb, below
  // malloc's mmap threshold, so a read of a small map costs no mmap.
  static constexpr size_t kBatch = 1024;
  MapFd fd_;
};

// PERCPU_ARRAY of V: lookup returns one V per possible CPU.
template <typename V>
class PerCpuArray {
 public:
  explicit PerCpuArray(MapFd fd) : fd_(std::move(fd)), ncpu_(libbpf_num_possible_cpus()) {
    if (ncpu_ <= 0) throw BpfError("cannot count possible CPUs", -ncpu_);
  }
  std::vector<V> lookup(uint32_t index) const {
    std::vector<V> values(static_cast<size_t>(ncpu_));
    if (bpf_map_lookup_elem(fd_.get(), &index, values.data()) != 0)
      throw BpfError("per-CPU map lookup", errno);
    return values;
  }
  int fd() const { return fd_.get(); }

 private:
  MapFd fd_;
  int ncpu_;
};

}  // namespace nwbpf
