// SPDX-License-Identifier: Apache-2.0
// libbpf reports through one process-wide print callback. This routes it into
// the "dataplane" logger (warnings at error, the verifier log at debug,
// libbpf's own debug chatter at trace) and lets one operation collect the
// warnings it caused, so its exception carries the reason (the kernel's
// extack text, the verifier's last lines) instead of a bare errno.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nwbpf {

// The first line of a verifier log (it names the program) and its last
// `lines` lines (where the verifier says what it rejected), "..." between.
std::string verifier_log_excerpt(std::string_view log, size_t lines);

// Installs the callback; idempotent. LibbpfMessages calls it too.
void route_libbpf_log();

// Collects libbpf's warnings on this thread while it lives. Scopes nest: the
// innermost one collects.
class LibbpfMessages {
 public:
  // quiet: warnings go to debug instead of error, for calls whose failure
  // the caller either expects (EEXIST) or reports itself with summary().
  explicit LibbpfMessages(bool quiet = false);
  ~LibbpfMessages();
  LibbpfMessages(const LibbpfMessages&) = delete;
  LibbpfMessages& operator=(const LibbpfMessages&) = delete;

  // The warnings, one per line without the "libbpf: " prefix; a verifier log
  // is cut to its last lines (where the verifier says what it rejected).
  // Empty if libbpf warned about nothing.
  std::string summary() const;

  // Used by the print callback.
  void add(std::string warning) { warnings_.push_back(std::move(warning)); }
  bool quiet() const { return quiet_; }

 private:
  std::vector<std::string> warnings_;
  bool quiet_;
  LibbpfMessages* outer_;
};

}  // namespace nwbpf
