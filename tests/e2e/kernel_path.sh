#!/usr/bin/env bash
# The reference path (Nante-WAN's data plane built with iproute2, no nwbpf,
# scripts/lib/kernel-path.sh): every pair of edge hosts pings and iperf3 runs
# over the kernel's bridge + VXLAN in the seed topology.
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"
source "$NWBPF_SOURCE_DIR/scripts/lib/kernel-path.sh"

e2e_init kernel_path
topo_up
kp_up
e2e_ping_pairs 10 "${TOPO_HOSTS[@]}"
e2e_iperf h1 h2 5
e2e_log "PASS"
