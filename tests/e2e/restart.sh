#!/usr/bin/env bash
# The agents of CE1 and CE2 are killed with SIGKILL and restarted while h1
# pings h2 every 10 ms. Programs stay attached and maps pinned, so forwarding
# should not stop: the test prints how many pings were lost (goal: none) and
# fails only if forwarding does not resume after the restart.
# Argument: MODE (xdp|tc|kernel-tunnel).
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"

mode=${1:?usage: restart.sh MODE}
e2e_init "restart_$mode"
e2e_agents_init
topo_up
agents_up "$mode"
e2e_ping_pairs 10 h1 h2

count=800
out=$AGENTS_RUN_DIR/ping.out
topo_exec h1 ping -i 0.01 -c "$count" -W 1 -q "${TOPO_HOST_ADDR[h2]}" >"$out" 2>&1 &
ping_pid=$!
sleep 2
agents_kill ce1 KILL
agents_kill ce2 KILL
e2e_log "killed nwbpfd on ce1 and ce2 (SIGKILL)"
sleep 0.5
agents_start ce1
agents_start ce2
agents_wait_ready ce1
agents_wait_ready ce2
e2e_log "nwbpfd restarted on ce1 and ce2"
wait "$ping_pid" || true

received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$out")
[[ -n $received ]] || e2e_fail "no ping summary:"$'\n'"$(cat "$out")"
e2e_log "pings lost across the agent restart: $((count - received)) of $count"
e2e_ping_pairs 20 h1 h2 h3
e2e_log "PASS"
