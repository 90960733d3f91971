#!/usr/bin/env bash
# Real EVPN peers on the seed topology, no nwbpf yet: proves the interop
# harness the EVPN end-to-end tests build on.
#
# Route server "rs" runs the route reflector (cluster id = its overlay
# address, clients accepted from the underlay /24); ce1 ("A") and ce2 ("B")
# run gobgpd as plain iBGP clients. A injects a type-2 (MAC+IP), a MAC-only
# type-2 and a type-3 with a PMSI tunnel attribute (ingress replication),
# all VNI 99, RT 65000:99 (FRR's auto RT), VXLAN encapsulation, label = VNI.
# B must receive them from the reflector with ORIGINATOR_ID = A's router id
# and CLUSTER_LIST = [the cluster id]; A's withdrawals must remove them on B.
# Run once with FRR bgpd as the reflector (TCP-MD5 on), once with gobgpd.
# dumpcap records TCP 179 on the reflector's eth0; tshark must decode the
# reflected UPDATEs field by field and report no malformed packet and no
# expert error.
#
# Helpers (scripts/lib), for the EVPN tests that swap a client for nwbpfd:
#   frr_rr.sh  frr_rr_config/start/stop, frr_rr_json NAME 'show bgp ...'
#              (bgpd -Z in a namespace, listen range, route-reflector-client)
#   gobgp.sh   gobgp_config/start/stop (reflector with --listen-range, or
#              client with --neighbor), gobgp_macadv/gobgp_multicast add|del,
#              gobgp_evpn_routes (JSON), gobgp_wait_established
# An nwbpfd CE takes a gobgpd client's place: same underlay address, same
# reflector; gobgp_macadv on the other client is "a type-2 injected with the
# gobgp CLI", and frr_rr_json/gobgp_evpn_routes on the reflector show what
# nwbpfd advertised.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# frr_rr.sh and gobgp.sh come with it.
# shellcheck source=SCRIPTDIR/lib/reflector.sh
source "$(dirname "$0")/lib/reflector.sh"
# shellcheck source=SCRIPTDIR/lib/bgp_capture.sh
source "$(dirname "$0")/lib/bgp_capture.sh"

e2e_init interop_peers
for tool in "$FRR_BGPD" "$FRR_VTYSH" "$GOBGPD" "$GOBGP" dumpcap tshark; do
  command -v "$tool" >/dev/null || e2e_fail "'$tool' not found: run scripts/install-deps"
done
topo_up

ASN=65000
VNI=$TOPO_VLAN
RR=rs
A=ce1
B=ce2
RR_ADDR=${TOPO_WAN_ADDR[$RR]}
UNDERLAY=${RR_ADDR%.*}.0/24
CLUSTER_ID=${TOPO_OVERLAY_ADDR[$RR]}
A_ADDR=${TOPO_WAN_ADDR[$A]}
A_ID=${TOPO_OVERLAY_ADDR[$A]}
# FRR's RD form: router id : index.
A_RD=$A_ID:1
MAC_IP=${TOPO_HOST_MAC[h1]}
MAC_ONLY=${TOPO_HOST_MAC[h4]}
PASSWORD=nwbpf-interop
WAIT_S=30

# Logs and captures stay on failure (the path is printed); removed on success.
RUN_DIR=$(mktemp -d /tmp/nwbpf-interop.XXXXXX)
PASSED=0
_interop_down() {
  gobgp_stop_all
  frr_rr_stop_all
  capture_stop
  if ((PASSED)); then rm -rf "$RUN_DIR"; else e2e_log "logs and captures kept in $RUN_DIR"; fi
}
topo_on_down _interop_down

b_route_count_is() { [[ $(gobgp_evpn_routes "$B" | jq length) == "$1" ]]; }
b_lacks() { [[ -z $(b_path "$1" "$2") ]]; }  # type mac|ip

