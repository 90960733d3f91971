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

for ce in "${TOPO_CES[@]}"; do evpn_ce_config "$ce" "$mode" "${TOPO_WAN_ADDR[rs]}"; done
cat >"$(agents_config_path rs)" <<EOF
[agent]
instance = "$(topo_ns rs)"
roles = ["route-server"]
bpffs = "$AGENTS_RUN_DIR/bpffs"
control_socket = "$AGENTS_RUN_DIR/rs.sock"
log_level = "debug"
bpf_object = "$NWBPF_BPF_OBJECT"

[node]
overlay_address = "${TOPO_OVERLAY_ADDR[rs]}"
nbma_address = "${TOPO_WAN_ADDR[rs]}"
wan_interface = "eth0"

[bgp]
as = $EVPN_AS
listen_range = "192.168.0.0/24"
hold_time = 9
EOF
agents_start rs
for ce in "${TOPO_CES[@]}"; do agents_start "$ce"; done
for node in rs "${TOPO_CES[@]}"; do agents_wait_ready "$node"; done

e2e_ping_pairs 10 "${TOPO_HOSTS[@]}"

evpn_expect_fdb
e2e_log "ce1 fdb:"$'\n'"$(agents_cli ce1 show fdb)"
e2e_log "PASS"
