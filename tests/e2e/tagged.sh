#!/usr/bin/env bash
# Tagged edge ports: every CE's vetha carries VLAN 99 tagged (the edge hosts
# tag on vethb, see vlan_host.bpf.c). Every pair pings and iperf3 runs.
# Argument: MODE (xdp|tc|kernel-tunnel).
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"

mode=${1:?usage: tagged.sh MODE}
e2e_init "tagged_$mode"
e2e_agents_init
topo_up --tagged
agents_up "$mode" --tagged
e2e_ping_pairs 10 "${TOPO_HOSTS[@]}"
e2e_iperf h1 h3 3
e2e_log "PASS"
