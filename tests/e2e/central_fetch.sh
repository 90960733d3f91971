#!/usr/bin/env bash
# The CE side of central configuration (issue 6) end to end: ce1 has no
# [[port]] but [fetch.portconfig] naming the config server by its overlay
# address (http://10.0.0.10/portconfig, rs's), which it reaches at the NBMA
# address NHRP learned when registering with rs. The "config server" is a
# plain python3 http.server in rs's namespace serving
# portconfig/10.0.0.1.json for now (the config-server role, with its push,
# comes in another test). Checks:
#   - h1 -> h3 works only once ce1 fetched its edge port;
#   - a changed file and a kick (curl /update-kick) are in force within 1 s
#     (measured, printed);
#   - a bad file is rejected: `show portconfig` has the problem, the last
#     good file stays (ping works);
#   - the server stopped: ping still works, fetches fail and retry (the
#     failure count grows);
#   - ce1 restarted while the server is down: the saved copy keeps the port.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/evpn.sh
source "$(dirname "$0")/lib/evpn.sh"
# shellcheck source=SCRIPTDIR/lib/nhrp.sh
source "$(dirname "$0")/lib/nhrp.sh"

e2e_init central_fetch
command -v python3 >/dev/null || e2e_fail "'python3' not found"
command -v curl >/dev/null || e2e_fail "'curl' not found"
e2e_agents_init
topo_up --edge-xdp yes

# The config server's directory and its HTTP server on rs (port 80, as
# json_url_prefix has no port).
SERVE_DIR=$(mktemp -d /tmp/nwbpf-central-fetch.XXXXXX)
mkdir -p "$SERVE_DIR/portconfig"
FILE=$SERVE_DIR/portconfig/${TOPO_OVERLAY_ADDR[ce1]}.json
HTTP_PID=""
# The interpreter itself (not a wrapper such as pyenv's shim, which would
# outlive a kill of its pid as a child python).
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
http_start() {
  # Not through topo_exec, a function: $! is then this pid, which `ip netns
  # exec` turns into python's by exec.
  ip netns exec "$(topo_ns rs)" "$PYTHON" -m http.server 80 --bind "${TOPO_WAN_ADDR[rs]}" --directory "$SERVE_DIR" \
    >>"$AGENTS_RUN_DIR/http.log" 2>&1 &
  HTTP_PID=$!
  e2e_wait_until 10 "the HTTP server on rs" \
    topo_exec rs curl -sf -o /dev/null "http://${TOPO_WAN_ADDR[rs]}/portconfig/"
}
http_stop() {
  [[ -n $HTTP_PID ]] || return 0
  kill "$HTTP_PID" 2>/dev/null || true
  wait "$HTTP_PID" 2>/dev/null || true
  HTTP_PID=""
}
CE1_STATE=/var/lib/nwbpf/$(topo_ns ce1)
_central_down() {
  http_stop
  rm -rf "$SERVE_DIR" "$CE1_STATE"
}
topo_on_down _central_down

# Written whole and renamed into place, as an operator's tools do.
write_portconfig() {  # json
  printf '%s\n' "$1" >"$FILE.tmp"
  mv "$FILE.tmp" "$FILE"
}
portconfig() {  # tagged: the seed's file, one port in VLAN 99
  printf '{"name": "bridge", "ports": [{"name": "vetha", "tagged": %s, "vlans": [%s]}]}' \
    "$1" "$TOPO_VLAN"
}

for ce in "${TOPO_CES[@]}"; do agents_config_nhrp "$ce" xdp; done
agents_config_nhrp_rs rs
f=$(agents_config_path ce1)
sed -i '/^\[\[port\]\]$/,/^vlans = /d' "$f"
grep -q '^\[\[port\]\]' "$f" && e2e_fail "[[port]] still in $f"
printf '\n[fetch]\nfailed_interval = 1\n[fetch.portconfig]\njson_url_prefix = "http://%s/portconfig"\nbind_port = 8080\n' \
  "${TOPO_OVERLAY_ADDR[rs]}" >>"$f"
rm -rf "$CE1_STATE"
evpn_start_all
e2e_wait_until 10 "every CE registered with rs" nhrp_all_registered rs

portconfig_field() {  # jq filter on ce1's show portconfig -j
  agents_cli ce1 show portconfig -j | jq -r "$1"
}
vetha_applied() {  # ce1's fetched vetha as the data plane has it: "<state> <tagged>"
  agents_cli ce1 show ports -j | jq -r '.[] | select(.name == "vetha" and .role == "edge")
    | "\(.state) \(.tagged)"'
}
# Conditions for e2e_wait_until (which runs them again and again).
vetha_is() { [[ $(vetha_applied) == "$1" ]]; }
portconfig_is() { [[ $(portconfig_field "$1") == "$2" ]]; }
failures_at_least() { (($(portconfig_field '.sources[0].fetch.failures') >= $1)); }

