#!/usr/bin/env bash
# EVPN end to end with a third-party route reflector: the route server runs
# FRR bgpd (-Z) or gobgpd as the iBGP route reflector for L2VPN EVPN,
# accepting its clients from the underlay /24 (a listen range: dynamic
# neighbors), and the three CEs run nwbpfd with the real BPF data plane,
# [bgp] route_reflectors pointing at it and no static [[flood]] or [[fdb]].
# With FRR the sessions are signed with TCP-MD5 (RFC 2385); gobgpd cannot
# key dynamic neighbors (scripts/lib/gobgp.sh), so its sessions are not.
#
# Checks:
# - every pair of edge hosts pings, every CE's FDB holds the other hosts'
#   MACs with origin evpn behind their CE's VTEP (lib/evpn.sh, as evpn.sh);
# - the reflector holds every CE's type-2 (its host's MAC) and type-3;
# - gobgpd only: a type-2 injected with the gobgp CLI on the reflector
#   (RT AS:VNI, VXLAN encapsulation, label = VNI, next hop an underlay VTEP
#   that is no CE) reaches every CE's BPF FDB with origin evpn behind that
#   next hop, and its withdrawal removes it everywhere;
# - dumpcap records TCP 179 on the reflector's eth0 for the whole run:
#   tshark decodes it with no malformed packet or expert error, and holds
#   every CE's own UPDATEs (type-2 and type-3 with a PMSI tunnel attribute),
#   their reflections toward the other CEs and End-of-RIB both ways.
# Arguments: KIND (frr|gobgp) [MODE (xdp|tc|kernel-tunnel), default xdp].
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/evpn.sh
source "$(dirname "$0")/lib/evpn.sh"
# frr_rr.sh, gobgp.sh and daemon.sh come with it.
# shellcheck source=SCRIPTDIR/lib/reflector.sh
source "$(dirname "$0")/lib/reflector.sh"
# shellcheck source=SCRIPTDIR/lib/bgp_capture.sh
source "$(dirname "$0")/lib/bgp_capture.sh"

kind=${1:?usage: evpn_rr.sh frr|gobgp [MODE]}
mode=${2:-xdp}
e2e_init "evpn_rr_${kind}_$mode"
case $kind in
  frr) tools=("$FRR_BGPD" "$FRR_VTYSH") ;;
  gobgp) tools=("$GOBGPD" "$GOBGP") ;;
  *) e2e_fail "unknown route reflector '$kind' (frr|gobgp)" ;;
esac
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || e2e_fail "'$tool' not found: run scripts/install-deps"
done
e2e_agents_init
topo_up --edge-xdp yes

RR=rs
RR_ADDR=${TOPO_WAN_ADDR[$RR]}
RR_ID=${TOPO_OVERLAY_ADDR[$RR]}
UNDERLAY=${RR_ADDR%.*}.0/24
VNI=$TOPO_VLAN
WAIT_S=30
PASSWORD=""
[[ $kind == gobgp ]] || PASSWORD=nwbpf-evpn-rr
# The route injected through gobgp: a locally administered MAC behind a
# VTEP of the underlay that is none of the CEs (a plain Linux VTEP, say).
INJECTED_MAC=02:00:5e:10:00:99
INJECTED_VTEP=${RR_ADDR%.*}.99

# Logs and the capture stay on failure (the path is printed).
RUN_DIR=$(mktemp -d /tmp/nwbpf-evpn-rr.XXXXXX)
PASSED=0
_evpn_rr_down() {
  reflector_stop "$kind"
  capture_stop
  if ((PASSED)); then rm -rf "$RUN_DIR"; else e2e_log "reflector log and capture kept in $RUN_DIR"; fi
}
topo_on_down _evpn_rr_down

capture_start "$RR" "$RUN_DIR/bgp.pcapng"
reflector_start "$kind" "$RUN_DIR/rr" "$RR" "$AGENTS_EVPN_AS" "$RR_ID" "$UNDERLAY" "$PASSWORD"
for ce in "${TOPO_CES[@]}"; do
  agents_config_evpn "$ce" "$mode" "$RR_ADDR" ${PASSWORD:+"password = \"$PASSWORD\""}
  agents_start "$ce"
done
for ce in "${TOPO_CES[@]}"; do agents_wait_ready "$ce"; done
reflector_wait_established "$kind" "${#TOPO_CES[@]}" "$WAIT_S"
e2e_log "${TOPO_CES[*]} <-> $RR ($kind) Established"

e2e_ping_pairs 10 "${TOPO_HOSTS[@]}"
evpn_expect_fdb

# What the CEs advertised, as the reflector holds it: each host's MAC
# (type 2) and each CE's inclusive multicast route (type 3, originator =
# its VTEP).
advertised() {
  local node
  for node in "${TOPO_HOSTS[@]}"; do echo "2 ${TOPO_HOST_MAC[$node]}"; done
  for node in "${TOPO_CES[@]}"; do echo "3 ${TOPO_OVERLAY_ADDR[$node]}"; done
}
missing=$(comm -23 <(advertised | sort) <(reflector_routes "$kind" | sort))
[[ -z $missing ]] ||
  e2e_fail "$RR ($kind) lacks:"$'\n'"$missing"$'\n'"it holds:"$'\n'"$(reflector_routes "$kind")"
e2e_log "$RR ($kind) holds every CE's type-2 and type-3"

