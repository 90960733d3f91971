// SPDX-License-Identifier: Apache-2.0
// Client side of the control socket (control/protocol.h): connect, write one
// JSON line, read one JSON line, all within one deadline, the answer bounded
// by control::kMaxLine. Blocking and single-shot: the CLI asks one question
// per run, so an event loop would buy nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "control/protocol.h"

namespace nwbpf::cli {

// Any failure after the request was built; what() is one line.
class ControlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The agent could not be connected to at all (no socket, refused, no
// permission). what() is the bare reason, e.g. "No such file or directory",
// so the caller can add which instance it looked for; err() is the errno
// behind it, 0 when there is none.
class AgentUnreachable : public ControlError {
 public:
  AgentUnreachable(const std::string& reason, int err) : ControlError(reason), err_(err) {}
  int err() const { return err_; }

 private:
  int err_;
};

struct ControlClientOptions {
  std::chrono::milliseconds timeout{5000};  // for the whole exchange
  size_t max_line = control::kMaxLine;      // longest answer accepted, newline excluded
};

// Sends `request` to the agent at socket_path and returns the "result" of an
// {"ok": true} answer. Throws AgentUnreachable if connecting fails,
// ControlError for a timeout, a broken or oversized answer, or an
// {"ok": false} answer (what() = "nwbpfd: <its error>").
nlohmann::json control_request(const std::string& socket_path, const nlohmann::json& request,
                               const ControlClientOptions& options = {});

}  // namespace nwbpf::cli
