// SPDX-License-Identifier: Apache-2.0
// Nante-WAN's nante-wan.conf as an nwbpf config. The INI (ini_reader.h) is
// turned into the TOML document it stands for (config/README.md, "From
// nante-wan.conf"), which then goes through the same readers and checks as a
// TOML file, so both formats accept and refuse alike. Problems are reported
// at the INI's lines under the INI's names ("routing.as_number").
//
// One file serves every node, as in Nante-WAN: a node whose dmvpn_addr is
// one of its rr_addr* is a route server, any other a CE.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace nwbpf {

// Parses and validates nante-wan.conf text (`path` only names it in
// messages). Settings nwbpf accepts but does not use are listed in
// Config::unused. Throws ConfigError listing every problem.
Config parse_nante_wan_conf(std::string_view text, const std::string& path);

// The TOML file equivalent to a valid nante-wan.conf: comments naming the
// source and each unused setting (never a secret's value), then the tables.
// Loading it gives the same Config (but for `path` and `unused`). Throws
// ConfigError as parse_nante_wan_conf().
std::string nante_wan_conf_to_toml(std::string_view text, const std::string& path);

}  // namespace nwbpf
