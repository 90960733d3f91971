#!/usr/bin/env bash
# NHRP NAT traversal end to end, plaintext VXLAN: ce1 sits behind a NAT
# namespace that masquerades it and gives its UDP source ports 20000-29999
# (topo_up --nat ce1), so no peer can guess the port to send to.
# - rs's registration cache holds ce1 at its private NBMA address with the
#   NAT'd one beside it; ce1 learns its NAT'd address from the reply;
# - ce1's NAT probes teach rs its NAT'd port: rs relays to ce1 through it;
# - traffic both ways (started from the public side, h3 -> h1, and from
#   behind the NAT, h1 -> h2) first crosses rs, then goes direct once the
#   shortcut is resolved and the peer's data plane learned ce1's port;
# - the underlay on the NAT's public side shows ce3's VXLAN to ce1's NAT'd
#   port from port 4789, and ce1's from a port in the NAT's range.
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

mode=${1:?usage: nhrp_nat.sh MODE}
e2e_init "nhrp_nat_$mode"
e2e_agents_init
topo_up --edge-xdp yes --nat ce1
topo_quiet_hosts

PCAP_DIR=$(mktemp -d /tmp/nwbpf-nhrp-nat.XXXXXX)
PASSED=0
_nat_down() {
  capture_stop
  if ((PASSED)); then rm -rf "$PCAP_DIR"; else e2e_log "capture kept in $PCAP_DIR"; fi
}
topo_on_down _nat_down
# The NAT's public side (its bridge port): what the other nodes see of ce1.
underlay=$PCAP_DIR/underlay.pcapng
capture_start ul "$underlay" 'udp' ce1

for ce in "${TOPO_CES[@]}"; do agents_config_nhrp "$ce" "$mode"; done
agents_config_nhrp_rs rs
evpn_start_all

public=${TOPO_PUBLIC_ADDR[ce1]}
private=${TOPO_WAN_ADDR[ce1]}
ce1_overlay=${TOPO_OVERLAY_ADDR[ce1]}
e2e_wait_until 10 "every CE registered with rs" nhrp_all_registered rs
e2e_wait_until 10 "every CE's EVPN session to rs with its End-of-RIB" evpn_sessions_up rs

# The registration: rs saw ce1 at the NAT's address, and told it so.
binding=$(agents_cli rs show nhrp cache -j | jq -c --arg p "$ce1_overlay" '.cache[] | select(.protocol == $p)')
[[ $(jq -r .nbma <<<"$binding") == "$private" && $(jq -r .nat_nbma <<<"$binding") == "$public" ]] ||
  e2e_fail "rs's binding of ce1 is not $private NAT'd to $public: $binding"
[[ $(agents_cli ce1 show nhrp -j | jq -r .nat_nbma) == "$public" ]] ||
  e2e_fail "ce1 does not know it is NAT'd to $public:"$'\n'"$(agents_cli ce1 show nhrp)"

nat_port_of() {  # node overlay: the NAT'd port node's data plane learned, or null
  agents_cli "$1" show nhrp -j |
    jq -r --arg p "$2" '[(.cache // [])[], (.shortcuts // [])[]] | map(select(.protocol == $p)) | first | .nat_port // "null"'
}
in_nat_range() { [[ $1 =~ ^[0-9]+$ ]] && ((${1} >= 20000 && ${1} <= 29999)); }
learned() { in_nat_range "$(nat_port_of "$1" "$2")"; }
e2e_wait_until 5 "rs learning ce1's NAT'd port from its probes" learned rs "$ce1_overlay"
e2e_log "rs's registration cache:"$'\n'"$(agents_cli rs show nhrp cache)"

# One flow from each side of the NAT: first through rs, then direct.
direct_flow() {  # src_host dst_host
  local src=$1 dst=$2 a=${TOPO_HOST_CE[$1]} b=${TOPO_HOST_CE[$2]} out before relayed
  out=$(topo_exec "$src" ping -c 1 -W 2 "${TOPO_HOST_ADDR[$dst]}" 2>&1) ||
    e2e_fail "$src -> $dst: the first ping, through rs, got no reply:"$'\n'"$out"
  e2e_log "$src -> $dst: first ping answered through rs: $(grep -o 'time=.*' <<<"$out")"
  e2e_wait_until 5 "$a sending straight to $b" nhrp_shortcut_direct "$a" "${TOPO_OVERLAY_ADDR[$b]}"
  e2e_wait_until 5 "$b sending straight to $a" nhrp_shortcut_direct "$b" "${TOPO_OVERLAY_ADDR[$a]}"
  local public_side=$a
  [[ $a == ce1 ]] && public_side=$b
  e2e_wait_until 5 "$public_side learning ce1's NAT'd port" learned "$public_side" "$ce1_overlay"
  before=$(nhrp_counter rs relay)
  topo_exec "$src" ping -c 20 -i 0.05 -W 1 "${TOPO_HOST_ADDR[$dst]}" >/dev/null ||
    e2e_fail "$src -> $dst lost pings over the shortcut"
  relayed=$(($(nhrp_counter rs relay) - before))
  ((relayed == 0)) || e2e_fail "rs relayed $relayed frame(s) of $src -> $dst after both shortcuts"
  e2e_log "$src -> $dst: 20 pings direct; $public_side sends to ce1 at $public:$(nat_port_of "$public_side" "$ce1_overlay")"
}
direct_flow h3 h1
direct_flow h1 h2
e2e_ping_pairs 5 "${TOPO_HOSTS[@]}"
e2e_log "ce1 nhrp:"$'\n'"$(agents_cli ce1 show nhrp)"
e2e_log "ce3 shortcuts:"$'\n'"$(agents_cli ce3 show nhrp shortcut)"

# The underlay's view. ce3 sends to the port its data plane learned, from
# 4789 (what ce1's mapping answers); nothing to a guessed 4789.
ce3_port=$(nat_port_of ce3 "$ce1_overlay")
capture_stop
vxlan_count() {  # display filter
  tshark -r "$underlay" -d "udp.port==$ce3_port,vxlan" -Y "$1" 2>/dev/null | wc -l
}
n=$(vxlan_count "ip.src == ${TOPO_WAN_ADDR[ce3]} && ip.dst == $public && udp.srcport == 4789 && udp.dstport == $ce3_port")
((n > 0)) || e2e_fail "underlay: no VXLAN from ce3:4789 to $public:$ce3_port in $underlay"
n=$(vxlan_count "ip.src == ${TOPO_WAN_ADDR[ce3]} && ip.dst == $public && udp.dstport == 4789")
((n == 0)) || e2e_fail "underlay: $n frame(s) from ce3 to $public:4789, a port nobody learned"
n=$(vxlan_count "ip.src == $public && ip.dst == ${TOPO_WAN_ADDR[ce3]} && udp.srcport == $ce3_port")
((n > 0)) || e2e_fail "underlay: nothing from $public:$ce3_port (ce1's mapping towards ce3)"
e2e_log "underlay: ce3 <-> ce1 as $public:$ce3_port, from and to port 4789"
PASSED=1
e2e_log "PASS"
