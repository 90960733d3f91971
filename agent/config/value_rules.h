// SPDX-License-Identifier: Apache-2.0
// Rules for single configuration values that are not just a type or a range.
// Each returns nullopt when the value is acceptable, else the reason as the
// message part of a config error (no key path, no position).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bgp/family.h"
#include "common/net_types.h"

namespace nwbpf::config {

// Control characters as TOML escapes (\n, \t, \u001b, ...), so a message
// always stays on one line.
std::string escape_controls(std::string_view s);
// `s` in double quotes, with '"' and '\\' escaped too, as in a TOML string.
std::string quote(std::string_view s);

// Instance names become pin directory and socket names: [A-Za-z0-9_-]{1,32}.
std::optional<std::string> instance_name_problem(std::string_view name);

// The kernel's dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':'
// or whitespace. '%' is refused too: the kernel expands "name%d" into a
// numbered name when creating a device, so it can never name a real one.
std::optional<std::string> ifname_problem(std::string_view name);

std::optional<std::string> absolute_path_problem(std::string_view path);

// An absolute path short enough for sockaddr_un.sun_path (107 bytes + NUL).
std::optional<std::string> socket_path_problem(std::string_view path);

// The spdlog level names log::set_level accepts.
std::optional<std::string> log_level_problem(std::string_view level);

// Node and peer addresses must be usable unicast host addresses: not in
// 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4 (multicast) or 240.0.0.0/4.
std::optional<std::string> unicast_address_problem(Ipv4 address);

// A MAC a static FDB entry can point to: not multicast/broadcast, not zero.
std::optional<std::string> station_mac_problem(const Mac& mac);

// "a.b.c.d/n" with n in decimal 0..32 (no sign, no leading zero); bits past
// the length are not checked here.
std::optional<bgp::Prefix4> parse_prefix(std::string_view text);
// A prefix as parse_prefix() reads it, with no bits set past its length.
std::optional<std::string> prefix_problem(std::string_view text);

}  // namespace nwbpf::config
