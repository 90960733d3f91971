// SPDX-License-Identifier: Apache-2.0
// First pass for [config_server]: the config-server role's directory, where
// it listens, and how hard it kicks. Its folders come from [fetch] (read
// before), as Nante-WAN's came from each json_url_prefix.
#pragma once

#include <toml++/toml.h>

#include "config/config.h"
#include "config/diagnostics.h"

namespace nwbpf::config {

// `config` holds the tables read before ([agent]: the roles; [fetch]: the
// folders and kick ports). Never fails: an invalid value is reported and
// left at its default (an empty directory is validate()'s "already reported").
ConfigServerConfig read_config_server(const toml::table& table, const Config& config,
                                      Diagnostics& diag);

}  // namespace nwbpf::config
