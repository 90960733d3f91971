# shellcheck shell=bash
# The EVPN CEs of the seed topology, for the tests whose CEs learn every
# remote MAC and flood list from a route reflector (nwbpfd's own or a third
# party's). Sourced by tests/e2e after lib/e2e.sh and e2e_agents_init.
#
#   evpn_ce_config CE MODE RR [LINE...]
#                       CE's static config (agents_config) without its flood
#                       list, plus [bgp]: AS 65000, route reflector RR (its
#                       NBMA address: overlay addresses are resolved by NHRP
#                       later), hold time 9 s, and LINEs ('key = value')
#   evpn_expect_fdb     every CE's `nwbpf show fdb -j` holds its own host
#                       learned on its port and the other hosts with origin
#                       evpn behind their CE's VTEP
#   evpn_fdb_vtep CE MAC
#                       the VTEP of CE's EVPN entry for MAC (VNI
#                       $TOPO_VLAN), or nothing

EVPN_AS=65000

evpn_ce_config() {  # ce mode rr [line...]
  local ce=$1 mode=$2 rr=$3 f
  shift 3
  agents_config "$ce" "$mode"
  f=$(agents_config_path "$ce")
  sed -i '/^\[\[flood\]\]$/,/^vteps = /d' "$f"
  grep -q '^\[\[flood\]\]' "$f" && e2e_fail "flood list still in $f"
  printf '\n[bgp]\nas = %s\nroute_reflectors = ["%s"]\nhold_time = 9\n' "$EVPN_AS" "$rr" >>"$f"
  (($# == 0)) || printf '%s\n' "$@" >>"$f"
}

# A MAC may also have a learned entry from VXLAN frames (learn_remote):
# `show fdb` lists both, and the EVPN one wins; entries are picked by origin.
_evpn_fdb_entry() {  # ce mac origin
  e2e_fdb_entry "$1" "$2" | jq -c --arg o "$3" 'select(.origin == $o)'
}

evpn_fdb_vtep() {  # ce mac
  _evpn_fdb_entry "$1" "$2" evpn | jq -r .vtep
}

evpn_expect_fdb() {
  local ce host want entry vtep
  for ce in "${TOPO_CES[@]}"; do
    for host in "${TOPO_HOSTS[@]}"; do
      want=learned
      [[ ${TOPO_HOST_CE[$host]} == "$ce" ]] || want=evpn
      entry=$(_evpn_fdb_entry "$ce" "${TOPO_HOST_MAC[$host]}" "$want")
      [[ -n $entry ]] ||
        e2e_fail "$ce has no $want FDB entry for $host (${TOPO_HOST_MAC[$host]}):"$'\n'"$(agents_cli "$ce" show fdb)"
      [[ $want == evpn ]] || continue
      vtep=${TOPO_OVERLAY_ADDR[${TOPO_HOST_CE[$host]}]}
      [[ $(jq -r .vtep <<<"$entry") == "$vtep" ]] || e2e_fail "$ce: $host not behind $vtep: $entry"
    done
  done
  e2e_log "every CE's FDB: its own host learned, the others from EVPN behind their VTEP"
}
