// SPDX-License-Identifier: Apache-2.0
// Second pass: relations between tables (uniqueness across entries,
// references to ports and peers, names that would collide on the host, and
// [bgp]'s addresses, VNIs and route targets against the rest).
#pragma once

#include "config/config.h"
#include "config/diagnostics.h"

namespace nwbpf::config {

// Runs on whatever read_sections() produced, even after errors, so every
// problem is found in one go. Placeholders for values already reported
// (empty name, VLAN/VNI 0, 0.0.0.0) are skipped, and a check whose answer
// depends on such a value is left out rather than reported as a follow-on
// error (e.g. "no such port" when a port's own name was invalid).
void validate(const Config& config, Diagnostics& diag);

}  // namespace nwbpf::config
