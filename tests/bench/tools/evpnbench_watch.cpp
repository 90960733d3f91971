// SPDX-License-Identifier: Apache-2.0
#include "evpnbench_watch.h"

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "maps/names.h"
#include "nwbpf/consts.h"

namespace nwbpf::evpnbench {
namespace {

// Entries per batch: a hash map's batch must hold a whole bucket, and
// buckets are short, so any size well above a few works.
constexpr uint32_t kBatch = 8192;

}  // namespace

FdbWatch::FdbWatch(const std::string& pin_dir)
    : fd_(MapFd::open_pinned(pin_dir + "/" NWBPF_MAP_FDB)) {}

std::vector<std::pair<nwbpf_fdb_key, nwbpf_fdb_entry>> FdbWatch::entries() const {
  std::vector<std::pair<nwbpf_fdb_key, nwbpf_fdb_entry>> out;
  std::vector<nwbpf_fdb_key> keys(kBatch);
  std::vector<nwbpf_fdb_entry> values(kBatch);
  uint32_t token = 0;  // the hash map's batch position: a bucket index
  bool first = true;
  for (;;) {
    uint32_t count = kBatch;
    const int rc = bpf_map_lookup_batch(fd_.get(), first ? nullptr : &token, &token, keys.data(),
                                        values.data(), &count, nullptr);
    const int err = rc ? errno : 0;
    if (rc && err != ENOENT) throw BpfError("fdb lookup batch", err);
    for (uint32_t i = 0; i < count; ++i) out.emplace_back(keys[i], values[i]);
    if (err == ENOENT) return out;  // the last batch
    first = false;
  }
}

size_t FdbWatch::evpn_count() const {
  size_t n = 0;
  for (const auto& [key, entry] : entries())
    if (entry.origin == NWBPF_ORIGIN_EVPN) ++n;
  return n;
}

std::optional<uint64_t> status_kib(std::string_view status, std::string_view field) {
  size_t at = 0;
  while (at < status.size()) {
    size_t end = status.find('\n', at);
    if (end == std::string_view::npos) end = status.size();
    std::string_view line = status.substr(at, end - at);
    at = end + 1;
    if (!line.starts_with(field) || line.size() <= field.size() || line[field.size()] != ':')
      continue;
    line.remove_prefix(field.size() + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), value);
    if (ec != std::errc{} || std::string_view(ptr, line.data() + line.size()) != " kB")
      return std::nullopt;
    return value;
  }
  return std::nullopt;
}

Memory memory_of(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/status";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const auto rss = status_kib(text.str(), "VmRSS");
  const auto peak = status_kib(text.str(), "VmHWM");
  if (!in || !rss || !peak) throw std::runtime_error("cannot read VmRSS and VmHWM from " + path);
  return {*rss, *peak};
}

}  // namespace nwbpf::evpnbench
