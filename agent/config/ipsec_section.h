// SPDX-License-Identifier: Apache-2.0
// [ipsec]: whether the overlay is encrypted, and the credentials charon
// authenticates with (agent/ipsec/README.md).
#pragma once

#include <toml++/toml.h>

#include "config/config.h"
#include "config/diagnostics.h"

namespace nwbpf::config {

// `config` holds the tables read before ([dataplane]: encryption needs the
// kernel-tunnel mode). Never fails: problems go to `diag`.
IpsecConfig read_ipsec(const toml::table& table, const Config& config, Diagnostics& diag);

}  // namespace nwbpf::config
