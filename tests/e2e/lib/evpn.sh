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
#   evpn_fdb_whole      the same as a test (true or false), for e2e_wait_until
#   evpn_fdb_vtep CE MAC
#                       the VTEP of CE's EVPN entry for MAC (VNI
#                       $TOPO_VLAN), or nothing
#   evpn_start_all      starts the route servers' and the CEs' agents
#   evpn_expect_bgp_show
#                       `nwbpf show bgp summary` and `show bgp evpn` on every
#                       route server and every CE agree with the topology
#   evpn_mac_route_nh CE MAC
#                       the next hop of CE's best type-2 path for MAC (VNI
#                       $TOPO_VLAN) in `show bgp evpn`, or nothing
#   evpn_mac_route_peers CE MAC
#                       the peers CE has a type-2 path for MAC from, one a
#                       line, sorted
#   evpn_rs_peer CE RS  CE's peer RS (a route server node) in `show bgp
#                       summary -j`, as compact JSON
#   evpn_sessions_up RS...
#                       true when every CE is Established with every RS, has
#                       its End-of-RIB and no stale path from it
#   evpn_not_established RS
#                       true when no CE is Established with RS (its paths
#                       may be kept, stale)
#   evpn_sessions_down RS
#                       true when no CE is Established with RS and none keeps
#                       a path from it (stale or not)
#   evpn_watch_start SRC DST / evpn_watch_stop
#                       ping SRC -> DST every 50 ms in the background, then
#                       stop every watch, log each one's loss and set
#                       EVPN_WATCH_LOST to the sum

# A MAC may also have a learned entry from VXLAN frames (learn_remote):
# `show fdb` lists both, and the EVPN one wins; entries are picked by origin.
_evpn_fdb_entry() {  # ce mac origin
  e2e_fdb_entry "$1" "$2" | jq -c --arg o "$3" 'select(.origin == $o)'
}

evpn_fdb_vtep() {  # ce mac
  _evpn_fdb_entry "$1" "$2" evpn | jq -r .vtep
}

# The first way the FDBs differ from what evpn_expect_fdb wants, or nothing.
_evpn_fdb_problem() {
  local ce host want entry vtep
  for ce in "${TOPO_CES[@]}"; do
    for host in "${TOPO_HOSTS[@]}"; do
      want=learned
      [[ ${TOPO_HOST_CE[$host]} == "$ce" ]] || want=evpn
      entry=$(_evpn_fdb_entry "$ce" "${TOPO_HOST_MAC[$host]}" "$want")
      if [[ -z $entry ]]; then
        printf '%s has no %s FDB entry for %s (%s):\n%s' "$ce" "$want" "$host" \
          "${TOPO_HOST_MAC[$host]}" "$(agents_cli "$ce" show fdb)"
        return
      fi
      [[ $want == evpn ]] || continue
      vtep=${TOPO_OVERLAY_ADDR[${TOPO_HOST_CE[$host]}]}
      if [[ $(jq -r .vtep <<<"$entry") != "$vtep" ]]; then
        printf '%s: %s not behind %s: %s' "$ce" "$host" "$vtep" "$entry"
        return
      fi
    done
  done
}

evpn_expect_fdb() {
  local problem
  problem=$(_evpn_fdb_problem)
  [[ -z $problem ]] || e2e_fail "$problem"
  e2e_log "every CE's FDB: its own host learned, the others from EVPN behind their VTEP"
}

evpn_fdb_whole() { [[ -z $(_evpn_fdb_problem) ]]; }

evpn_start_all() {
  local node
  for node in "${TOPO_ROUTE_SERVERS[@]}" "${TOPO_CES[@]}"; do agents_start "$node"; done
  for node in "${TOPO_ROUTE_SERVERS[@]}" "${TOPO_CES[@]}"; do agents_wait_ready "$node"; done
}

evpn_mac_route_nh() {  # ce mac
  agents_cli "$1" show bgp evpn type macip vni "$TOPO_VLAN" -j |
    jq -r --arg mac "$2" '.routes[].paths[] | select(.mac == $mac and .best) | .next_hop'
}

evpn_mac_route_peers() {  # ce mac
  agents_cli "$1" show bgp evpn type macip vni "$TOPO_VLAN" -j |
    jq -r --arg mac "$2" '.routes[].paths[] | select(.mac == $mac and .peer != null) | .peer' | sort -u
}

