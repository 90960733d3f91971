// SPDX-License-Identifier: Apache-2.0
// Control socket protocol between `nwbpf` and `nwbpfd`.
//
// Transport: a Unix stream socket (Config::socket_path(), mode 0600). The
// client writes one JSON object followed by '\n'; the agent answers with one
// JSON object followed by '\n' and closes. Requests:
//   {"command": "show", "object": "ports" | "peers" | "fdb" | "stats" |
//                                  "bgp-summary"}
//   {"command": "show", "object": "bgp-evpn", "type": 1..5 (optional),
//    "vni": 1..16777215 (optional)}
//   {"command": "show", "object": "nhrp", "table": "cache" | "nhs" |
//    "shortcut" (optional; absent: everything)}
//   {"command": "show", "object": "portconfig"}
//   {"command": "show", "object": "config-server"}
//   {"command": "show", "object": "acl", "vlan": 1..4094 (optional)}
//   {"command": "show", "object": "ipsec"}
//   {"command": "reload"}                 same as SIGHUP
// Answers:
//   {"ok": true, "result": <object-specific JSON>}
//   {"ok": false, "error": "<for the operator: one line, or a summary line
//                           followed by one line per problem (config errors)>"}
//
// result of show ports: [{"name", "ifindex" (0 if missing), "role"
//   ("edge"|"wan"|"tunnel"), "state" ("up"|"down"|"missing"), "tagged",
//   "vlans": [..], "pvid", "path": "xdp"|"tc", "path_reason": "<why>"}]
// result of show peers: [{"overlay", "nbma", "vnis": [..] (flood lists it is
//   in), "origin": "static"}]
// result of show bgp-summary: {"router_id", "as", "cluster_id" (null on a
//   CE), "rib_routes", "peers": [{"address", "dynamic", "passive", "stopped",
//   "state" (FSM state), "up_down_s", "msg_rcvd", "msg_sent",
//   "updates_rcvd", "updates_sent", "connect_retries", "session" (null
//   before OpenConfirm, else {"remote_as", "remote_id", "internal",
//   "hold_time_s", "keepalive_s", "families": ["l2vpn evpn"],
//   "peer_restart_time_s" (null: no graceful restart)}), "last_down" (null
//   or why it last went down), "paths_rcvd", "stale_paths",
//   "end_of_rib_rcvd"}]}
// result of show bgp-evpn: {"router_id", "as", "prefixes", "paths",
//   "routes": [{"rd", "prefix" (FRR's text), "type", "paths": [{"best",
//   "stale", "from" ("local"|"internal"|"external"), "peer" (null: ours),
//   "next_hop", "metric", "local_pref", "weight", "as_path", "origin"
//   ("i"|"e"|"?"), "ext_communities": ["RT:65000:100", ...],
//   "originator_id", "cluster_list", "pmsi_tunnel" (null or {"tunnel_type",
//   "label", "flags"}), and the route's fields: type 2 "mac", "ip",
//   "ethernet_tag", "esi", "vni", "vni2"; type 3 "ethernet_tag",
//   "originator"; types 1, 4, 5 "esi" and their others}]}]}, ordered by RD
//   then by type and key.
// Both fail with "BGP is not configured" when the config has no [bgp].
// result of show nhrp: {"overlay" (our protocol address), "nbma" (ours as
//   configured), "nat_nbma" (null, or ours as an NHS sees it when that
//   differs: what peers send to), "roles": ["ce", "route-server"],
//   "nhs" (ce: the NHSes this node registers with): [{"nbma", "protocol"
//     (null until learned from a reply), "registered", "expires_in_s" (null:
//     never registered), "nat_nbma" (null, or our NBMA address as this NHS
//     sees it), "retry_s" (wait for the next reply), "last_error" ("" or why
//     the last attempt failed)}],
//   "shortcuts" (ce: resolved on demand): [{"protocol", "state" ("resolved"
//     | "pending" | "negative"), "nbma" (null unless resolved), "natted"
//     (the NBMA address came from the target's NAT CIE), "holding_time_s",
//     "expires_in_s", "refresh_in_s" (null unless resolved), "used" (traffic
//     since installed or refreshed), "direct" (frames go straight to it:
//     false while resolved but held back after learning it from its own
//     request), "via" (the NHS asked)}],
//   "cache" (route-server: its registration cache): [{"protocol", "nbma"
//     (as the client claims it), "nat_nbma" (null, or where its packets
//     come from when that differs), "holding_time_s", "expires_in_s",
//     "unique", "mtu"}],
//   "counters": {"received", "sent", "malformed", "auth_failed",
//     "errors_sent", "errors_received", "traffic_indications_sent"}}.
//   Lists are ordered by address (nhs by NBMA, the others by protocol); a
//   list is left out when no role of the node has it. "table" trims the
//   answer to what that view prints: "nhs" and "shortcut" their list,
//   "cache" the three lists (the cache view shows NHSes and shortcuts too);
//   the addresses and roles are always there, "counters" only without
//   "table". Fails with "NHRP is not configured" when the config has no
//   [nhrp].
// result of show config-server: {"listen" ("A.B.C.D:port"), "listening",
//   "listen_error" ("" or why not; retried every 5 s), "directory",
//   "watching", "watch_error" (likewise), "kick_tries" (per kick, the first
//   included), "folders": [{"name", "kick_port"}], "kicks": {"requested",
//   "coalesced", "tries", "succeeded", "failed", "given_up"}, "pending"
//   (kicks in flight or waiting to retry, by CE): [{"ce", "port", "tries",
//   "in_flight", "last_error"}], "changes" (the last 20 files written or
//   renamed into place, newest first): [{"time" (UTC, ISO 8601 with ms),
//   "folder", "file", "ce", "kick_port", "kick" ("pending" | "retrying" |
//   "kicked" | "gave up"), "tries", "error" ("" or the last failed try's
//   reason)}]}. Fails with "the config-server role is not configured" when
//   the config has no [config_server].
// result of show portconfig: {"sources" (the [fetch] sources, portconfig
//   first): [{"source" ("portconfig" | "ebconfig"), "url", "kick":
//   {"address" (null: not started), "port", "error" ("" or why it does not
//   listen)}, "fetch" (null: not started): {"connect_address" (null: the
//   last attempt had none, e.g. NHRP has not resolved the server yet),
//   "last_attempt", "last_result" ("" before the first, "ok", "unchanged"
//   or the error), "last_success", "in_flight", "attempts", "changed",
//   "unchanged", "failures", "kicks"}, "file": {"origin" ("server" |
//   "saved copy" | ""), "result" ("applied" | "rejected" | ""), "problems"
//   (of a rejected file: "<JSON path>: <message>"), "warnings" (of the one
//   applied), "applied_at" (the file in force)}}], "bridge" (the file's
//   name; null: no portconfig in force), "ports" (null likewise): [{"name",
//   "tagged", "vlans", "pvid" (null: tagged), "state" (the data plane's:
//   "up" | "down" | "missing" | "not applied"), "ifindex" (0: none)}]}.
//   Times are null or {"at" (UTC, ISO 8601), "ago_s"}. Fails with "nothing
//   is fetched" without [fetch] (role ce).
// result of show acl: views/acl_view.h's acl_json(): the ebconfig rule set in
//   force with its counters; "vlan" keeps one VLAN's filters. {"source":
//   null, "vlans": []} when no ebconfig is in force.
// result of show ipsec: {"mode": "off"} without [ipsec]; otherwise {"mode"
//   ("psk" | "x509"), "local" (our NBMA address IKE runs from; null: none
//   yet), "charon": {"socket" (the VICI socket), "connected", "error" (""
//   or why charon cannot be reached)}, "credential_error" ("" or why charon
//   refused our PSK or key; absent while the IKE controller does not run),
//   "peers" (the peers to protect, by NBMA address): [{"nbma", "connection"
//   (charon's name for it: "nwbpf-<nbma>"), "loaded", "error" ("" or why
//   charon refused it; retried), "failure" ("" or what charon last logged
//   going wrong with its IKE_SA, e.g. "received AUTHENTICATION_FAILED
//   notify error"; cleared once protected), "protected" (an SA of ours is
//   up: the data plane sends to this peer only then)}], "sas" (the last list-sas, in
//   charon's order; also SAs with peers not in "peers", e.g. through the
//   responder "nwbpf-any"): [{"name", "uniqueid", "state" (charon's:
//   "ESTABLISHED", ...), "local", "remote" ("A.B.C.D:port"), "local_id",
//   "remote_id", "initiator" (we initiated), "nat_local", "nat_remote" (that
//   side is behind NAT), "established_s" (null unless established),
//   "children": [{"name", "uniqueid", "state" ("INSTALLED", ...), "mode"
//   ("TRANSPORT", ...), "protocol" ("ESP" | "AH"; "" before installed),
//   "encap" (ESP in UDP), "spi_in", "spi_out" (8 hex digits), "bytes_in",
//   "bytes_out", "packets_in", "packets_out", "local_ts", "remote_ts"
//   (["192.0.2.1/32", ...]), "installed_s" (null unless its keys are in
//   the kernel)}]}], "listed_ago_s" (seconds, fractional, since that
//   listing; null: none yet)}.
// show fdb and show stats are answered by reading the pinned maps, so the CLI
// does that itself and works while the agent is down; the agent answers them
// too, in the same shapes the CLI prints with -j.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nwbpf::control {

inline constexpr char kCommand[] = "command";
inline constexpr char kObject[] = "object";
inline constexpr char kType[] = "type";  // show bgp-evpn filters
inline constexpr char kVni[] = "vni";
inline constexpr char kTable[] = "table";  // show nhrp: cache, nhs or shortcut
inline constexpr char kVlan[] = "vlan";    // show acl: one VLAN
inline constexpr char kOk[] = "ok";
inline constexpr char kResult[] = "result";
inline constexpr char kError[] = "error";

// Largest request or answer line accepted, so a bad peer cannot make either
// side buffer without bound.
inline constexpr size_t kMaxLine = 16 * 1024 * 1024;

}  // namespace nwbpf::control
