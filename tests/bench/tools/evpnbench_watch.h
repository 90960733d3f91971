// SPDX-License-Identifier: Apache-2.0
// What nwbpf-evpnbench watches on the CE: the EVPN entries of its pinned
// fdb map (BpfMap::entries() reads in batches: a poll of 100,000 entries is
// a hundred syscalls) and nwbpfd's memory from /proc.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dataplane/bpf_map.h"
#include "maps/fdb.h"

namespace nwbpf::evpnbench {

class FdbWatch {
 public:
  // Opens `<pin_dir>/fdb` (Config::pin_dir()). Throws BpfError.
  explicit FdbWatch(const std::string& pin_dir);

  // Every entry. Throws BpfError.
  std::vector<std::pair<nwbpf_fdb_key, nwbpf_fdb_entry>> entries() const { return map_.entries(); }
  // How many entries have origin EVPN.
  size_t evpn_count() const;

 private:
  BpfMap<nwbpf_fdb_key, nwbpf_fdb_entry> map_;
};

// The "<field>: N kB" line of a /proc/PID/status text, in KiB; nullopt if absent.
std::optional<uint64_t> status_kib(std::string_view status, std::string_view field);

struct Memory {
  uint64_t rss_kib = 0;   // VmRSS
  uint64_t peak_kib = 0;  // VmHWM: the largest RSS so far
};
// Of process `pid`. Throws std::runtime_error if it is gone.
Memory memory_of(pid_t pid);

}  // namespace nwbpf::evpnbench
