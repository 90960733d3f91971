#!/usr/bin/env bash
# EVPN across an agent restart and a reload (nwbpfd as route server and on
# every CE, as in evpn.sh):
#  a. ce1's nwbpfd restarts while h1 stays silent: h1's MAC is still in the
#     pinned fdb_learned, so BPF reports nothing new, and the new agent must
#     advertise it from there (ce2 and ce3 get h1's type-2 route back).
#  b. ce1's hold_time changes and ce1 reloads (SIGHUP): the speaker restarts
#     with the new value (the session comes back with hold time 6 s), the
#     FDB is whole again and every pair pings.
#  c. a reload that leaves [bgp] as it was does not touch the sessions.
#  d. graceful restart, helper mode (RFC 4724): the route server's nwbpfd is
#     killed (SIGKILL: no NOTIFICATION, the CEs see the connection drop), the
#     CEs keep its routes as stale and their FDB entries with them, traffic
#     goes on; when it is back the routes are refreshed and nothing is stale.
#  e. the same, the restarting side: ce1's nwbpfd restarts while no route
#     reflector is up; it keeps the EVPN FDB entries the previous agent
#     installed (h2, h3 behind their VTEPs) until the reflector's End-of-RIB.
# Argument: MODE (xdp|tc).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/evpn.sh
source "$(dirname "$0")/lib/evpn.sh"

mode=${1:?usage: evpn_restart.sh MODE}
e2e_init "evpn_restart_$mode"
e2e_agents_init
topo_up --edge-xdp yes

for ce in "${TOPO_CES[@]}"; do agents_config_evpn "$ce" "$mode" "${TOPO_WAN_ADDR[rs]}"; done
agents_config_rs
evpn_start_all
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"
evpn_expect_fdb

h1_mac=${TOPO_HOST_MAC[h1]}
ce1_vtep=${TOPO_OVERLAY_ADDR[ce1]}
h1_behind_ce1() {  # ce
  [[ $(evpn_fdb_vtep "$1" "$h1_mac") == "$ce1_vtep" ]]
}
h1_gone() {  # ce
  [[ -z $(evpn_fdb_vtep "$1" "$h1_mac") ]]
}

# a. Restart: stopping ce1 withdraws its routes (Cease, no graceful restart
# for a shutdown), so the others lose h1; the new agent brings it back.
agents_kill ce1
for ce in ce2 ce3; do e2e_wait_until 15 "$ce drops h1 after ce1 stops" h1_gone "$ce"; done
agents_start ce1
agents_wait_ready ce1
for ce in ce2 ce3; do e2e_wait_until 20 "$ce gets h1 back from the restarted ce1" h1_behind_ce1 "$ce"; done
e2e_log "restart: ce1 advertised h1 from its pinned learned entry"

# b. A changed hold time restarts ce1's speaker with it.
hold() {  # ce
  agents_cli "$1" show bgp summary -j | jq -r '.peers[0].session.hold_time_s // empty'
}
[[ $(hold ce1) == 9 ]] || e2e_fail "ce1 hold time before the reload: '$(hold ce1)'"
f=$(agents_config_path ce1)
sed -i 's/^hold_time = 9$/hold_time = 6/' "$f"
kill -HUP "${AGENTS_PID[ce1]}"
hold_is_6() { [[ $(hold ce1) == 6 ]]; }
e2e_wait_until 20 "ce1's session back with hold time 6 s" hold_is_6
grep -q 'BGP configuration changed: restarting the EVPN speaker' "$AGENTS_RUN_DIR/ce1.log" ||
  e2e_fail "ce1 did not log the speaker restart"
e2e_wait_until 20 "ce1's FDB whole again after the reload" evpn_expect_fdb
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"

# c. The same file again: the session stays up (its Up/Down keeps counting).
ce1_uptime() { agents_cli rs show bgp summary -j | jq -r --arg a "${TOPO_WAN_ADDR[ce1]}" '.peers[] | select(.address == $a) | .up_down_s'; }
before=$(ce1_uptime)
restarts=$(grep -c 'restarting the EVPN speaker' "$AGENTS_RUN_DIR/ce1.log")
kill -HUP "${AGENTS_PID[ce1]}"
sleep 2
[[ $(grep -c 'restarting the EVPN speaker' "$AGENTS_RUN_DIR/ce1.log") == "$restarts" ]] ||
  e2e_fail "an unchanged [bgp] restarted the speaker"
after=$(ce1_uptime)
((after >= before + 1)) || e2e_fail "rs saw ce1's session restart on an unchanged reload ($before s -> $after s)"
e2e_log "unchanged reload: session up for ${after}s"

# d. Graceful restart: the CEs' routes from rs outlive rs for its restart
# time (120 s, the default), so the FDB stays whole while it is down.
stale() {  # ce
  agents_cli "$1" show bgp summary -j | jq -r '.peers[0].stale_paths'
}
agents_kill rs KILL
all_stale() {
  local ce
  for ce in "${TOPO_CES[@]}"; do [[ $(stale "$ce") -ge 4 ]] || return 1; done
}
all_stale_or_say() {
  all_stale && return 0
  ((SECONDS < deadline)) && return 1
  e2e_fail "not every CE kept rs's routes as stale; ce1:"$'\n'"$(agents_cli ce1 show bgp summary)"$'\n'"$(grep evpn "$AGENTS_RUN_DIR/ce1.log" | tail -n 8)"
}
deadline=$((SECONDS + 15))
e2e_wait_until 20 "every CE keeps rs's routes as stale" all_stale_or_say
evpn_expect_fdb
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"
e2e_log "rs down: routes kept as stale, FDB whole, traffic flows"
agents_start rs
agents_wait_ready rs
none_stale() {
  local ce
  for ce in "${TOPO_CES[@]}"; do
    agents_cli "$ce" show bgp summary -j |
      jq -e '.peers[0] | .state == "Established" and .end_of_rib_rcvd and .stale_paths == 0' >/dev/null || return 1
  done
}
e2e_wait_until 30 "every CE back with rs, nothing stale" none_stale
evpn_expect_fdb
e2e_log "rs back: routes refreshed, nothing stale"

# e. ce1 restarts with rs down: nothing can bring h2 and h3 back but what
# the previous agent left in the pinned maps.
agents_kill ce1
agents_kill rs KILL
agents_start ce1
agents_wait_ready ce1
for host in h2 h3; do
  vtep=$(evpn_fdb_vtep ce1 "${TOPO_HOST_MAC[$host]}")
  [[ $vtep == "${TOPO_OVERLAY_ADDR[${TOPO_HOST_CE[$host]}]}" ]] ||
    e2e_fail "restarted ce1 lost $host's EVPN entry ('$vtep'):"$'\n'"$(agents_cli ce1 show fdb)"
done
grep -q 'graceful restart: keeping 2 EVPN MACs' "$AGENTS_RUN_DIR/ce1.log" || e2e_fail "ce1 did not log what it kept"
e2e_log "ce1 restarted without a reflector: kept h2 and h3"
agents_start rs
agents_wait_ready rs
e2e_wait_until 30 "every CE back with rs, nothing stale" none_stale
grep -q 'EVPN state from before released: every route reflector has sent its End-of-RIB' "$AGENTS_RUN_DIR/ce1.log" ||
  e2e_fail "ce1 did not release what it kept at End-of-RIB"
e2e_wait_until 20 "every FDB whole once rs is back" evpn_expect_fdb
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"
e2e_log "PASS"
