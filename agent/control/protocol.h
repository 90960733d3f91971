// SPDX-License-Identifier: Apache-2.0
// Control socket protocol between `nwbpf` and `nwbpfd`.
//
// Transport: a Unix stream socket (Config::socket_path(), mode 0600). The
// client writes one JSON object followed by '\n'; the agent answers with one
// JSON object followed by '\n' and closes. Requests:
//   {"command": "show", "object": "ports" | "peers" | "fdb" | "stats"}
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
// show fdb and show stats are answered by reading the pinned maps, so the CLI
// does that itself and works while the agent is down; the agent answers them
// too, in the same shapes the CLI prints with -j.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nwbpf::control {

inline constexpr char kCommand[] = "command";
inline constexpr char kObject[] = "object";
inline constexpr char kOk[] = "ok";
inline constexpr char kResult[] = "result";
inline constexpr char kError[] = "error";

// Largest request or answer line accepted, so a bad peer cannot make either
// side buffer without bound.
inline constexpr size_t kMaxLine = 16 * 1024 * 1024;

}  // namespace nwbpf::control
