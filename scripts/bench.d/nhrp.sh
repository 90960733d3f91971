#!/usr/bin/env bash
# The nhrp suite's topology and rounds (nhrp.py reads what it writes): the
# seed topology as tests/e2e/nhrp.sh builds it, with the same libraries
# (scripts/lib, tests/e2e/lib): nwbpfd on rs as NHS, route reflector and
# relay, on every CE as NHC with no [[peer]]; hosts quiet (no IPv6).
#
# Usage: nhrp.sh PREFIX RUN_DIR MODE ROUNDS
#   PREFIX   namespace prefix; RUN_DIR: configs, logs, bpffs, captures
#   MODE     xdp|tc; ROUNDS: 1..100
#
# Captures for the whole run (dumpcap, kernel timestamps, one clock):
#   RUN_DIR/edge.pcapng   h1's vethb, what h1 sends (XDP on ce1's vetha runs
#                         before any tap there, so h1's side it is)
#   RUN_DIR/wan.pcapng    the underlay bridge's port "ce1": VXLAN and GRE
#                         to and from ce1's NBMA address
# Per round, on stdout, one JSON line {"round", "start_ns", "end_ns",
# "relayed", "shortcut_ms", "lost"}: the round's frames are those between
# start_ns and end_ns; rs's relay counter grew by "relayed", the CLI showed
# the shortcut after "shortcut_ms", "lost" pings got no reply. A round restarts ce1's and ce3's agents (no shortcut either
# way; the FDB and the EVPN routes stay, graceful restart), waits until
# both are registered and have their EVPN sessions, then h1 pings h3 every
# millisecond for a second (h3's MAC a permanent neighbour: the first frame
# is the echo request, no ARP); ce1 must have its shortcut within 2 s.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../../tests/e2e/lib/e2e.sh
source "$ROOT/tests/e2e/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/../lib/agents.sh
source "$ROOT/scripts/lib/agents.sh"
# shellcheck source=SCRIPTDIR/../../tests/e2e/lib/evpn.sh
source "$ROOT/tests/e2e/lib/evpn.sh"
# shellcheck source=SCRIPTDIR/../../tests/e2e/lib/nhrp.sh
source "$ROOT/tests/e2e/lib/nhrp.sh"
# shellcheck source=SCRIPTDIR/../lib/daemon.sh
source "$ROOT/scripts/lib/daemon.sh"
# shellcheck source=SCRIPTDIR/../../tests/e2e/lib/bgp_capture.sh
source "$ROOT/tests/e2e/lib/bgp_capture.sh"

prefix=${1:?usage: nhrp.sh PREFIX RUN_DIR MODE ROUNDS}
run_dir=${2:?usage: nhrp.sh PREFIX RUN_DIR MODE ROUNDS}
mode=${3:?usage: nhrp.sh PREFIX RUN_DIR MODE ROUNDS}
rounds=${4:?usage: nhrp.sh PREFIX RUN_DIR MODE ROUNDS}
[[ $mode == xdp || $mode == tc ]] || e2e_fail "mode must be xdp or tc, got '$mode'"
if ! [[ $rounds =~ ^[0-9]+$ ]] || ((rounds < 1 || rounds > 100)); then
  e2e_fail "rounds must be 1..100, got '$rounds'"
fi
E2E_NAME=bench-nhrp-$mode
PINGS=1000
# Progress on stderr: stdout is the rounds' JSON.
e2e_log() { printf '[%s] %s\n' "$E2E_NAME" "$*" >&2; }

topo_init "$prefix"
set -E
trap 'e2e_fail "line $LINENO: \"$BASH_COMMAND\" failed (exit $?)"' ERR
agents_init "$run_dir"
topo_up --edge-xdp yes
topo_quiet_hosts
topo_on_down capture_stop
capture_start h1 "$run_dir/edge.pcapng" "ether src ${TOPO_HOST_MAC[h1]}" vethb
capture_start ul "$run_dir/wan.pcapng" "udp port 4789 or ip proto 47" ce1

