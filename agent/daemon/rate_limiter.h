// SPDX-License-Identifier: Apache-2.0
// At most one action per key per interval (e.g. one neighbour resolution per
// VTEP address per second, however many NEIGH_MISS events BPF sends while
// the ARP request is outstanding). Pure: the caller passes the time.
#pragma once

#include <chrono>
#include <cstddef>
#include <unordered_map>

namespace nwbpf::daemon {

template <typename Key>
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `max_keys` bounds memory: past it, keys idle for an interval are dropped.
  explicit RateLimiter(Clock::duration interval, size_t max_keys = 4096)
      : interval_(interval), max_keys_(max_keys) {}

  // True (and the key's interval restarts) if the key has not been allowed
  // within the last interval.
  bool allow(const Key& key, Clock::time_point now) {
    auto it = last_.find(key);
    if (it != last_.end() && now - it->second < interval_) return false;
    if (it == last_.end() && last_.size() >= max_keys_)
      std::erase_if(last_, [&](const auto& kv) { return now - kv.second >= interval_; });
    last_[key] = now;
    return true;
  }

  size_t size() const { return last_.size(); }

 private:
  Clock::duration interval_;
  size_t max_keys_;
  std::unordered_map<Key, Clock::time_point> last_;
};

}  // namespace nwbpf::daemon
