#!/usr/bin/env bash
# A MAC moves between CEs: h1 (behind CE1) goes away and a new host h4 behind
# CE2 takes its MAC and address. CE3 must relearn the MAC behind CE2's VTEP
# (10.0.0.2) from the traffic, and h3 must reach the moved host.
# Argument: MODE (xdp|tc|kernel-tunnel).
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"

mode=${1:?usage: mac_move.sh MODE}
e2e_init "mac_move_$mode"
e2e_agents_init
topo_up --extra-host
agents_up "$mode" --extra-port
mac=${TOPO_HOST_MAC[h1]}

# Wait until `show fdb -j` on CE has MAC with the given where-field value.
wait_fdb() {  # ce field value
  local entry=""
  for _ in $(seq 50); do
    entry=$(e2e_fdb_entry "$1" "$mac")
    [[ $(jq -r --arg f "$2" '.[$f]' <<<"${entry:-null}" 2>/dev/null) == "$3" ]] && return 0
    sleep 0.1
  done
  e2e_fail "$1: $mac is not at $2 $3 in show fdb; its entry: ${entry:-none}"$'\n'"$(agents_cli "$1" show fdb)"
}

e2e_ping_pairs 5 h1 h3
wait_fdb ce3 vtep "${TOPO_OVERLAY_ADDR[ce1]}"
e2e_log "before the move, ce3: $(e2e_fdb_entry ce3 "$mac")"

topo_exec h1 ip link set vethb down
topo_exec h4 ip link set vethb address "$mac"
topo_exec h4 ip addr add "${TOPO_HOST_ADDR[h1]}/24" dev vethb
TOPO_HOST_ADDR["h4"]=${TOPO_HOST_ADDR["h1"]}
e2e_ping_pairs 10 h4 h3

wait_fdb ce3 vtep "${TOPO_OVERLAY_ADDR[ce2]}"
wait_fdb ce2 port vethm
e2e_log "after the move, ce3: $(e2e_fdb_entry ce3 "$mac")"
e2e_log "after the move, ce2: $(e2e_fdb_entry ce2 "$mac")"
e2e_log "PASS"
