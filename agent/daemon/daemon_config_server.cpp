// SPDX-License-Identifier: Apache-2.0
// Daemon: the config-server role's start, reload and status.
#include "common/log.h"
#include "daemon/config_server_role.h"
#include "daemon/daemon.h"

namespace nwbpf::daemon {

// config_ and NHRP's cache are read at each try, so a CE that registers
// after its file changed is found by the kick's next retry, and a reload
// that changes [nhrp] applies to kicks already pending.
void Daemon::start_config_server() {
  if (!config_.config_server) return;
  config_server_ = std::make_unique<ConfigServerRole>(io_, *config_.config_server, [this](Ipv4 ce) {
    return kick_destination(ce, config_.nhrp, nhrp_install());
  });
  config_server_->start();
}

// A changed [config_server] (or its folders from [fetch]) rebuilds the
// role: the server listens anew, the watch is made again, pending kicks are
// dropped (the CEs fetch on their interval anyway). Otherwise it is kept.
void Daemon::reload_config_server() {
  if (config_server_ && config_.config_server == config_server_->config()) return;
  if (!config_server_ && !config_.config_server) return;
  if (config_server_) {
    log::get("central")->info("config server: [config_server] changed: restarting");
    config_server_->stop();
    config_server_.reset();
  }
  start_config_server();
}

nlohmann::json Daemon::show_config_server() const {
  if (!config_server_)
    throw std::runtime_error("the config-server role is not configured (no [config_server] in " +
                             config_.path + ")");
  return config_server_->status();
}

}  // namespace nwbpf::daemon
