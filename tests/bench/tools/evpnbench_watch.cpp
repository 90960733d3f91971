// SPDX-License-Identifier: Apache-2.0
#include "evpnbench_watch.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "maps/names.h"
#include "nwbpf/consts.h"

namespace nwbpf::evpnbench {

FdbWatch::FdbWatch(const std::string& pin_dir)
    : map_(MapFd::open_pinned(pin_dir + "/" NWBPF_MAP_FDB)) {}

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