# No server yet: ce1 has no edge port, and h1 cannot reach h3.
e2e_wait_until 10 "ce1's first failed fetch" failures_at_least 1
e2e_log "before the server: $(portconfig_field '.sources[0].fetch.last_result')"
[[ -z $(vetha_applied) ]] || e2e_fail "ce1 has vetha before any portconfig: $(vetha_applied)"
! topo_exec h1 ping -c 1 -W 1 "${TOPO_HOST_ADDR[h3]}" >/dev/null 2>&1 ||
  e2e_fail "h1 reached h3 before ce1 had its edge port"

# The server comes up with ce1's file: fetched at the next failed_interval.
write_portconfig "$(portconfig false)"
http_start
e2e_wait_until 5 "ce1's vetha from the portconfig" vetha_is "up false"
[[ $(portconfig_field '.sources[0].fetch.connect_address') == "${TOPO_WAN_ADDR[rs]}" ]] ||
  e2e_fail "ce1 did not connect to rs's NBMA address:"$'\n'"$(agents_cli ce1 show portconfig)"
e2e_wait_until 10 "h1 -> h3 over the fetched port" \
  topo_exec h1 ping -c 1 -W 1 "${TOPO_HOST_ADDR[h3]}"
e2e_log "ce1 portconfig:"$'\n'"$(agents_cli ce1 show portconfig)"

kick() { topo_exec rs curl -sf -o /dev/null "http://${TOPO_WAN_ADDR[ce1]}:8080/update-kick"; }
# A changed file and a kick: in force within 1 s.
measure_change() {  # tagged
  local t0 ms
  write_portconfig "$(portconfig "$1")"
  t0=$(date +%s%N)
  kick
  e2e_wait_until 5 "vetha tagged=$1 on ce1" vetha_is "up $1"
  ms=$((($(date +%s%N) - t0) / 1000000))
  e2e_log "file changed (tagged=$1) + kick -> in force on ce1 within $ms ms (incl. CLI polling)"
  ((ms <= 1000)) || e2e_fail "the change took $ms ms (more than 1 s)"
}
measure_change true
measure_change false
e2e_wait_until 10 "h1 -> h3 again" topo_exec h1 ping -c 1 -W 1 "${TOPO_HOST_ADDR[h3]}"

# A bad file: rejected with its problem, the last good one stays.
write_portconfig '{"name": "bridge", "ports": [{"name": "vetha", "tagged": "no", "vlans": [99]}]}'
kick
e2e_wait_until 5 "the bad file rejected" portconfig_is '.sources[0].file.result' rejected
problem=$(portconfig_field '.sources[0].file.problems[0]')
[[ $problem == 'ports[0].tagged: expected true or false, found "no"' ]] ||
  e2e_fail "unexpected problem: $problem"
agents_cli ce1 show portconfig | grep -qF "problem    $problem" ||
  e2e_fail "show portconfig does not show the problem:"$'\n'"$(agents_cli ce1 show portconfig)"
grep -qF "$problem" "$AGENTS_RUN_DIR/ce1.log" || e2e_fail "the problem is not in ce1's log"
[[ $(vetha_applied) == "up false" ]] || e2e_fail "the last good port changed: $(vetha_applied)"
topo_exec h1 ping -c 3 -i 0.2 -W 1 "${TOPO_HOST_ADDR[h3]}" >/dev/null ||
  e2e_fail "h1 -> h3 lost with the bad file"
e2e_log "bad file rejected, last good kept:"$'\n'"$(agents_cli ce1 show portconfig)"
write_portconfig "$(portconfig false)"  # the good one back (same content: nothing rewritten)
kick
e2e_wait_until 5 "the good file again" portconfig_is '.sources[0].file.result' applied

# The server stops: fetches fail and retry every failed_interval; the port stays.
http_stop
kick
failures=$(portconfig_field '.sources[0].fetch.failures')
e2e_wait_until 5 "fetches retried with the server down" failures_at_least $((failures + 2))
e2e_log "server down: $(portconfig_field '.sources[0].fetch.last_result'), failures $(portconfig_field '.sources[0].fetch.failures')"
topo_exec h1 ping -c 3 -i 0.2 -W 1 "${TOPO_HOST_ADDR[h3]}" >/dev/null ||
  e2e_fail "h1 -> h3 lost with the server down"

# ce1 restarts with the server still down: its saved copy keeps vetha.
agents_kill ce1
agents_start ce1
agents_wait_ready ce1
[[ $(vetha_applied) == "up false" ]] || e2e_fail "vetha gone after the restart: '$(vetha_applied)'"
[[ $(portconfig_field '.sources[0].file.origin') == "saved copy" ]] ||
  e2e_fail "not the saved copy:"$'\n'"$(agents_cli ce1 show portconfig)"
e2e_wait_until 15 "h1 -> h3 after ce1's restart" topo_exec h1 ping -c 1 -W 1 "${TOPO_HOST_ADDR[h3]}"
e2e_log "restarted with the server down:"$'\n'"$(agents_cli ce1 show portconfig)"
e2e_log "PASS"
