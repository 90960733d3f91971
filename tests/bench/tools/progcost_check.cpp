// SPDX-License-Identifier: Apache-2.0
#include "progcost_check.h"

#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include <algorithm>
#include <stdexcept>

namespace nwbpf::progcost {

namespace {

const char* const kStatNames[] = {
#define NWBPF_X_NAME(e, n, h) n,
    NWBPF_STAT_LIST(NWBPF_X_NAME)
#undef NWBPF_X_NAME
};

std::vector<uint64_t> stats(const test::TestDatapath& dp) {
  std::vector<uint64_t> v(NWBPF_STAT_MAX);
  for (uint32_t i = 0; i < NWBPF_STAT_MAX; i++) v[i] = dp.stat(static_cast<nwbpf_stat>(i));
  return v;
}

std::vector<uint64_t> drops(const test::TestDatapath& dp) {
  std::vector<uint64_t> v(NWBPF_DROP_MAX);
  for (uint32_t i = 0; i < NWBPF_DROP_MAX; i++) v[i] = dp.drop(static_cast<nwbpf_drop>(i));
  return v;
}

Sample checked_run(const test::TestDatapath& dp, const Expect& e,
                   const std::function<Sample()>& once) {
  auto stats_before = stats(dp);
  auto drops_before = drops(dp);
  Sample s = once();
  if (s.verdict != e.verdict)
    throw std::runtime_error(e.what + ": verdict " + verdict_name(e.xdp, s.verdict) +
                             ", expected " + verdict_name(e.xdp, e.verdict) +
                             " (drops: " + dp.drops_summary() + ")");
  if (drops(dp) != drops_before)
    throw std::runtime_error(e.what + ": the data plane dropped packets (drops: " +
                             dp.drops_summary() + ")");
  auto stats_after = stats(dp);
  for (auto [stat, step] : e.per_packet) {
    uint64_t moved = stats_after[stat] - stats_before[stat];
    if (moved != step * s.packets)
      throw std::runtime_error(e.what + ": counter " + kStatNames[stat] + " moved by " +
                               std::to_string(moved) + " for " + std::to_string(s.packets) +
                               " packets, expected " + std::to_string(step * s.packets));
  }
  if (!(s.ns > 0))
    throw std::runtime_error(e.what + ": BPF_PROG_RUN reported no run time");
  return s;
}

}  // namespace

Timing checked_timing(const test::TestDatapath& dp, const Expect& e, uint32_t runs,
                      const std::function<Sample()>& once) {
  if (!runs) throw std::invalid_argument("checked_timing: no runs");
  checked_run(dp, e, once);  // warm-up: caches, learning of the sources
  std::vector<double> ns;
  for (uint32_t i = 0; i < runs; i++) ns.push_back(checked_run(dp, e, once).ns);
  return {median(ns), *std::min_element(ns.begin(), ns.end())};
}

double median(std::vector<double> ns) {
  if (ns.empty()) throw std::invalid_argument("median: no figures");
  std::sort(ns.begin(), ns.end());
  const size_t m = ns.size() / 2;
  return ns.size() % 2 ? ns[m] : (ns[m - 1] + ns[m]) / 2;
}

std::string verdict_name(bool xdp, int verdict) {
  if (xdp) {
    switch (verdict) {
      case XDP_ABORTED: return "XDP_ABORTED";
      case XDP_DROP: return "XDP_DROP";
      case XDP_PASS: return "XDP_PASS";
      case XDP_TX: return "XDP_TX";
      case XDP_REDIRECT: return "XDP_REDIRECT";
    }
  } else {
    switch (verdict) {
      case TC_ACT_OK: return "TC_ACT_OK";
      case TC_ACT_SHOT: return "TC_ACT_SHOT";
      case TC_ACT_STOLEN: return "TC_ACT_STOLEN";
      case TC_ACT_REDIRECT: return "TC_ACT_REDIRECT";
    }
  }
  return std::to_string(verdict);
}

}  // namespace nwbpf::progcost
