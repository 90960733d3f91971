// SPDX-License-Identifier: Apache-2.0
// First pass for [bgp], the EVPN speaker: each value on its own, and which
// keys this node's roles call for. Relations to other tables (this node's and
// its peers' addresses, the VLANs of the ports) are validate.h's job.
#pragma once

#include <toml++/toml.h>

#include "config/config.h"
#include "config/diagnostics.h"

namespace nwbpf::config {

// `config` holds the tables read before: agent.roles decides which keys are
// required and which are refused (empty roles are unknown, already reported:
// neither), node.overlay_address is the default router_id. Never fails, as
// read_sections(): an invalid value is reported and left as 0 / 0.0.0.0 /
// nullopt, and a [[bgp.vni]] with an invalid route target keeps none.
BgpConfig read_bgp(const toml::table& table, const Config& config, Diagnostics& diag);

}  // namespace nwbpf::config
