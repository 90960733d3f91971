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
  // Snapshot of every entry. Entries added or removed concurrently may or may
  // not appear; an entry deleted between next_key and lookup is skipped.
  std::vector<std::pair<K, V>> entries() const {
    std::vector<std::pair<K, V>> out;
    K key{}, next{};
    const K* prev = nullptr;
    while (bpf_map_get_next_key(fd_.get(), prev, &next) == 0) {
      V value{};
      if (bpf_map_lookup_elem(fd_.get(), &next, &value) == 0) out.emplace_back(next, value);
      key = next;
      prev = &key;
    }
    return out;
  }
  int fd() const { return fd_.get(); }

 private:
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