for ce in "${TOPO_CES[@]}"; do agents_config_nhrp "$ce" "$mode"; done
agents_config_nhrp_rs rs
evpn_start_all

registered() {  # ce...
  local ce
  for ce in "$@"; do
    agents_cli "$ce" show nhrp nhs -j | jq -e 'any(.nhs[]; .registered)' >/dev/null || return 1
  done
}
# ce1 sends h3's frames toward ce3's VTEP: the MAC is in its FDB from EVPN.
h3_known() {
  [[ $(evpn_fdb_vtep ce1 "${TOPO_HOST_MAC[h3]}") == "${TOPO_OVERLAY_ADDR[ce3]}" ]]
}
ready() {
  e2e_wait_until 20 "ce1 and ce3 registered with rs" registered ce1 ce3
  e2e_wait_until 20 "every CE's EVPN session to rs with its End-of-RIB" evpn_sessions_up rs
  e2e_wait_until 10 "h3's MAC behind ce3 in ce1's FDB" h3_known
  ! nhrp_shortcut_resolved ce1 "${TOPO_OVERLAY_ADDR[ce3]}" ||
    e2e_fail "ce1 has a shortcut to ce3 before the round"
}

# Warm-up: h3's MAC learned by ce3 and announced, ARP done; then the
# hosts' neighbours are permanent, so no round starts with ARP.
e2e_wait_until 20 "every CE registered with rs" nhrp_all_registered rs
e2e_wait_until 20 "every CE's EVPN session to rs with its End-of-RIB" evpn_sessions_up rs
topo_warm_up h1 "${TOPO_HOST_ADDR[h3]}" || e2e_fail "warm-up: h1 -> h3 got no reply"
topo_exec h1 ip neigh replace "${TOPO_HOST_ADDR[h3]}" lladdr "${TOPO_HOST_MAC[h3]}" nud permanent dev vethb
topo_exec h3 ip neigh replace "${TOPO_HOST_ADDR[h1]}" lladdr "${TOPO_HOST_MAC[h1]}" nud permanent dev vethb

for ((round = 1; round <= rounds; round++)); do
  for ce in ce1 ce3; do agents_kill "$ce"; agents_start "$ce"; done
  for ce in ce1 ce3; do agents_wait_ready "$ce"; done
  ready
  relayed_before=$(nhrp_counter rs relay)
  start_ns=$(date +%s%N)
  # Every millisecond for a second: the first direct frame is at most one
  # interval late after the shortcut is in BPF, which may be later than
  # the CLI shows it resolved (a target-side shortcut waits 100 ms).
  # Not through topo_exec: $! must be ping itself (ip netns exec execs).
  ip netns exec "$(topo_ns h1)" ping -q -i 0.001 -c "$PINGS" -W 1 "${TOPO_HOST_ADDR[h3]}" \
    >"$run_dir/ping.out" 2>&1 &
  pinger=$!
  e2e_wait_until 2 "round $round: ce1's shortcut to ce3" \
    nhrp_shortcut_resolved ce1 "${TOPO_OVERLAY_ADDR[ce3]}"
  shortcut_ms=$((($(date +%s%N) - start_ns) / 1000000))
  wait "$pinger" || e2e_fail "round $round: h1 -> h3 got no reply:"$'\n'"$(cat "$run_dir/ping.out")"
  end_ns=$(date +%s%N)
  received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$run_dir/ping.out")
  relayed=$(($(nhrp_counter rs relay) - relayed_before))
  e2e_log "round $round: shortcut seen by the CLI after ${shortcut_ms} ms, rs relayed $relayed frame(s)"
  printf '{"round": %d, "start_ns": %s, "end_ns": %s, "relayed": %d, "shortcut_ms": %d, "lost": %d}\n' \
    "$round" "$start_ns" "$end_ns" "$relayed" "$shortcut_ms" "$((PINGS - ${received:-0}))"
  # Frames still in dumpcap's buffer are written within its 0.5 s flush.
  sleep 0.5
done
capture_stop