evpn_expect_bgp_show() {
  local ce rs host summary n nh want
  # Each route server: one dynamic peer per CE, each Established with its
  # type-3 route and its host's type-2 route at least.
  for rs in "${TOPO_ROUTE_SERVERS[@]}"; do
    summary=$(agents_cli "$rs" show bgp summary -j)
    n=$(jq '[.peers[] | select(.dynamic and .state == "Established" and .paths_rcvd >= 2)] | length' <<<"$summary")
    ((n == ${#TOPO_CES[@]})) || e2e_fail "$rs: $n of ${#TOPO_CES[@]} CEs Established with routes:"$'\n'"$(agents_cli "$rs" show bgp summary)"
    [[ $(jq -r .cluster_id <<<"$summary") == "${TOPO_OVERLAY_ADDR[$rs]}" ]] || e2e_fail "$rs: cluster id: $summary"
  done
  for ce in "${TOPO_CES[@]}"; do
    summary=$(agents_cli "$ce" show bgp summary -j)
    jq -e --argjson n "${#TOPO_ROUTE_SERVERS[@]}" \
      '.peers | length == $n and all(.state == "Established" and .end_of_rib_rcvd)' <<<"$summary" >/dev/null ||
      e2e_fail "$ce: not Established with End-of-RIB from ${TOPO_ROUTE_SERVERS[*]}:"$'\n'"$(agents_cli "$ce" show bgp summary)"
    # Every host's MAC has a best type-2 path: ours from no peer, the others
    # behind their CE's VTEP (the same as the FDB).
    for host in "${TOPO_HOSTS[@]}"; do
      want=${TOPO_OVERLAY_ADDR[${TOPO_HOST_CE[$host]}]}
      nh=$(evpn_mac_route_nh "$ce" "${TOPO_HOST_MAC[$host]}")
      [[ $nh == "$want" ]] || e2e_fail "$ce: type-2 route of $host next hop '$nh', want $want:"$'\n'"$(agents_cli "$ce" show bgp evpn)"
    done
  done
  e2e_log "show bgp summary / evpn agree on ${TOPO_ROUTE_SERVERS[*]} and every CE"
}

evpn_rs_peer() {  # ce rs
  agents_cli "$1" show bgp summary -j |
    jq -c --arg a "${TOPO_WAN_ADDR[$2]}" '.peers[] | select(.address == $a)'
}

evpn_sessions_up() {  # rs...
  local ce rs
  for ce in "${TOPO_CES[@]}"; do
    for rs in "$@"; do
      evpn_rs_peer "$ce" "$rs" |
        jq -e '.state == "Established" and .end_of_rib_rcvd and .stale_paths == 0' >/dev/null || return 1
    done
  done
}

evpn_not_established() {  # rs
  local ce
  for ce in "${TOPO_CES[@]}"; do
    evpn_rs_peer "$ce" "$1" | jq -e '.state != "Established"' >/dev/null || return 1
  done
}

evpn_sessions_down() {  # rs
  local ce
  for ce in "${TOPO_CES[@]}"; do
    evpn_rs_peer "$ce" "$1" | jq -e '.state != "Established" and .paths_rcvd == 0' >/dev/null || return 1
  done
}

# Loss is counted from the replies' sequence numbers: a request still in
# flight when the watch stops is not a loss, one missing before the last
# reply is.
declare -gA _EVPN_WATCH_PID=() _EVPN_WATCH_OUT=()
evpn_watch_start() {  # src dst
  local key="$1 -> $2" out
  out=$(mktemp "$AGENTS_RUN_DIR/watch.XXXXXX")
  # Not through topo_exec (a function: $! would be its subshell's): `ip
  # netns exec` execs ping, so $! is ping's pid, for the SIGINT that makes it
  # print its replies' end.
  ip netns exec "$(topo_ns "$1")" ping -i 0.05 -W 1 "${TOPO_HOST_ADDR[$2]}" >"$out" 2>&1 &
  _EVPN_WATCH_PID[$key]=$!
  _EVPN_WATCH_OUT[$key]=$out
}

evpn_watch_stop() {
  local key counts replies last
  EVPN_WATCH_LOST=0
  for key in "${!_EVPN_WATCH_PID[@]}"; do
    kill -INT "${_EVPN_WATCH_PID[$key]}" 2>/dev/null || true
    wait "${_EVPN_WATCH_PID[$key]}" 2>/dev/null || true
    counts=$(sed -n 's/^[0-9]* bytes from .* icmp_seq=\([0-9]*\) .*/\1/p' "${_EVPN_WATCH_OUT[$key]}" | sort -un |
      awk '{ n++; last = $1 } END { print n + 0, last + 0 }')
    read -r replies last <<<"$counts"
    rm -f "${_EVPN_WATCH_OUT[$key]}"
    unset "_EVPN_WATCH_PID[$key]" "_EVPN_WATCH_OUT[$key]"
    ((replies > 0)) || e2e_fail "ping $key: no reply at all"
    e2e_log "ping $key every 50 ms: $((last - replies)) of $last lost"
    EVPN_WATCH_LOST=$((EVPN_WATCH_LOST + last - replies))
  done
}
