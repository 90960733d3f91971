// SPDX-License-Identifier: Apache-2.0
// First pass for [fetch]: where a CE fetches its portconfig and ebconfig
// files and listens for the config server's kick (Nante-WAN's
// [config_fetch], [portconfig] and [ebconfig]). Relations between the two
// files (one URL, one listening port each) are validate.h's job.
#pragma once

#include <toml++/toml.h>

#include "config/config.h"
#include "config/diagnostics.h"

namespace nwbpf::config {

// `config` holds the tables read before ([agent]: the roles). Never fails:
// an invalid value is reported and left at its default, or as an empty
// json_url_prefix (validate()'s "already reported").
FetchConfig read_fetch(const toml::table& table, const Config& config, Diagnostics& diag);

}  // namespace nwbpf::config