# B's path for route type T with MAC (type 2) or originator IP (type 3),
# reduced to what the reflector must carry: compact JSON, or nothing.
b_path() {  # type mac|ip
  gobgp_evpn_routes "$B" | jq -c --argjson t "$1" --arg key "$2" '
    [.[][] | select(.nlri.type == $t and (.nlri.value.mac // .nlri.value.ip) == $key)
     | {labels: .nlri.value.labels, ip: .nlri.value.ip, rd: (.nlri.value.rd | "\(.admin):\(.assigned)"),
        attrs: (.attrs | map({(.type | tostring): .}) | add)}
     | {labels, ip, rd,
        nexthop: .attrs["14"].nexthop,
        originator: .attrs["9"].value,
        cluster_list: .attrs["10"].value,
        ext_communities: .attrs["16"].value,
        pmsi: (.attrs["22"] // null
              | if . then {"tunnel-type": .["tunnel-type"], label: .label, "tunnel-id": .["tunnel-id"]}
                else null end)}]
    | first // empty'
}

expect_b_path() {  # what type key expected_json
  local got
  got=$(b_path "$2" "$3")
  jq -e --argjson want "$4" '. == $want' <<<"$got" >/dev/null ||
    e2e_fail "$1 on $B:"$'\n'"  got:      ${got:-nothing}"$'\n'"  expected: $(jq -c . <<<"$4")"
  e2e_log "$1 on $B: $got"
}

scenario() {  # frr|gobgp
  local kind=$1 dir=$RUN_DIR/$1 password="" node ext want
  mkdir -p "$dir"
  e2e_log "=== route reflector: $kind"
  capture_start "$RR" "$dir/bgp.pcapng"
  # gobgpd cannot key dynamic neighbors (scripts/lib/gobgp.sh): TCP-MD5
  # with FRR only.
  [[ $kind == frr ]] && password=$PASSWORD
  reflector_start "$kind" "$dir/rr" "$RR" "$ASN" "$CLUSTER_ID" "$UNDERLAY" "$password"
  for node in "$A" "$B"; do
    gobgp_config "$node" "$dir/$node" --as "$ASN" --router-id "${TOPO_OVERLAY_ADDR[$node]}" \
      --address "${TOPO_WAN_ADDR[$node]}" --neighbor "$RR_ADDR" ${password:+--password "$password"} --graceful-restart
    gobgp_start "$node" "$(topo_ns "$node")"
  done
  gobgp_wait_established "$A" 1 "$WAIT_S"
  gobgp_wait_established "$B" 1 "$WAIT_S"
  reflector_wait_established "$kind" 2 "$WAIT_S"
  e2e_log "sessions $A, $B <-> $RR ($kind) Established"

  gobgp_macadv "$A" add "$MAC_IP" "${TOPO_HOST_ADDR[h1]}" "$VNI" "$A_RD" "$A_ADDR"
  gobgp_macadv "$A" add "$MAC_ONLY" - "$VNI" "$A_RD" "$A_ADDR"
  gobgp_multicast "$A" add "$A_ADDR" "$VNI" "$A_RD"
  e2e_wait_until "$WAIT_S" "3 routes from $A on $B" b_route_count_is 3

  ext=$(jq -nc --arg rt "$ASN:$VNI" \
    '[{type: 0, subtype: 2, value: $rt}, {type: 3, subtype: 12, tunnel_type: 8}]')
  want=$(jq -nc --arg nh "$A_ADDR" --arg rd "$A_RD" --arg orig "$A_ID" --arg cl "$CLUSTER_ID" \
    --argjson ext "$ext" --argjson vni "$VNI" \
    '{labels: [$vni], rd: $rd, nexthop: $nh, originator: $orig, cluster_list: [$cl],
      ext_communities: $ext, pmsi: null}')
  expect_b_path "type-2 MAC+IP" 2 "$MAC_IP" "$(jq -c --arg ip "${TOPO_HOST_ADDR[h1]}" '.ip = $ip' <<<"$want")"
  # gobgp shows an IP address length of 0 as "<nil>".
  expect_b_path "type-2 MAC only" 2 "$MAC_ONLY" "$(jq -c '.ip = "<nil>"' <<<"$want")"
  expect_b_path "type-3" 3 "$A_ADDR" "$(jq -c --arg ip "$A_ADDR" --argjson vni "$VNI" \
    '.ip = $ip | .labels = null
     | .pmsi = {"tunnel-type": 6, label: $vni, "tunnel-id": $ip}' <<<"$want")"
  want=$(printf '2 %s\n2 %s\n3 %s' "$MAC_IP" "$MAC_ONLY" "$A_ADDR" | sort)
  [[ $(reflector_routes "$kind") == "$want" ]] ||
    e2e_fail "$RR ($kind) holds:"$'\n'"$(reflector_routes "$kind")"$'\n'"expected:"$'\n'"$want"

  gobgp_macadv "$A" del "$MAC_IP" "${TOPO_HOST_ADDR[h1]}" "$VNI" "$A_RD" "$A_ADDR"
  e2e_wait_until "$WAIT_S" "withdrawal of $MAC_IP on $B" b_lacks 2 "$MAC_IP"
  if b_lacks 3 "$A_ADDR" || b_lacks 2 "$MAC_ONLY"; then
    e2e_fail "withdrawing $MAC_IP on $A also removed other routes on $B"
  fi
  gobgp_macadv "$A" del "$MAC_ONLY" - "$VNI" "$A_RD" "$A_ADDR"
  gobgp_multicast "$A" del "$A_ADDR" "$VNI" "$A_RD"
  e2e_wait_until "$WAIT_S" "withdrawal of every route on $B" b_route_count_is 0
  e2e_log "withdrawals on $A reached $B"

  gobgp_stop "$A"
  gobgp_stop "$B"
  reflector_stop "$kind"
  capture_stop
  check_capture "$dir/bgp.pcapng"
}

check_capture() {  # pcap
  local pcap=$1 to_b
  capture_check_clean "$pcap"
  to_b="ip.src == $RR_ADDR && ip.dst == ${TOPO_WAN_ADDR[$B]} && bgp.type == 2"
  local reflected="bgp.update.path_attribute.originator_id == $A_ID
    && bgp.path_attribute.cluster_id == $CLUSTER_ID
    && bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4 == $A_ADDR
    && bgp.ext_com.value_as2 == $ASN && bgp.ext_com.value_an4 == $VNI
    && bgp.ext_com.tunnel_type == 8"
  capture_expect_frames "reflected type-2 MAC+IP toward $B" "$pcap" "$to_b && $reflected
    && bgp.evpn.nlri.rt == 2 && bgp.evpn.nlri.mac_addr == $MAC_IP
    && bgp.evpn.nlri.ip.addr == ${TOPO_HOST_ADDR[h1]}"
  capture_expect_frames "reflected type-2 MAC only toward $B" "$pcap" "$to_b && $reflected
    && bgp.evpn.nlri.mac_addr == $MAC_ONLY && bgp.evpn.nlri.iplen == 0"
  capture_expect_frames "reflected type-3 with PMSI toward $B" "$pcap" "$to_b && $reflected
    && bgp.evpn.nlri.rt == 3 && bgp.evpn.nlri.ip.addr == $A_ADDR
    && bgp.update.path_attribute.pmsi.tunnel.type == 6
    && bgp.update.path_attribute.pmsi.ingress_rep_ip == $A_ADDR"
  capture_expect_frames "withdrawal of $MAC_IP toward $B" "$pcap" "$to_b
    && bgp.update.path_attribute.mp_unreach_nlri && bgp.evpn.nlri.mac_addr == $MAC_IP"
  # End-of-RIB for L2VPN EVPN (RFC 4724 section 2): an MP_UNREACH_NLRI of
  # AFI 25 / SAFI 70 and nothing else. Both reflectors send it only to a
  # peer that advertises graceful restart (gobgpd only if it does too):
  # hence --graceful-restart on every gobgpd here.
  capture_expect_frames "End-of-RIB toward $B" "$pcap" "$to_b && bgp.length == 29
    && bgp.update.path_attribute.mp_unreach_nlri.afi == 25
    && bgp.update.path_attribute.mp_unreach_nlri.safi == 70"
}

scenario frr
scenario gobgp
PASSED=1
e2e_log "PASS"
