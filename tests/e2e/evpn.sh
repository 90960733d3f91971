#!/usr/bin/env bash
# EVPN end to end: nwbpfd as route server (route reflector, listen range)
# and on every CE, with no static [[flood]] or [[fdb]]: every pair of edge
# hosts pings, and every CE's FDB holds the other hosts' MACs with origin
# evpn (type 2) while BUM reaches the other CEs through type-3 flood lists.
# Argument: MODE (xdp|tc|kernel-tunnel).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/evpn.sh
source "$(dirname "$0")/lib/evpn.sh"

mode=${1:?usage: evpn.sh MODE}
e2e_init "evpn_$mode"
e2e_agents_init
topo_up --edge-xdp yes

for ce in "${TOPO_CES[@]}"; do agents_config_evpn "$ce" "$mode" "${TOPO_WAN_ADDR[rs]}"; done
agents_config_rs
evpn_start_all

e2e_ping_pairs 10 "${TOPO_HOSTS[@]}"

evpn_expect_fdb
evpn_expect_bgp_show
e2e_log "ce1 fdb:"$'\n'"$(agents_cli ce1 show fdb)"
e2e_log "rs bgp summary:"$'\n'"$(agents_cli rs show bgp summary)"
e2e_log "ce1 bgp evpn:"$'\n'"$(agents_cli ce1 show bgp evpn)"
e2e_log "PASS"
