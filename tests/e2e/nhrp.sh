#!/usr/bin/env bash
# NHRP end to end: nwbpfd as route server (NHS, route reflector, relay) and
# on every CE (NHC) with no [[peer]]: the CEs register, EVPN gives every
# host's MAC behind its CE's overlay address, and the first frames between
# two CEs go through the route server (its relay counter grows) until the
# shortcut is resolved; from then on they go direct (the route server
# relays nothing more). Reports the time from the first frame to the
# shortcut. dumpcap records GRE (NHRP) on the route server's eth0 for the
# whole run: tshark decodes it with no malformed packet or expert error and
# holds every CE's Registration Request and rs's Reply, ce1's Resolution
# Request for ce3 and its Reply, and rs's Traffic Indication to ce1.
# Argument: MODE (xdp|tc).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/evpn.sh
source "$(dirname "$0")/lib/evpn.sh"
# shellcheck source=SCRIPTDIR/lib/nhrp.sh
source "$(dirname "$0")/lib/nhrp.sh"
# shellcheck source=SCRIPTDIR/../../scripts/lib/daemon.sh
source "$NWBPF_SOURCE_DIR/scripts/lib/daemon.sh"
# shellcheck source=SCRIPTDIR/lib/bgp_capture.sh
source "$(dirname "$0")/lib/bgp_capture.sh"

mode=${1:?usage: nhrp.sh MODE}
e2e_init "nhrp_$mode"
e2e_agents_init
topo_up --edge-xdp yes
# Quiet hosts (no IPv6 router solicitations or MLD reports): the first
# frames between two CEs are then the test's own.
topo_quiet_hosts

# The capture stays on failure (the path is printed).
PCAP_DIR=$(mktemp -d /tmp/nwbpf-nhrp.XXXXXX)
PASSED=0
_nhrp_down() {
  capture_stop
  if ((PASSED)); then rm -rf "$PCAP_DIR"; else e2e_log "NHRP capture kept in $PCAP_DIR"; fi
}
topo_on_down _nhrp_down
pcap=$PCAP_DIR/nhrp.pcapng
capture_start rs "$pcap" 'ip proto 47'
# ce1's VXLAN as the underlay carries it (its bridge port): first to rs,
# then straight to ce3.
underlay=$PCAP_DIR/underlay.pcapng
capture_start ul "$underlay" 'udp port 4789' ce1

for ce in "${TOPO_CES[@]}"; do agents_config_nhrp "$ce" "$mode"; done
agents_config_nhrp_rs rs
evpn_start_all

e2e_wait_until 10 "every CE registered with rs" nhrp_all_registered rs
e2e_log "rs registration cache:"$'\n'"$(agents_cli rs show nhrp cache)"
e2e_wait_until 10 "every CE's EVPN session to rs with its End-of-RIB" evpn_sessions_up rs

# h1 -> h3: the first frames cross the route server, then the shortcut.
! nhrp_shortcut_resolved ce1 "${TOPO_OVERLAY_ADDR[ce3]}" ||
  e2e_fail "ce1 has a shortcut to ce3 before any traffic:"$'\n'"$(agents_cli ce1 show nhrp)"
relayed_before=$(nhrp_counter rs relay)
start_ns=$(date +%s%N)
first_ping=$(topo_exec h1 ping -c 1 -W 2 "${TOPO_HOST_ADDR[h3]}" 2>&1) ||
  e2e_fail "h1 -> h3: the first ping, through rs, got no reply:"$'\n'"$first_ping"
e2e_wait_until 5 "ce1's shortcut to ce3" nhrp_shortcut_resolved ce1 "${TOPO_OVERLAY_ADDR[ce3]}"
shortcut_ms=$((($(date +%s%N) - start_ns) / 1000000))
relayed=$(($(nhrp_counter rs relay) - relayed_before))
((relayed > 0)) || e2e_fail "rs relayed nothing before the shortcut"
e2e_log "first ping h1 -> h3 answered through rs: $(grep -o 'time=.*' <<<"$first_ping")"
e2e_log "first frame to ce1's shortcut to ce3: at most ${shortcut_ms} ms (incl. the ping and CLI polling); rs relayed $relayed frame(s)"
e2e_log "ce1 shortcuts:"$'\n'"$(agents_cli ce1 show nhrp shortcut)"
e2e_log "rs counters:"$'\n'"$(agents_cli rs show stats --all | grep -v ' 0 *0 ')"
e2e_log "ce3 counters:"$'\n'"$(agents_cli ce3 show stats --all | grep -v ' 0 *0 ')"

