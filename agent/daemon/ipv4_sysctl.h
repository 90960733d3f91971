// SPDX-License-Identifier: Apache-2.0
// Per-device IPv4 sysctls (net.ipv4.conf.<dev>.<key>) of this process's
// network namespace. The data plane needs one: bpf_fib_lookup answers
// FWD_DISABLED unless forwarding is on for the device it looks up through,
// even for the output lookup that encapsulation does (bpf/README.md).
#pragma once

#include <string>

namespace nwbpf::daemon {

// Sets net.ipv4.conf.<device>.<key> to `value` unless it already has it.
// Returns true if it changed. Throws std::runtime_error naming the file.
bool set_ipv4_conf(const std::string& device, const std::string& key, const std::string& value);

}  // namespace nwbpf::daemon
