// SPDX-License-Identifier: Apache-2.0
// Which agent instance the CLI talks about: its pin directory and control
// socket, taken from the agent's own config file (-c) when given, so the
// two can never disagree, or else from --instance/--bpffs/--socket.
#pragma once

#include <optional>
#include <string>

namespace nwbpf::cli {

struct TargetOptions {
  std::optional<std::string> config_file;  // -c FILE; excludes the three below
  std::string instance = "default";
  std::string bpffs = "/sys/fs/bpf";
  std::string socket;  // empty: /run/nwbpf/<instance>.sock
};

struct Target {
  std::string instance;
  std::string pin_dir;  // <bpffs>/nwbpf/<instance>
  std::string socket;
};

// Throws ConfigError when the config file does not load.
Target resolve_target(const TargetOptions& options);

}  // namespace nwbpf::cli
