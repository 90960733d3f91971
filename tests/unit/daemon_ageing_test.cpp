// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "daemon/desired_state.h"
#include "daemon/fdb_ageing.h"
#include "daemon/rate_limiter.h"
#include "daemon_test_config.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {
namespace {

using namespace std::chrono_literals;
constexpr uint64_t kSec = 1000000000ULL;

nwbpf_fdb_key key(uint8_t last) {
  return nwbpf_fdb_key{.vni = 99, .mac = {2, 0, 0, 0, 0, last}, .pad = 0};
}

nwbpf_fdb_entry local(uint32_t ifindex, uint64_t last_seen) {
  return nwbpf_fdb_entry{.last_seen_ns = last_seen,
                         .ifindex = ifindex,
                         .vtep = 0,
                         .kind = NWBPF_FDB_LOCAL,
                         .origin = NWBPF_ORIGIN_LEARNED,
                         .flags = 0,
                         .pad = 0};
}

nwbpf_fdb_entry remote(Ipv4 vtep, uint64_t last_seen) {
  return nwbpf_fdb_entry{.last_seen_ns = last_seen,
                         .ifindex = 0,
                         .vtep = vtep.be,
                         .kind = NWBPF_FDB_REMOTE,
                         .origin = NWBPF_ORIGIN_LEARNED,
                         .flags = 0,
                         .pad = 0};
}

std::vector<uint8_t> last_bytes(const std::vector<nwbpf_fdb_key>& keys) {
  std::vector<uint8_t> out;
  for (const auto& k : keys) out.push_back(k.mac[5]);
  return out;
}

TEST(Ageing, ExpiresOnlyEntriesOlderThanTheAgeingTime) {
  const uint64_t now = 1000 * kSec;
  FdbEntries learned{
      {key(1), local(10, now - 300 * kSec)},       // exactly the ageing time: kept
      {key(2), local(10, now - 300 * kSec - 1)},   // one ns older: expired
      {key(3), local(10, now - 5 * kSec)},         // fresh
      {key(4), local(10, now + kSec)},             // refreshed after we read the clock
      {key(5), remote(test::ip("10.0.0.2"), 0)}};  // learned at boot, never seen since
  EXPECT_EQ(last_bytes(select_expired(learned, now, 300s)), (std::vector<uint8_t>{2, 5}));
}

TEST(Ageing, IsExpiredMatchesSelection) {
  EXPECT_FALSE(is_expired(local(1, 100 * kSec), 110 * kSec, 10s));
  EXPECT_TRUE(is_expired(local(1, 100 * kSec), 110 * kSec + 1, 10s));
  EXPECT_FALSE(is_expired(local(1, 120 * kSec), 110 * kSec, 10s));
}

TEST(Ageing, OrphansPointAtRemovedPortsOrPeers) {
  auto want = compute_desired(test::ce_config(), test::ce_links());  // ports 10, 11; WAN 2
  FdbEntries learned{{key(1), local(10, 0)},
                     {key(2), local(12, 0)},  // no such port
                     {key(3), local(2, 0)},   // the WAN is no edge port
                     {key(4), remote(test::ip("10.0.0.3"), 0)},
                     {key(5), remote(test::ip("10.0.0.9"), 0)}};  // not a peer
  EXPECT_EQ(last_bytes(select_orphaned(learned, want)), (std::vector<uint8_t>{2, 3, 5}));
}

TEST(Ageing, ScanIntervalIsAQuarterBetweenOneAndThirtySeconds) {
  EXPECT_EQ(ageing_scan_interval(300s), 30s);
  EXPECT_EQ(ageing_scan_interval(100s), 25s);
  EXPECT_EQ(ageing_scan_interval(10s), 2s);
  EXPECT_EQ(ageing_scan_interval(3s), 1s);
  EXPECT_EQ(ageing_scan_interval(1000000s), 30s);
}

TEST(Ageing, MonotonicClockAdvances) {
  uint64_t a = monotonic_ns();
  uint64_t b = monotonic_ns();
  EXPECT_GT(a, 0u);
  EXPECT_GE(b, a);
}

TEST(RateLimiter, OncePerKeyPerInterval) {
  RateLimiter<uint32_t> limiter(1s);
  const auto t0 = RateLimiter<uint32_t>::Clock::time_point{} + 100s;
  EXPECT_TRUE(limiter.allow(1, t0));
  EXPECT_FALSE(limiter.allow(1, t0 + 999ms));
  EXPECT_TRUE(limiter.allow(2, t0 + 999ms));
  EXPECT_TRUE(limiter.allow(1, t0 + 1s));
  EXPECT_FALSE(limiter.allow(1, t0 + 1500ms));
}

TEST(RateLimiter, ForgetsIdleKeysWhenFull) {
  RateLimiter<uint32_t> limiter(1s, 3);
  const auto t0 = RateLimiter<uint32_t>::Clock::time_point{} + 100s;
  EXPECT_TRUE(limiter.allow(1, t0));
  EXPECT_TRUE(limiter.allow(2, t0));
  EXPECT_TRUE(limiter.allow(3, t0 + 2s));
  EXPECT_TRUE(limiter.allow(4, t0 + 2s));  // full: 1 and 2 are idle and go
  EXPECT_EQ(limiter.size(), 2u);
  EXPECT_FALSE(limiter.allow(3, t0 + 2s));
}

}  // namespace
}  // namespace nwbpf::daemon