# Both ways have their shortcut once h3 answered: now nothing is relayed.
e2e_wait_until 5 "ce1 sending straight to ce3" nhrp_shortcut_direct ce1 "${TOPO_OVERLAY_ADDR[ce3]}"
e2e_wait_until 5 "ce3 sending straight to ce1" nhrp_shortcut_direct ce3 "${TOPO_OVERLAY_ADDR[ce1]}"
relayed_before=$(nhrp_counter rs relay)
topo_exec h1 ping -c 20 -i 0.05 -W 1 "${TOPO_HOST_ADDR[h3]}" >/dev/null ||
  e2e_fail "h1 -> h3 lost pings over the shortcut"
relayed=$(($(nhrp_counter rs relay) - relayed_before))
((relayed == 0)) || e2e_fail "rs relayed $relayed frame(s) after both shortcuts were in place"
e2e_log "20 pings h1 -> h3 over the shortcut, none through rs"

e2e_ping_pairs 5 "${TOPO_HOSTS[@]}"
e2e_log "ce1 nhrp:"$'\n'"$(agents_cli ce1 show nhrp)"

# The underlay's view: ce1's first VXLAN frames for ce3's VTEP went to rs
# (the relay flag set, VNI 99), later ones straight to ce3.
first_time() {  # display filter: the capture time of the first match
  tshark -r "$underlay" -Y "$1" -T fields -e frame.time_epoch 2>/dev/null | head -n 1
}
ce1=${TOPO_WAN_ADDR[ce1]}
to_rs=$(first_time "ip.src == $ce1 && ip.dst == ${TOPO_WAN_ADDR[rs]} && vxlan.vni == $TOPO_VLAN")
direct=$(first_time "ip.src == $ce1 && ip.dst == ${TOPO_WAN_ADDR[ce3]} && vxlan.vni == $TOPO_VLAN")
[[ -n $to_rs ]] || e2e_fail "underlay: no VXLAN from ce1 to rs in $underlay"
[[ -n $direct ]] || e2e_fail "underlay: no VXLAN from ce1 straight to ce3 in $underlay"
awk -v a="$to_rs" -v b="$direct" 'BEGIN { exit !(a < b) }' ||
  e2e_fail "underlay: ce1's first direct frame to ce3 ($direct) came before its first one through rs ($to_rs)"
e2e_log "underlay: ce1's VXLAN first to rs at $to_rs, straight to ce3 from $direct"

# NHRP as Wireshark's dissector reads it (RFC 2332 section 5; Traffic
# Indication, type 8, is Cisco's, which Wireshark knows). rs answers from
# its cache, so a Resolution Reply is rs's.
rs_nbma=${TOPO_WAN_ADDR[rs]}
capture_wait_frames 5 "the Traffic Indication to ce1" "$pcap" \
  "ip.src == $rs_nbma && ip.dst == ${TOPO_WAN_ADDR[ce1]} && nhrp.hdr.op.type == 8"
capture_stop
capture_check_clean "$pcap" "NHRP frames" nhrp
for ce in "${TOPO_CES[@]}"; do
  nbma=${TOPO_WAN_ADDR[$ce]}
  overlay=${TOPO_OVERLAY_ADDR[$ce]}
  capture_expect_frames "$ce's Registration Request" "$pcap" \
    "ip.src == $nbma && ip.dst == $rs_nbma && nhrp.hdr.op.type == 3
     && nhrp.src.nbma.addr == $nbma && nhrp.src.prot.addr == $overlay"
  capture_expect_frames "rs's Registration Reply to $ce" "$pcap" \
    "ip.src == $rs_nbma && ip.dst == $nbma && nhrp.hdr.op.type == 4 && nhrp.code == 0
     && nhrp.src.prot.addr == $overlay"
done
ce1_nbma=${TOPO_WAN_ADDR[ce1]}
ce3_overlay=${TOPO_OVERLAY_ADDR[ce3]}
capture_expect_frames "ce1's Resolution Request for ce3" "$pcap" \
  "ip.src == $ce1_nbma && ip.dst == $rs_nbma && nhrp.hdr.op.type == 1
   && nhrp.src.prot.addr == ${TOPO_OVERLAY_ADDR[ce1]} && nhrp.dst.prot.addr == $ce3_overlay"
capture_expect_frames "the Resolution Reply to ce1 with ce3's NBMA address" "$pcap" \
  "ip.src == $rs_nbma && ip.dst == $ce1_nbma && nhrp.hdr.op.type == 2 && nhrp.code == 0
   && nhrp.client.nbma.addr == ${TOPO_WAN_ADDR[ce3]} && nhrp.client.prot.addr == $ce3_overlay"
capture_expect_frames "rs's Traffic Indication to ce1" "$pcap" \
  "ip.src == $rs_nbma && ip.dst == $ce1_nbma && nhrp.hdr.op.type == 8"
PASSED=1
e2e_log "PASS"
