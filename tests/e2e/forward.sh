#!/usr/bin/env bash
# The seed topology with nwbpfd on every CE: every pair of edge hosts pings
# (no loss after warm-up) and iperf3 TCP runs 5 s over two pairs.
# Arguments: MODE (xdp|tc|kernel-tunnel) [EDGE_XDP (yes|no)]: with "no" the
# edge hosts' veths cannot take XDP frames, so the agent must serve those
# ports through TC ("path" in `nwbpf show ports`).
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"

mode=${1:?usage: forward.sh MODE [EDGE_XDP]}
edge_xdp=${2:-yes}
e2e_init "forward_${mode}_edge-xdp-$edge_xdp"
e2e_agents_init
topo_up --edge-xdp "$edge_xdp"
# nwbpfd must change no sysctl: in particular the CEs must not start routing
# what arrives from the underlay (IPv4 forwarding on the WAN device).
declare -A wan_forwarding
for ce in "${TOPO_CES[@]}"; do
  wan_forwarding[$ce]=$(topo_exec "$ce" cat /proc/sys/net/ipv4/conf/eth0/forwarding)
done
agents_up "$mode"

ports=$(agents_cli ce1 show ports -j)
e2e_log "ce1 ports: $(jq -c '[.[] | {name, role, path, path_reason}]' <<<"$ports")"
if [[ $mode == xdp ]]; then
  want=tc
  [[ $edge_xdp == yes ]] && want=xdp
  got=$(jq -r '.[] | select(.name == "vetha") | .path' <<<"$ports")
  [[ $got == "$want" ]] || e2e_fail "ce1 vetha uses path '$got', expected '$want' (edge XDP-capable: $edge_xdp)"
fi

e2e_ping_pairs 20 "${TOPO_HOSTS[@]}"
e2e_iperf h1 h2 5
e2e_iperf h2 h3 5
for ce in "${TOPO_CES[@]}"; do
  now=$(topo_exec "$ce" cat /proc/sys/net/ipv4/conf/eth0/forwarding)
  [[ $now == "${wan_forwarding[$ce]}" ]] ||
    e2e_fail "$ce: nwbpfd changed net.ipv4.conf.eth0.forwarding from ${wan_forwarding[$ce]} to $now"
done
e2e_log "ce1 counters:"$'\n'"$(agents_cli ce1 show stats)"
e2e_log "PASS"
