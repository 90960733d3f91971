// SPDX-License-Identifier: Apache-2.0
// First pass for [nhrp]: each value on its own, and which keys this node's
// roles call for. Relations to other tables (this node's addresses) are
// validate.h's job.
#pragma once

#include <toml++/toml.h>

#include "config/config.h"
#include "config/diagnostics.h"

namespace nwbpf::config {

// `config` holds the tables read before ([agent]: the roles). Never fails:
// an invalid value is reported and left at its default or 0.0.0.0.
NhrpConfig read_nhrp(const toml::table& table, const Config& config, Diagnostics& diag);

}  // namespace nwbpf::config
