// SPDX-License-Identifier: Apache-2.0
// One answer to `show ipsec` that both ends are tested on:
// daemon_ipsec_views_test builds it from a real IKE controller (a PSK node
// whose CE peer's connection charon refused and whose route server is
// protected), cli_ipsec_view_test prints it. So the CLI's text is checked
// against what the agent really sends.
#pragma once

namespace nwbpf::test {

inline constexpr char kIpsecPskAnswer[] = R"({
  "mode": "psk", "local": "192.0.2.1",
  "charon": {"socket": "/run/charon.vici", "connected": true, "error": ""},
  "credential_error": "",
  "peers": [
    {"nbma": "192.0.2.2", "connection": "nwbpf-192.0.2.2", "loaded": false,
     "error": "charon refused load-conn: parsing failed", "failure": "", "protected": false},
    {"nbma": "192.0.2.100", "connection": "nwbpf-192.0.2.100", "loaded": true, "error": "",
     "failure": "", "protected": true}],
  "sas": [
    {"name": "nwbpf-192.0.2.100", "uniqueid": 3, "state": "ESTABLISHED",
     "local": "192.0.2.1:500", "remote": "192.0.2.100:500", "local_id": "192.0.2.1",
     "remote_id": "192.0.2.100", "initiator": true, "nat_local": false, "nat_remote": false,
     "established_s": 312,
     "children": [
       {"name": "nwbpf", "uniqueid": 7, "state": "INSTALLED", "mode": "TRANSPORT",
        "protocol": "ESP", "encap": false, "spi_in": "c1a2b3c4", "spi_out": "0a0b0c0d",
        "bytes_in": 123456, "bytes_out": 5678, "packets_in": 1234, "packets_out": 34,
        "local_ts": ["192.0.2.1/32"], "remote_ts": ["192.0.2.100/32"], "installed_s": 310}]}],
  "listed_ago_s": 2.75})";

}  // namespace nwbpf::test
