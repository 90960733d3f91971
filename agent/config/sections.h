// SPDX-License-Identifier: Apache-2.0
// First pass: every table of the document into Config, checking each value on
// its own (type, range, format, required, unknown keys, duplicates inside one
// array). Relations between tables are validate.h's job.
#pragma once

#include <toml++/toml.h>

#include "config/config.h"
#include "config/diagnostics.h"

namespace nwbpf::config {

// Never fails: a missing or invalid value is reported to `diag` and leaves the
// field at its default, or at a placeholder that validate() recognises as
// "already reported" (empty string, 0, 0.0.0.0). Every [[port]], [[peer]],
// [[flood]] and [[fdb]] table yields one entry, so vector index == file index,
// and an invalid element of vlans/vteps stays in place as 0 / 0.0.0.0. An
// invalid agent.roles is left empty: the roles are then unknown.
Config read_sections(const toml::table& root, Diagnostics& diag);

}  // namespace nwbpf::config
