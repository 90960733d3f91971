// SPDX-License-Identifier: Apache-2.0
#include "cli/target.h"

#include "config/config.h"

namespace nwbpf::cli {

Target resolve_target(const TargetOptions& options) {
  Config config;
  if (options.config_file) {
    config = load_config(*options.config_file);
  } else {
    // Config's defaults and path rules, so the CLI derives the same paths
    // the agent does.
    config.agent.instance = options.instance;
    config.agent.bpffs = options.bpffs;
    config.agent.control_socket = options.socket;
  }
  return {config.agent.instance, config.pin_dir(), config.socket_path()};
}

}  // namespace nwbpf::cli
