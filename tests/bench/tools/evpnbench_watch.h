// SPDX-License-Identifier: Apache-2.0
// What nwbpf-evpnbench watches on the CE: the EVPN entries of its pinned
// fdb map (read in batches, so a poll of 100,000 entries is a few dozen
// syscalls, not 200,000) and nwbpfd's memory from /proc.
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

  // Every entry, by BPF_MAP_LOOKUP_BATCH. Throws BpfError.
  std::vector<std::pair<nwbpf_fdb_key, nwbpf_fdb_entry>> entries() const;
  // How many entries have origin EVPN.
  size_t evpn_count() const;

 private:
  MapFd fd_;
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