every_ce_has_injected() {
  local ce
  for ce in "${TOPO_CES[@]}"; do
    [[ $(evpn_fdb_vtep "$ce" "$INJECTED_MAC") == "$INJECTED_VTEP" ]] || return 1
  done
}

no_ce_has_injected() {
  local ce
  for ce in "${TOPO_CES[@]}"; do
    [[ -z $(evpn_fdb_vtep "$ce" "$INJECTED_MAC") ]] || return 1
  done
}

if [[ $kind == gobgp ]]; then
  # RD in FRR's form (router id : index) for the VTEP that would own it.
  injected=("$INJECTED_MAC" - "$VNI" "$INJECTED_VTEP:1" "$INJECTED_VTEP")
  gobgp_macadv rr add "${injected[@]}"
  e2e_wait_until "$WAIT_S" "injected $INJECTED_MAC behind $INJECTED_VTEP in every CE's FDB" \
    every_ce_has_injected
  e2e_log "injected type-2 in every CE's FDB: $(e2e_fdb_entry ce1 "$INJECTED_MAC")"
  gobgp_macadv rr del "${injected[@]}"
  e2e_wait_until "$WAIT_S" "withdrawn $INJECTED_MAC gone from every CE's FDB" no_ce_has_injected
  e2e_log "withdrawn type-2 gone from every CE's FDB"
fi

withdrawal_toward() {  # ce
  echo "ip.src == $RR_ADDR && ip.dst == ${TOPO_WAN_ADDR[$1]} && bgp.type == 2
    && bgp.update.path_attribute.mp_unreach_nlri && bgp.evpn.nlri.mac_addr == $INJECTED_MAC"
}

if [[ $kind == gobgp ]]; then
  for ce in "${TOPO_CES[@]}"; do
    capture_wait_frames "$WAIT_S" "the withdrawal toward $ce" "$RUN_DIR/bgp.pcapng" \
      "$(withdrawal_toward "$ce")"
  done
fi

# The capture ends with the run: its last frames are the withdrawals.
capture_stop
pcap=$RUN_DIR/bgp.pcapng
capture_check_clean "$pcap"
update="bgp.type == 2 && bgp.update.path_attribute.mp_reach_nlri.afi == 25
  && bgp.update.path_attribute.mp_reach_nlri.safi == 70"
# A frame may hold several BGP messages (the reflector's initial burst):
# a filter on it matches their fields together. tshark shows a type-2's
# label as an MPLS label, the top 20 bits of the field, where the VNI is
# all 24 (RFC 8365 section 5.1.3): hence VNI >> 4.
for ce in "${TOPO_CES[@]}"; do
  ce_addr=${TOPO_WAN_ADDR[$ce]}
  vtep=${TOPO_OVERLAY_ADDR[$ce]}
  from_ce="ip.src == $ce_addr && ip.dst == $RR_ADDR && $update
    && bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4 == $vtep
    && bgp.ext_com.value_as2 == $AGENTS_EVPN_AS && bgp.ext_com.value_an4 == $VNI
    && bgp.ext_com.tunnel_type == 8"
  for host in "${TOPO_HOSTS[@]}"; do
    [[ ${TOPO_HOST_CE[$host]} == "$ce" ]] || continue
    capture_expect_frames "$ce's type-2 for $host" "$pcap" "$from_ce
      && bgp.evpn.nlri.rt == 2 && bgp.evpn.nlri.mac_addr == ${TOPO_HOST_MAC[$host]}
      && bgp.evpn.nlri.mpls_ls1 == $((VNI >> 4))"
    capture_expect_frames "$host's type-2 reflected to the other CEs" "$pcap" \
      "ip.src == $RR_ADDR && ip.dst != $ce_addr && $update
      && bgp.update.path_attribute.originator_id == $vtep
      && bgp.evpn.nlri.mac_addr == ${TOPO_HOST_MAC[$host]}"
  done
  capture_expect_frames "$ce's type-3 with PMSI" "$pcap" "$from_ce
    && bgp.evpn.nlri.rt == 3 && bgp.evpn.nlri.ip.addr == $vtep
    && bgp.update.path_attribute.pmsi.tunnel.type == 6
    && bgp.update.path_attribute.pmsi.ingress_rep_ip == $vtep"
  # End-of-RIB for L2VPN EVPN (RFC 4724 section 2): both reflectors and
  # nwbpfd advertise graceful restart, so each side sends it.
  for dir in "ip.src == $ce_addr && ip.dst == $RR_ADDR" "ip.src == $RR_ADDR && ip.dst == $ce_addr"; do
    capture_expect_frames "End-of-RIB ($dir)" "$pcap" "$dir && bgp.type == 2 && bgp.length == 29
      && bgp.update.path_attribute.mp_unreach_nlri.afi == 25
      && bgp.update.path_attribute.mp_unreach_nlri.safi == 70"
  done
  if [[ $kind == gobgp ]]; then
    capture_expect_frames "injected type-2 toward $ce" "$pcap" \
      "ip.src == $RR_ADDR && ip.dst == $ce_addr && $update
      && bgp.evpn.nlri.mac_addr == $INJECTED_MAC
      && bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4 == $INJECTED_VTEP"
    capture_expect_frames "its withdrawal toward $ce" "$pcap" "$(withdrawal_toward "$ce")"
  fi
done
PASSED=1
e2e_log "PASS"
