#!/usr/bin/env bash
# NHRP shortcut life with a 6 s holding time: a shortcut that carries
# traffic (the data plane's used mark) is resolved again at 2/3 of it and
# lives on; once the traffic stops it expires, its peers entry goes, and
# the next frame goes through the route server again and resolves anew.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/evpn.sh
source "$(dirname "$0")/lib/evpn.sh"

e2e_init "nhrp_expiry"
e2e_agents_init
topo_up --edge-xdp yes
topo_quiet_hosts
for ce in "${TOPO_CES[@]}"; do
  agents_config_nhrp "$ce" xdp 6
done
agents_config_nhrp_rs
evpn_start_all
e2e_wait_until 10 "every CE's EVPN session to rs with its End-of-RIB" evpn_sessions_up rs

ce3=${TOPO_OVERLAY_ADDR[ce3]}
shortcut_field() {  # ce overlay field: the shortcut's field, or nothing
  agents_cli "$1" show nhrp shortcut -j |
    jq -r --arg p "$2" --arg f "$3" '.shortcuts[] | select(.protocol == $p) | .[$f]'
}
resolved() { [[ $(shortcut_field "$1" "$2" state) == resolved ]]; }
gone() { [[ -z $(shortcut_field "$1" "$2" state) ]]; }

# 12 s of pings (two holding times): the shortcut must be refreshed.
topo_exec h1 ping -c 1 -W 2 "${TOPO_HOST_ADDR[h3]}" >/dev/null || e2e_fail "first ping h1 -> h3"
e2e_wait_until 5 "ce1's shortcut to ce3" resolved ce1 "$ce3"
topo_exec h1 ping -c 60 -i 0.2 -W 1 "${TOPO_HOST_ADDR[h3]}" >/dev/null ||
  e2e_fail "h1 -> h3 lost pings while its shortcut was refreshed"
resolved ce1 "$ce3" || e2e_fail "ce1's shortcut to ce3 did not outlive its holding time while in use:"$'\n'"$(agents_cli ce1 show nhrp)"
e2e_log "in use for 12 s (2 holding times): refreshed, $(shortcut_field ce1 "$ce3" expires_in_s) s left"

# Idle: it expires (at most one holding time after its last refresh) and
# its peers entry goes with it.
e2e_wait_until 10 "ce1's idle shortcut to ce3 to expire" gone ce1 "$ce3"
[[ -z $(agents_cli ce1 show nhrp -j | jq -r --arg p "$ce3" '.shortcuts[] | select(.protocol == $p)') ]] ||
  e2e_fail "shortcut still listed"
e2e_log "idle: expired"
relayed_before=$(agents_cli rs show stats -j | jq '[.stats[] | select(.name == "relay") | .packets] | add // 0')
topo_exec h1 ping -c 1 -W 2 "${TOPO_HOST_ADDR[h3]}" >/dev/null || e2e_fail "ping h1 -> h3 after the expiry"
relayed=$(($(agents_cli rs show stats -j | jq '[.stats[] | select(.name == "relay") | .packets] | add // 0') - relayed_before))
((relayed > 0)) || e2e_fail "after the expiry nothing went through rs: the peers entry outlived its shortcut"
e2e_wait_until 5 "ce1's new shortcut to ce3" resolved ce1 "$ce3"
e2e_log "after the expiry: $relayed frame(s) through rs, then a new shortcut"
e2e_log "PASS"
