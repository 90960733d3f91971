#!/usr/bin/env bash
# EVPN with two route servers (issue 5, route server redundancy): nwbpfd on
# rs and rs2 (role route-server), every CE peering with both, no static
# [[flood]] or [[fdb]].
#  a. Both up: every pair of edge hosts pings, every CE's FDB holds the
#     other hosts with origin evpn, learned from both route servers, and
#     every CE's `show bgp summary` has both Established.
#  b. rs is killed (SIGKILL, no NOTIFICATION): pings every 50 ms around
#     h1 -> h2 -> h3 -> h1 run throughout, their loss is logged until the CEs
#     see rs down and must be 0 from then on; once rs's routes are gone
#     (kept as stale for its restart time, short here) rs2's alone keep every
#     FDB whole, and `show bgp summary` shows rs down.
#  c. With rs still down, a host never seen before (h4 behind ce2) comes up:
#     its MAC reaches the other CEs through rs2 alone.
#  d. rs restarts: every CE is Established with both again, nothing stale,
#     every route (h4's too) from both.
#  e. The same the other way round: rs2 killed while rs is up, then back.
# Argument: MODE (xdp|tc).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/evpn.sh
source "$(dirname "$0")/lib/evpn.sh"

mode=${1:?usage: evpn_redundancy.sh MODE}
e2e_init "evpn_redundancy_$mode"
e2e_agents_init
topo_up --edge-xdp yes --extra-host --route-servers 2
# The CEs keep a killed route server's routes for its restart time (graceful
# restart, helper side): a few seconds, so the test sees them go and the
# other route server's routes alone keep the FDB.
RESTART_S=3
# h4 stays off the wire (no IPv6 neighbour discovery either) until c.
topo_exec h4 ip link set vethb down

for ce in "${TOPO_CES[@]}"; do agents_config_evpn "$ce" "$mode" --extra-port "$(agents_route_reflectors)"; done
for rs in "${TOPO_ROUTE_SERVERS[@]}"; do agents_config_rs "$rs" "restart_time = $RESTART_S"; done
evpn_start_all

# True when every CE has each other CE's host's type-2 route from exactly the
# route servers RS... (`show bgp evpn`).
routes_from() {  # rs...
  local ce host rs want=""
  for rs in "$@"; do want+=${TOPO_WAN_ADDR[$rs]}$'\n'; done
  want=$(sort <<<"$want" | sed '/^$/d')
  for ce in "${TOPO_CES[@]}"; do
    for host in "${TOPO_HOSTS[@]}"; do
      [[ ${TOPO_HOST_CE[$host]} == "$ce" ]] && continue
      [[ $(evpn_mac_route_peers "$ce" "${TOPO_HOST_MAC[$host]}") == "$want" ]] || return 1
    done
  done
}

# a. Both route servers up.
e2e_wait_until 30 "every CE Established with rs and rs2" evpn_sessions_up "${TOPO_ROUTE_SERVERS[@]}"
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"
e2e_wait_until 10 "every remote MAC from rs and rs2" routes_from rs rs2
evpn_expect_fdb
evpn_expect_bgp_show
e2e_log "ce1 bgp summary:"$'\n'"$(agents_cli ce1 show bgp summary)"

watch_ring() {
  evpn_watch_start h1 h2
  evpn_watch_start h2 h3
  evpn_watch_start h3 h1
}

# b (and e). Kills route server RS while OTHER stays: traffic never stops,
# and once RS's routes are gone OTHER's keep every FDB whole. Leaves the
# ring's pings running (the caller checks their loss).
kill_route_server() {  # rs other
  local rs=$1 other=$2 t0
  watch_ring
  sleep 0.5
  t0=$EPOCHREALTIME
  agents_kill "$rs" KILL
  e2e_wait_until 15 "every CE sees $rs down" evpn_not_established "$rs"
  e2e_log "$rs killed: every CE saw it down after $(e2e_since "$t0") s"
  evpn_watch_stop
  e2e_log "until then: $EVPN_WATCH_LOST pings lost"
  watch_ring
  e2e_wait_until $((RESTART_S + 15)) "every CE dropped $rs's stale routes" evpn_sessions_down "$rs"
  e2e_log "$rs's routes gone from every CE after $(e2e_since "$t0") s"
  evpn_fdb_whole || e2e_fail "an FDB lost an entry with $rs's routes: $(_evpn_fdb_problem)"
  routes_from "$other" || e2e_fail "not every remote MAC from $other alone; ce1:"$'\n'"$(agents_cli ce1 show bgp evpn)"
  evpn_expect_fdb
  evpn_sessions_up "$other" || e2e_fail "a CE lost $other:"$'\n'"$(agents_cli ce1 show bgp summary)"
  e2e_log "ce1 bgp summary with $rs down:"$'\n'"$(agents_cli ce1 show bgp summary)"
}

# Restarts route server RS: every CE gets both sessions back, nothing stale,
# and every route from both.
restart_route_server() {  # rs
  agents_start "$1"
  agents_wait_ready "$1"
  # The CEs retry a refused connection after 1, 2, 4 ... 32, 64 s (their
  # idle-hold backoff), so a server down for 30 s may wait 64 s for them.
  e2e_wait_until 70 "every CE Established with rs and rs2, nothing stale" evpn_sessions_up rs rs2
  e2e_wait_until 10 "every remote MAC from rs and rs2" routes_from rs rs2
  evpn_expect_fdb
  evpn_expect_bgp_show
  e2e_log "$1 back: both sessions on every CE, nothing stale"
}

expect_no_loss() {
  evpn_watch_stop
  ((EVPN_WATCH_LOST == 0)) || e2e_fail "$EVPN_WATCH_LOST pings lost after the CEs saw $1 down"
}

# b. rs killed.
kill_route_server rs rs2

# c. A new MAC while rs is down: h4 comes up (first frames: its IPv6
# neighbour discovery, then pings), ce2 learns it and advertises it to rs2.
for ce in "${TOPO_CES[@]}"; do
  [[ -z $(e2e_fdb_entry "$ce" "${TOPO_HOST_MAC[h4]}") ]] || e2e_fail "$ce knows h4 before it came up"
done
TOPO_HOST_ADDR[h4]=172.16.0.4
TOPO_HOSTS+=(h4)
topo_exec h4 ip addr add "${TOPO_HOST_ADDR[h4]}/24" dev vethb
topo_exec h4 ip link set vethb up
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"
e2e_wait_until 10 "every CE's FDB with h4" evpn_fdb_whole
routes_from rs2 || e2e_fail "h4 not from rs2 alone; ce1:"$'\n'"$(agents_cli ce1 show bgp evpn)"
e2e_log "h4 (new MAC ${TOPO_HOST_MAC[h4]}) reached every CE through rs2 alone"
expect_no_loss rs

# d. rs back.
restart_route_server rs
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"

# e. rs2 killed while rs is up, then back.
kill_route_server rs2 rs
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"
expect_no_loss rs2
restart_route_server rs2
e2e_log "PASS"
