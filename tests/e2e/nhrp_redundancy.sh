#!/usr/bin/env bash
# NHRP with two route servers (issue 5, route server redundancy): nwbpfd on
# rs and rs2 (NHS, route reflector, relay), every CE with no [[peer]]
# registering with both, its relay the first NHS it is registered with (rs).
# The hosts stay quiet until b: any frame between CEs (a flooded ARP too)
# gets them shortcuts.
#  a. Both up: both caches hold every CE, every CE relays through rs.
#  b. rs is killed (SIGKILL): every CE's relay moves to rs2 as soon as its
#     session to rs is down; the first flow, h1 -> h3, crosses rs2 (its relay
#     counter grows) and gets its shortcut; rs2 keeps every registration,
#     EVPN goes on through rs2 alone; every pair of hosts pings.
#  c. rs restarts with an empty cache: the CEs register with it as soon as
#     their BGP session to it is Established again, not at a third of their
#     holding time (600 s here); BGP comes back whole, the relay is rs again.
#  d. rs is killed again while pings every 50 ms go round h1 -> h2 -> h3 ->
#     h1 over the shortcuts: loss is logged until the CEs see rs down and
#     must be 0 from then on; the relay is rs2 again, every pair pings.
# Argument: MODE (xdp|tc).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/evpn.sh
source "$(dirname "$0")/lib/evpn.sh"
# shellcheck source=SCRIPTDIR/lib/nhrp.sh
source "$(dirname "$0")/lib/nhrp.sh"

mode=${1:?usage: nhrp_redundancy.sh MODE}
e2e_init "nhrp_redundancy_$mode"
e2e_agents_init
topo_up --edge-xdp yes --route-servers 2
topo_quiet_hosts
# Re-registration at a third of 600 s: never within the test, so rs's cache
# fills again after its restart only through the re-registration on BGP up.
HOLDING_S=600
# The CEs keep a killed route server's routes for its restart time.
RESTART_S=3
for ce in "${TOPO_CES[@]}"; do agents_config_nhrp "$ce" "$mode" "$HOLDING_S"; done
for rs in "${TOPO_ROUTE_SERVERS[@]}"; do agents_config_nhrp_rs "$rs" "restart_time = $RESTART_S"; done
evpn_start_all

# True when every CE relays through NBMA address ADDR.
relays_through() {  # addr
  local ce
  for ce in "${TOPO_CES[@]}"; do [[ $(nhrp_relay "$ce") == "$1" ]] || return 1; done
}

# Kills rs (SIGKILL, no NOTIFICATION) and waits until every CE sees it down.
kill_rs() {
  t0=$EPOCHREALTIME
  agents_kill rs KILL
  e2e_wait_until 15 "every CE sees rs down" evpn_not_established rs
  e2e_log "rs killed: every CE saw it down after $(e2e_since "$t0") s"
}

# rs is down: every CE relays through rs2 at once, which keeps every
# registration, and every CE drops rs's routes after its restart time.
rs2_alone() {
  e2e_wait_until 2 "every CE relaying through rs2" relays_through "${TOPO_WAN_ADDR[rs2]}"
  e2e_log "every CE relays through rs2 $(e2e_since "$t0") s after rs was killed"
  nhrp_all_registered rs2 || e2e_fail "rs2 lost registrations:"$'\n'"$(agents_cli rs2 show nhrp cache)"
  e2e_wait_until $((RESTART_S + 15)) "every CE dropped rs's stale routes" evpn_sessions_down rs
  evpn_sessions_up rs2 || e2e_fail "a CE lost rs2:"$'\n'"$(agents_cli ce1 show bgp summary)"
}

# a. Both route servers up.
e2e_wait_until 30 "every CE Established with rs and rs2" evpn_sessions_up "${TOPO_ROUTE_SERVERS[@]}"
for rs in "${TOPO_ROUTE_SERVERS[@]}"; do
  e2e_wait_until 10 "every CE registered with $rs" nhrp_all_registered "$rs"
done
e2e_wait_until 5 "every CE relaying through rs" relays_through "${TOPO_WAN_ADDR[rs]}"
e2e_log "both caches hold every CE, every CE relays through rs"

# b. rs killed: the relay moves to rs2, which carries the first flow.
kill_rs
rs2_alone
! nhrp_shortcut_resolved ce1 "${TOPO_OVERLAY_ADDR[ce3]}" ||
  e2e_fail "ce1 has a shortcut to ce3 before any traffic:"$'\n'"$(agents_cli ce1 show nhrp)"
relayed_before=$(nhrp_counter rs2 relay)
first_ping=$(topo_exec h1 ping -c 1 -W 2 "${TOPO_HOST_ADDR[h3]}" 2>&1) ||
  e2e_fail "h1 -> h3: the first ping, through rs2, got no reply:"$'\n'"$first_ping"
e2e_wait_until 5 "ce1's shortcut to ce3" nhrp_shortcut_resolved ce1 "${TOPO_OVERLAY_ADDR[ce3]}"
relayed=$(($(nhrp_counter rs2 relay) - relayed_before))
((relayed > 0)) || e2e_fail "rs2 relayed nothing of h1 -> h3's first frames"
e2e_log "new flow h1 -> h3: rs2 relayed $relayed frame(s), then ce1's shortcut to ce3"
e2e_log "ce1 nhrp with rs down:"$'\n'"$(agents_cli ce1 show nhrp)"
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"
e2e_wait_until 5 "every CE's FDB whole, through rs2 alone" evpn_fdb_whole

# c. rs back with an empty cache: the CEs register with it as soon as their
# session to it is Established (the CEs' BGP retry backoff may take a while).
agents_start rs
agents_wait_ready rs
t0=$EPOCHREALTIME
e2e_wait_until 70 "every CE Established with rs and rs2, nothing stale" evpn_sessions_up rs rs2
e2e_log "every CE Established with rs again $(e2e_since "$t0") s after its restart"
e2e_wait_until 5 "every CE registered with rs again" nhrp_all_registered rs
e2e_log "rs's cache holds every CE again $(e2e_since "$t0") s after its restart:"$'\n'"$(agents_cli rs show nhrp cache)"
for ce in "${TOPO_CES[@]}"; do
  grep -q "NHS ${TOPO_WAN_ADDR[rs]}: reachable again, registering at once" "$AGENTS_RUN_DIR/$ce.log" ||
    e2e_fail "$ce did not re-register with rs on its BGP session's return"
done
e2e_wait_until 5 "every CE relaying through rs again" relays_through "${TOPO_WAN_ADDR[rs]}"
evpn_expect_fdb
evpn_expect_bgp_show
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"

# d. rs killed again, the relay of every CE, with traffic over the shortcuts.
watch_ring() {
  evpn_watch_start h1 h2
  evpn_watch_start h2 h3
  evpn_watch_start h3 h1
}
watch_ring
sleep 0.5
kill_rs
evpn_watch_stop
e2e_log "until then: $EVPN_WATCH_LOST pings lost"
watch_ring
rs2_alone
evpn_expect_fdb
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"
evpn_watch_stop
((EVPN_WATCH_LOST == 0)) || e2e_fail "$EVPN_WATCH_LOST pings lost after the CEs saw rs down"
e2e_log "PASS"
