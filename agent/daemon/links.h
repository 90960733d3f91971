// SPDX-License-Identifier: Apache-2.0
// Gathers the LinkSnapshot the desired state is computed from, by netlink.
#pragma once

#include "config/config.h"
#include "daemon/link_snapshot.h"

namespace nwbpf::daemon {

// Looks up every device the config names (configured_devices). The XDP
// capability is queried in xdp mode only, and only when `refresh_xdp` is set
// or the device is new since `previous` (else carried over): it can change
// under us (a veth peer gains an XDP program), so the daemon re-checks it
// periodically, but it costs a genetlink round trip per device. Throws
// std::runtime_error on a netlink failure.
LinkSnapshot take_snapshot(const Config& config, const LinkSnapshot& previous, bool refresh_xdp);

}  // namespace nwbpf::daemon
