#!/usr/bin/env bash
# EVPN end to end: nwbpfd as route server (route reflector, listen range)
# and on every CE, with no static [[flood]] or [[fdb]]: every pair of edge
# hosts pings, and every CE's FDB holds the other hosts' MACs with origin
# evpn (type 2) while BUM reaches the other CEs through type-3 flood lists.
# Argument: MODE (xdp|tc|kernel-tunnel).
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"

mode=${1:?usage: evpn.sh MODE}
e2e_init "evpn_$mode"
e2e_agents_init
topo_up --edge-xdp yes

# The CEs: the static configs without their flood lists, plus [bgp]. Route
# servers are named by NBMA address until NHRP resolves overlay addresses.
for ce in "${TOPO_CES[@]}"; do
  agents_config "$ce" "$mode"
  f=$(agents_config_path "$ce")
  sed -i '/^\[\[flood\]\]$/,/^vteps = /d' "$f"
  grep -q '^\[\[flood\]\]' "$f" && e2e_fail "flood list still in $f"
  printf '\n[bgp]\nas = 65000\nroute_reflectors = ["%s"]\nhold_time = 9\n' "${TOPO_WAN_ADDR[rs]}" >>"$f"
done
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
as = 65000
listen_range = "192.168.0.0/24"
hold_time = 9
EOF
agents_start rs
for ce in "${TOPO_CES[@]}"; do agents_start "$ce"; done
for node in rs "${TOPO_CES[@]}"; do agents_wait_ready "$node"; done

e2e_ping_pairs 10 "${TOPO_HOSTS[@]}"

# Every CE: its own host learned on its port, the two others from EVPN
# behind their CE's VTEP. (A MAC may also have a learned entry from VXLAN
# frames, learn_remote: `show fdb` lists both, and the EVPN one wins.)
for ce in "${TOPO_CES[@]}"; do
  for host in "${TOPO_HOSTS[@]}"; do
    want=learned
    [[ ${TOPO_HOST_CE[$host]} == "$ce" ]] || want=evpn
    entry=$(e2e_fdb_entry "$ce" "${TOPO_HOST_MAC[$host]}" | jq -c --arg o "$want" 'select(.origin == $o)')
    [[ -n $entry ]] || e2e_fail "$ce has no $want FDB entry for $host (${TOPO_HOST_MAC[$host]}):"$'\n'"$(agents_cli "$ce" show fdb)"
    if [[ $want == evpn ]]; then
      vtep=${TOPO_OVERLAY_ADDR[${TOPO_HOST_CE[$host]}]}
      [[ $(jq -r .vtep <<<"$entry") == "$vtep" ]] || e2e_fail "$ce: $host not behind $vtep: $entry"
    fi
  done
done
e2e_log "ce1 fdb:"$'\n'"$(agents_cli ce1 show fdb)"
e2e_log "PASS"
