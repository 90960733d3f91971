// SPDX-License-Identifier: Apache-2.0
// The control protocol's request handling (control/protocol.h), apart from
// the socket: one request line in, one answer out. The daemon supplies what
// each command does; everything a client can get wrong is answered here.
#pragma once

#include <functional>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "evpn/speaker.h"

namespace nwbpf::daemon {

// What the agent does per command. Each returns the "result" JSON or throws
// std::exception whose what() becomes the answer's "error".
struct ControlBackend {
  std::function<nlohmann::json()> show_ports;
  std::function<nlohmann::json()> show_peers;
  std::function<nlohmann::json()> show_fdb;
  std::function<nlohmann::json()> show_stats;
  // Throw std::runtime_error when [bgp] is not configured.
  std::function<nlohmann::json()> show_bgp_summary;
  std::function<nlohmann::json(const evpn::RouteFilter&)> show_bgp_evpn;
  // Throws std::runtime_error when nothing is fetched ([fetch], role ce).
  std::function<nlohmann::json()> show_portconfig;
  // `table`: "cache", "nhs", "shortcut" or nullopt. Throws std::runtime_error
  // when [nhrp] is not configured.
  std::function<nlohmann::json(const std::optional<std::string>&)> show_nhrp;
  // Throws std::runtime_error without [config_server].
  std::function<nlohmann::json()> show_config_server;
  // `vlan`: one VLAN's filters (1..4094), or every VLAN's.
  std::function<nlohmann::json(std::optional<uint16_t>)> show_acl;
  // Answers {"mode": "off"} when [ipsec] is off.
  std::function<nlohmann::json()> show_ipsec;
  std::function<nlohmann::json()> reload;
};

// Answers one request (the line without its '\n'). Never throws: oversize or
// malformed input, unknown commands and backend failures all become
// {"ok": false, "error": "..."}.
nlohmann::json answer_request(std::string_view line, const ControlBackend& backend);

// The answer as sent: compact JSON and '\n'. Invalid UTF-8 in strings is
// replaced rather than thrown on.
std::string answer_line(const nlohmann::json& answer);

}  // namespace nwbpf::daemon
