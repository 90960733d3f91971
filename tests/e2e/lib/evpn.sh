# shellcheck shell=bash
# The EVPN CEs of the seed topology, for the tests whose CEs learn every
# remote MAC and flood list from a route reflector (nwbpfd's own or a third
# party's). Sourced by tests/e2e after lib/e2e.sh and e2e_agents_init; the
# configs come from scripts/lib/agents.sh (agents_config_evpn,
# agents_config_rs).
#
#   evpn_expect_fdb     every CE's `nwbpf show fdb -j` holds its own host
#                       learned on its port and the other hosts with origin
#                       evpn behind their CE's VTEP
#   evpn_fdb_vtep CE MAC
#                       the VTEP of CE's EVPN entry for MAC (VNI
#                       $TOPO_VLAN), or nothing
#   evpn_start_all      starts the route server's and the CEs' agents
#   evpn_expect_bgp_show
#                       `nwbpf show bgp summary` and `show bgp evpn` on the
#                       route server and every CE agree with the topology
#   evpn_mac_route_nh CE MAC
#                       the next hop of CE's best type-2 path for MAC (VNI
#                       $TOPO_VLAN) in `show bgp evpn`, or nothing

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

evpn_start_all() {
  local node
  agents_start rs
  for node in "${TOPO_CES[@]}"; do agents_start "$node"; done
  for node in rs "${TOPO_CES[@]}"; do agents_wait_ready "$node"; done
}

evpn_mac_route_nh() {  # ce mac
  agents_cli "$1" show bgp evpn type macip vni "$TOPO_VLAN" -j |
    jq -r --arg mac "$2" '.routes[].paths[] | select(.mac == $mac and .best) | .next_hop'
}

evpn_expect_bgp_show() {
  local ce host summary n nh want
  # The route server: one dynamic peer per CE, each Established with its
  # type-3 route and its host's type-2 route at least.
  summary=$(agents_cli rs show bgp summary -j)
  n=$(jq '[.peers[] | select(.dynamic and .state == "Established" and .paths_rcvd >= 2)] | length' <<<"$summary")
  ((n == ${#TOPO_CES[@]})) || e2e_fail "rs: $n of ${#TOPO_CES[@]} CEs Established with routes:"$'\n'"$(agents_cli rs show bgp summary)"
  [[ $(jq -r .cluster_id <<<"$summary") == "${TOPO_OVERLAY_ADDR[rs]}" ]] || e2e_fail "rs: cluster id: $summary"
  for ce in "${TOPO_CES[@]}"; do
    summary=$(agents_cli "$ce" show bgp summary -j)
    jq -e '.peers | length == 1 and .[0].state == "Established" and .[0].end_of_rib_rcvd' <<<"$summary" >/dev/null ||
      e2e_fail "$ce: not Established with End-of-RIB from rs:"$'\n'"$(agents_cli "$ce" show bgp summary)"
    # Every host's MAC has a best type-2 path: ours from no peer, the others
    # behind their CE's VTEP (the same as the FDB).
    for host in "${TOPO_HOSTS[@]}"; do
      want=${TOPO_OVERLAY_ADDR[${TOPO_HOST_CE[$host]}]}
      nh=$(evpn_mac_route_nh "$ce" "${TOPO_HOST_MAC[$host]}")
      [[ $nh == "$want" ]] || e2e_fail "$ce: type-2 route of $host next hop '$nh', want $want:"$'\n'"$(agents_cli "$ce" show bgp evpn)"
    done
  done
  e2e_log "show bgp summary / evpn agree on rs and every CE"
}
