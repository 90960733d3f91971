// SPDX-License-Identifier: Apache-2.0
// The values inside ebconfig rules, read as Nante-WAN's ebtables command
// lines took them, but strictly (README.md lists the differences). Each
// reader returns the value, or nullopt with the problem reported at `path`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bgp/family.h"
#include "central/ebconfig.h"
#include "central/json_reader.h"
#include "common/net_types.h"

namespace nwbpf::central {

// "permit" or "deny", exactly as Nante-WAN compared them.
std::optional<Action> read_action(const Json& value, const std::string& path, Report& report);

// "any", a number 0..255 (an integer or its decimal string, as ebtables'
// --ip-proto took both) or a name of the table in ebconfig_values.cpp, in
// any case.
std::optional<Protocol> read_protocol(const Json& value, const std::string& path, Report& report);

// The name read_protocol() takes for `number` (lower case), if it has one.
std::optional<std::string_view> protocol_name(uint8_t number);

// "a.b.c.d" (a /32), "a.b.c.d/n" or "a.b.c.d/m.m.m.m" with a contiguous
// mask, as ebtables' --ip-src/--ip-dst took them. Bits set past the length
// are cleared, as ebtables did, with a warning.
std::optional<bgp::Prefix4> read_prefix(const Json& value, const std::string& path, Report& report);

// "any", a port 0..65535 (an integer or its decimal string) or a range
// "first:last", where a missing first is 0 and a missing last 65535, as in
// ebtables' --ip-sport/--ip-dport. Service names are not looked up.
std::optional<PortRange> read_port_range(const Json& value, const std::string& path,
                                         Report& report);

// "0a:1b:2c:3d:4e:5f", any case.
std::optional<Mac> read_mac(const Json& value, const std::string& path, Report& report);

}  // namespace nwbpf::central
