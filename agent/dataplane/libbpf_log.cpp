// SPDX-License-Identifier: Apache-2.0
#include "dataplane/libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <string_view>

#include "common/log.h"

namespace nwbpf {

namespace {

// libbpf calls the print callback on the thread that called into libbpf, so
// the collecting scope is per thread.
thread_local LibbpfMessages* t_current = nullptr;

constexpr std::string_view kPrefix = "libbpf: ";
constexpr std::string_view kVerifierLogStart = "-- BEGIN PROG LOAD LOG --";
constexpr size_t kVerifierTailLines = 20;

std::string format(const char* fmt, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n <= 0) return {};
  std::string text(static_cast<size_t>(n) + 1, '\0');
  std::vsnprintf(text.data(), text.size(), fmt, args);
  text.resize(static_cast<size_t>(n));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

int print(enum libbpf_print_level level, const char* fmt, va_list args) {
  auto logger = log::get("dataplane");
  bool verifier_log = level == LIBBPF_WARN &&
                      std::string_view(fmt).find(kVerifierLogStart) != std::string_view::npos;
  spdlog::level::level_enum target = spdlog::level::err;
  if (verifier_log || (level == LIBBPF_WARN && t_current && t_current->quiet()))
    target = spdlog::level::debug;
  else if (level == LIBBPF_INFO)
    target = spdlog::level::info;
  else if (level == LIBBPF_DEBUG)
    target = spdlog::level::trace;
  bool collect = level == LIBBPF_WARN && t_current;
  if (!collect && !logger->should_log(target)) return 0;

  std::string text = format(fmt, args);
  logger->log(target, "{}", text);
  if (collect) {
    std::string_view body(text);
    if (body.starts_with(kPrefix)) body.remove_prefix(kPrefix.size());
    t_current->add(verifier_log ? verifier_log_excerpt(body, kVerifierTailLines)
                                : std::string(body));
  }
  return 0;
}

}  // namespace

std::string verifier_log_excerpt(std::string_view text, size_t lines) {
  size_t first_end = text.find('\n');
  size_t start = text.size();
  size_t seen = 0;
  while (start > 0) {
    if (text[start - 1] == '\n' && ++seen == lines) break;
    --start;
  }
  if (first_end == std::string_view::npos || start <= first_end + 1) return std::string(text);
  return std::string(text.substr(0, first_end)) + "\n...\n" + std::string(text.substr(start));
}

void route_libbpf_log() {
  static std::once_flag once;
  std::call_once(once, [] { libbpf_set_print(print); });
}

LibbpfMessages::LibbpfMessages(bool quiet) : quiet_(quiet), outer_(t_current) {
  route_libbpf_log();
  t_current = this;
}

LibbpfMessages::~LibbpfMessages() { t_current = outer_; }

std::string LibbpfMessages::summary() const {
  std::string out;
  for (const auto& w : warnings_) {
    if (!out.empty()) out += '\n';
    out += w;
  }
  return out;
}

}  // namespace nwbpf
