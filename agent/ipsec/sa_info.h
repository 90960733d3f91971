// SPDX-License-Identifier: Apache-2.0
// What charon reports about its SAs, parsed from the ike-updown and
// child-updown events and the list-sa events list-sas streams (strongSwan
// src/libcharon/plugins/vici/README.md "Server-issued events"; the layout is
// vici_query.c's list_ike() and list_child(), charon 5.9.8). Pure: messages
// in, values out. Keys charon always writes are required; keys it writes
// only in some states default when absent; keys we do not know are ignored
// (newer charons add some).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ipsec/vici_message.h"

namespace nwbpf::ipsec {

struct ChildSaInfo {
  std::string name;  // the CHILD_SA config name ("nwbpf"), key `name`
  uint32_t uniqueid = 0, reqid = 0;
  std::string state;  // CREATED, ROUTED, INSTALLING, INSTALLED, ... (child_sa_state_names)
  std::string mode;   // TRANSPORT, TUNNEL, ... (upper case, as charon prints it)
  // Only for an SA with keys in the kernel (INSTALLED, REKEYING, REKEYED):
  // then protocol, SPIs, counters and install-time are required.
  std::string protocol;  // ESP or AH
  bool encap = false;    // UDP-encapsulated ESP (NAT-T)
  uint32_t spi_in = 0, spi_out = 0;  // charon writes "%.8x": 8 hex digits
  uint64_t bytes_in = 0, bytes_out = 0, packets_in = 0, packets_out = 0;
  std::vector<std::string> local_ts, remote_ts;  // "192.0.2.1/32" style
  std::optional<uint64_t> install_time;          // seconds since installed
  bool operator==(const ChildSaInfo&) const = default;
};

struct IkeSaInfo {
  std::string name;  // the IKE_SA config name (the section's name)
  uint32_t uniqueid = 0;
  std::string state;  // CREATED, CONNECTING, ESTABLISHED, ... (ike_sa_state_names)
  std::string local_host, remote_host;
  uint16_t local_port = 0, remote_port = 0;
  std::string local_id, remote_id;
  bool initiator = false;
  bool nat_local = false, nat_remote = false, nat_any = false;
  std::optional<uint64_t> established;  // seconds; only while ESTABLISHED
  std::vector<ChildSaInfo> children;    // child-sas, in charon's order
  bool operator==(const IkeSaInfo&) const = default;
};

// One IKE_SA section called `name`. Errors name the SA and the key:
// "IKE_SA nwbpf-192.0.2.1: child-sas nwbpf-3: spi-in \"zz\" is not hex".
vici::Result<IkeSaInfo> parse_ike_sa(std::string_view name, const vici::Section& section);

// ike-updown and child-updown: `up = yes` when up (absent when down) and
// exactly one IKE_SA section (child-updown: with the one CHILD_SA concerned
// in child-sas).
struct UpDown {
  bool up = false;
  IkeSaInfo sa;
  bool operator==(const UpDown&) const = default;
};
vici::Result<UpDown> parse_updown(const vici::Message& event);

// One list-sa event: exactly one IKE_SA section, with all its CHILD_SAs.
vici::Result<IkeSaInfo> parse_list_sa(const vici::Message& event);

}  // namespace nwbpf::ipsec
