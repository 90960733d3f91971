// SPDX-License-Identifier: Apache-2.0
// The JSON answer of `nwbpf show ipsec` (shape in control/protocol.h) from
// the IKE controller's state. Pure: the controller and the facts around it in,
// JSON out.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/net_types.h"
#include "config/config.h"
#include "ipsec/ike_controller.h"

namespace nwbpf::daemon {

struct IpsecStatus {
  const IpsecConfig& config;
  std::optional<Ipv4> local;                        // the NBMA address IKE runs from
  const ipsec::IkeController* controller = nullptr; // nullptr: not running
  std::string charon_error;                         // why charon cannot be reached
  std::optional<double> listed_ago_s;               // age of the SA listing
};

nlohmann::json ipsec_json(const IpsecStatus& status);

// "off", "psk" or "x509", as [ipsec] mode writes it.
const char* ipsec_mode_name(IpsecConfig::Mode mode);

}  // namespace nwbpf::daemon
