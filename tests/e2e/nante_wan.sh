#!/usr/bin/env bash
# Nante-WAN's nante-wan.conf, unchanged, as a CE's config (issue 6, the
# whole of it working together), in a topology built around its addresses:
#
#   underlay 192.168.0.0/24, every node's eth0 (the file's wan_interface)
#   nw   .1   10.0.0.10   nwbpfd -c config/nante-wan/nante-wan.conf
#   ce2  .2   10.0.0.2    an ordinary CE (TOML): veth10 in VLAN 10, veth11 in 11
#   cs   .3   10.0.0.0    CE + config server of ebconfig/ (the file's
#                         http://10.0.0.0/ebconfig), no edge port
#   rs   .10  10.0.0.100  NHS, route server, config server of portconfig/
#   rs2  .11  10.0.0.101  NHS, route server
#   hosts: ha behind nw's vetha (untagged in 10 and 11, PVID 11: it sends
#   into VLAN 11) 172.16.11.1; hc behind nw's vethc (VLAN 10), with a MAC
#   the seed ebconfig permits, 172.16.10.1; h10 and h11 behind ce2,
#   172.16.10.2 and 172.16.11.2.
# cs is a CE, not a route server: nw registers with the two NHSes its file
# names and reaches any other overlay address by NHRP resolution through
# them, which only finds nodes registered with them (NHRP clients).
# Everything shares the file's AS 65000, bgp_password (TCP-MD5) and
# gre_key 1. Checks:
#  1. nw registered with both NHSes (their overlay addresses learned from
#     the replies), both caches hold nw, ce2 and cs;
#  2. nw's BGP sessions to both route reflectors (named by overlay address,
#     reached at the NBMA address NHRP found) Established, every BGP segment
#     on nw's WAN signed with the file's password (tcpdump -M checks it);
#  3. the seed's portconfig (served unchanged, cmp) fetched from 10.0.0.100
#     at rs's NBMA address and applied: vetha 10,11 (PVID 11), vethc 10;
#  4. the seed's ebconfig (served unchanged) fetched from 10.0.0.0 at cs's
#     NBMA address and in BPF: VLAN 10, 3 IPv4 rules, 3 MAC rules; cs
#     starts last, once nw's NHS told nw 10.0.0.0 is unreachable (a
#     negative entry, 30 s), and nw finds it when that entry ends;
#  5. pings across the overlay: hc -> h10 (VLAN 10, through the ebconfig's
#     filters), ha -> h11 (VLAN 11); hc with a MAC the ebconfig does not
#     permit: its ARP is dropped (the mac-filter's default deny counts it);
#  6. kicks: the portconfig rewritten on rs (vethc in VLAN 11 too) is in
#     force on nw within 1 s, and the seed's file put back too; the same
#     for the ebconfig on cs.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/nhrp.sh
source "$(dirname "$0")/lib/nhrp.sh"
# shellcheck source=SCRIPTDIR/lib/bgp_capture.sh
source "$(dirname "$0")/lib/bgp_capture.sh"
# shellcheck source=SCRIPTDIR/../../scripts/lib/daemon.sh
source "$NWBPF_SOURCE_DIR/scripts/lib/daemon.sh"

e2e_init nante_wan
for tool in jq curl tcpdump nsenter; do command -v "$tool" >/dev/null || e2e_fail "'$tool' not found"; done
SEED=$NWBPF_SOURCE_DIR/config/nante-wan
NW_CONF=$SEED/nante-wan.conf
e2e_agents_init

# The topology of the file's addresses (scripts/lib/topology.sh's arrays).
# shellcheck disable=SC2034  # read by scripts/lib
{
  TOPO_CES=(nw ce2 cs)
  TOPO_HOSTS=(ha hc h10 h11)
  TOPO_WAN_ADDR=([nw]=192.168.0.1 [ce2]=192.168.0.2 [cs]=192.168.0.3 [rs]=192.168.0.10 [rs2]=192.168.0.11)
  TOPO_OVERLAY_ADDR=([nw]=10.0.0.10 [ce2]=10.0.0.2 [cs]=10.0.0.0 [rs]=10.0.0.100 [rs2]=10.0.0.101)
  TOPO_HOST_CE=([ha]=nw [hc]=nw [h10]=ce2 [h11]=ce2)
  TOPO_HOST_PORT=([ha]=vetha [hc]=vethc [h10]=veth10 [h11]=veth11)
  TOPO_HOST_ADDR=([ha]=172.16.11.1 [hc]=172.16.10.1 [h10]=172.16.10.2 [h11]=172.16.11.2)
  PERMITTED_MAC=0a:00:27:00:00:01  # the seed ebconfig's first permitted MAC
  OTHER_MAC=0a:00:27:00:00:09
  TOPO_HOST_MAC=([ha]=02:00:ac:10:0b:01 [hc]=$PERMITTED_MAC [h10]=02:00:ac:10:0a:02 [h11]=02:00:ac:10:0b:02)
  AGENTS_CONFIG_FILE[nw]=$NW_CONF
}
topo_up --edge-xdp yes --route-servers 2
topo_quiet_hosts

nw=${TOPO_OVERLAY_ADDR[nw]}
grep -q "^dmvpn_addr[[:space:]]*= $nw$" "$NW_CONF" || e2e_fail "$NW_CONF: dmvpn_addr is not $nw"
e2e_log "nw runs nwbpfd -c $NW_CONF, which is (nwbpf config import):"$'\n'"$("$NWBPF" config import "$NW_CONF")"

# The config servers' directories: the seed's files, unchanged, for nw.
SERVE_RS=$(mktemp -d /tmp/nwbpf-nante-wan-rs.XXXXXX)
SERVE_CS=$(mktemp -d /tmp/nwbpf-nante-wan-cs.XXXXXX)
_nante_wan_down() { rm -rf "$SERVE_RS" "$SERVE_CS"; }
topo_on_down _nante_wan_down
mkdir "$SERVE_RS/portconfig" "$SERVE_CS/ebconfig"
PORTCONFIG=$SERVE_RS/portconfig/$nw.json
EBCONFIG=$SERVE_CS/ebconfig/$nw.json
cp "$SEED/docker_portconfig_example.json" "$PORTCONFIG"
cp "$SEED/docker_ebconfig_example.json" "$EBCONFIG"
cmp "$SEED/docker_portconfig_example.json" "$PORTCONFIG"
cmp "$SEED/docker_ebconfig_example.json" "$EBCONFIG"

# What every other node shares with the file: AS (agents.sh's), the
# password, the GRE key, the overlay range (its bgp_range).
PASSWORD=$(sed -n 's/^bgp_password[[:space:]]*=[[:space:]]*//p' "$NW_CONF")
[[ $AGENTS_EVPN_AS == $(sed -n 's/^as_number[[:space:]]*=[[:space:]]*//p' "$NW_CONF") ]] ||
  e2e_fail "the file's as_number is not $AGENTS_EVPN_AS"
with_password() { sed -i "s/^\[bgp\]\$/[bgp]\npassword = \"$PASSWORD\"/" "$(agents_config_path "$1")"; }
config_server() {  # node folder directory
  local f
  f=$(agents_config_path "$1")
  printf '\n[fetch.%s]\njson_url_prefix = "http://%s/%s"\n[config_server]\ndirectory = "%s"\nkick_retries = 10\n' \
    "$2" "${TOPO_OVERLAY_ADDR[$1]}" "$2" "$3" >>"$f"
}
for rs in rs rs2; do
  agents_config_nhrp_rs "$rs"
  with_password "$rs"
  echo 'gre_key = 1' >>"$(agents_config_path "$rs")"
done
sed -i 's/^roles = \["route-server"\]$/roles = ["route-server", "config-server"]/' "$(agents_config_path rs)"
config_server rs portconfig "$SERVE_RS"

# ce2: the NHRP CE of agents.sh, its ports in VLANs 10 and 11.
agents_config_nhrp ce2 xdp
f=$(agents_config_path ce2)
sed -i '/^\[\[port\]\]$/,/^vlans = /d' "$f"
with_password ce2
printf 'gre_key = 1\n\n[[port]]\nname = "veth10"\nvlans = [10]\n\n[[port]]\nname = "veth11"\nvlans = [11]\n' >>"$f"

# cs: an NHRP client (so that NHRP resolves 10.0.0.0) and the config server.
cat >"$(agents_config_path cs)" <<EOF
# Generated by tests/e2e/nante_wan.sh for $(topo_ns cs).
[agent]
instance = "$(topo_ns cs)"
roles = ["ce", "config-server"]
bpffs = "$AGENTS_RUN_DIR/bpffs"
control_socket = "$AGENTS_RUN_DIR/cs.sock"
log_level = "debug"
bpf_object = "$NWBPF_BPF_OBJECT"

[node]
overlay_address = "${TOPO_OVERLAY_ADDR[cs]}"
wan_interface = "eth0"

[nhrp]
overlay_range = "$AGENTS_OVERLAY_RANGE"
servers = ["${TOPO_WAN_ADDR[rs]}", "${TOPO_WAN_ADDR[rs2]}"]
gre_key = 1
EOF
config_server cs ebconfig "$SERVE_CS"
for node in rs rs2 ce2 cs; do
  "$NWBPF" config check "$(agents_config_path "$node")" >/dev/null ||
    e2e_fail "$node's config: $("$NWBPF" config check "$(agents_config_path "$node")" 2>&1)"
done

# The file asks for encryption (ipsec_secret). A kernel without ESP (the
# host's, not the lab's) must refuse it, clearly, and never fall back to
# plaintext; --plaintext is the explicit way to run the rest of this test.
esp_probe=(ip xfrm state add src 127.0.0.1 dst 127.0.0.2 proto esp spi 0xfd mode transport
           aead 'rfc4106(gcm(aes))' 0x"$(printf '%072d' 0)" 128)
if topo_exec nw "${esp_probe[@]}" 2>/dev/null; then
  topo_exec nw ip xfrm state flush
  e2e_log "this kernel has ESP: the refusal of encryption is not checked here"
else
  rc=0
  refusal=$(timeout 20 ip netns exec "$(topo_ns nw)" "$NWBPFD" -c "$NW_CONF" 2>&1) || rc=$?
  [[ $rc == 4 && $refusal == *'[ipsec] mode = "psk" cannot work here: the kernel cannot do ESP'* &&
     $refusal == *'--plaintext'* ]] || e2e_fail "nwbpfd on a kernel without ESP: exit $rc, not 4 with the reason:"$'\n'"$refusal"
  e2e_log "without ESP, encryption is refused (exit 4):"$'\n'"$refusal"
fi
AGENTS_ARGS[nw]=--plaintext

CAPTURE=$AGENTS_RUN_DIR/nw-bgp.pcapng
capture_start nw "$CAPTURE"
# cs starts after nw, as a config server may: nw's first resolution of
# 10.0.0.0 gets Error Indication "Protocol Address Unreachable" from its
# NHS, a negative entry for 30 s (nhrp::ResolverConfig::negative_time),
# after which nw's next fetch asks again and finds cs.
for node in rs rs2 ce2 nw; do agents_start "$node"; done
for node in rs rs2 ce2 nw; do agents_wait_ready "$node"; done
shortcut_state() {  # ce overlay
  agents_cli "$1" show nhrp shortcut -j |
    jq -r --arg p "$2" 'first(.shortcuts[] | select(.protocol == $p) | .state) // "none"'
}
negative_for_cs() { [[ $(shortcut_state nw "${TOPO_OVERLAY_ADDR[cs]}") == negative ]]; }
e2e_wait_until 15 "nw's negative entry for 10.0.0.0 (cs not started)" negative_for_cs
cs_started=$EPOCHREALTIME
agents_start cs
agents_wait_ready cs
e2e_log "the five agents answer (cs started last)"

# 1. NHRP.
nhs_registered() {
  agents_cli nw show nhrp nhs -j |
    jq -e '[.nhs[] | select(.registered) | "\(.nbma)=\(.protocol)"] | sort | join(" ") ==
           "192.168.0.10=10.0.0.100 192.168.0.11=10.0.0.101"' >/dev/null
}
e2e_wait_until 15 "nw registered with both NHSes" nhs_registered
for rs in rs rs2; do e2e_wait_until 15 "nw, ce2 and cs registered with $rs" nhrp_all_registered "$rs"; done
e2e_log "NHRP: nw registered with both NHSes:"$'\n'"$(agents_cli nw show nhrp nhs)"$'\n'"rs's cache:"$'\n'"$(agents_cli rs show nhrp cache)"

# 2. BGP to both route reflectors, signed with the file's password.
rr_sessions_up() {  # ce
  agents_cli "$1" show bgp summary -j | jq -e '[.peers[] | select(.state == "Established" and .end_of_rib_rcvd) |
    "\(.address)=\(.session.remote_id)"] | sort | join(" ") == "192.168.0.10=10.0.0.100 192.168.0.11=10.0.0.101"' >/dev/null
}
e2e_wait_until 30 "nw Established with both route reflectors" rr_sessions_up nw
e2e_wait_until 30 "ce2 Established with both route reflectors" rr_sessions_up ce2
capture_stop
# Every BGP segment nw sent or received carries an MD5 signature that
# tcpdump, given the file's password, finds valid.
segments=$(tcpdump -nr "$CAPTURE" 'tcp port 179' 2>/dev/null | wc -l)
valid=$(tcpdump -nvr "$CAPTURE" -M "$PASSWORD" 'tcp port 179' 2>/dev/null | grep -c 'md5 valid' || true)
((segments > 0 && valid == segments)) ||
  e2e_fail "$valid of $segments BGP segments with a valid MD5 signature:"$'\n'"$(tcpdump -nvr "$CAPTURE" -M "$PASSWORD" 2>&1 | head -20)"
e2e_log "BGP: nw Established with both route reflectors; $valid of $segments BGP segments on nw's WAN signed with the file's password (tcpdump -M):"$'\n'"$(agents_cli nw show bgp summary)"

# 3. The portconfig: from 10.0.0.100 at rs's NBMA address, applied.
pc() { agents_cli nw show portconfig -j | jq -r "$1"; }
acl() { agents_cli nw show acl -j | jq -r "$1"; }
pc_is() { [[ $(pc "$1") == "$2" ]]; }
acl_is() { [[ $(acl "$1") == "$2" ]]; }
PORTS='[.ports[] | "\(.name):\(.vlans | join(","))/pvid \(.pvid)/\(.state)"] | join(" ")'
SEED_PORTS="vetha:10,11/pvid 11/up vethc:10/pvid 10/up"
# shellcheck disable=SC2016  # jq's $s
SOURCE='.sources[] | select(.source == $s) | "\(.url) \(.fetch.connect_address) \(.file.result)"'
source_is() {  # source url connect_address
  [[ $(agents_cli nw show portconfig -j | jq -r --arg s "$1" "$SOURCE") == "$2 $3 applied" ]]
}
e2e_wait_until 10 "the seed's portconfig applied" pc_is "$PORTS" "$SEED_PORTS"
source_is portconfig "http://${TOPO_OVERLAY_ADDR[rs]}/portconfig/$nw.json" "${TOPO_WAN_ADDR[rs]}" ||
  e2e_fail "the portconfig's source:"$'\n'"$(agents_cli nw show portconfig)"
e2e_log "portconfig from 10.0.0.100 (at ${TOPO_WAN_ADDR[rs]}) applied:"$'\n'"$(agents_cli nw show portconfig)"

# 4. The ebconfig: from 10.0.0.0 at cs's NBMA address, in BPF.
SEED_ACL='[.vlans[] | "\(.vlan) ip \(.ip_filter.default.action) \(.ip_filter.rules | length) mac \(.mac_filter.default.action) \([.mac_filter.rules[].mac] | join(","))"] | join(" ")'
e2e_wait_until 45 "the seed's ebconfig in BPF" acl_is "$SEED_ACL" \
  "10 ip permit 3 mac deny 0a:00:27:00:00:01,0a:00:27:00:00:02,0a:00:27:00:00:03"
source_is ebconfig "http://${TOPO_OVERLAY_ADDR[cs]}/ebconfig/$nw.json" "${TOPO_WAN_ADDR[cs]}" ||
  e2e_fail "the ebconfig's source:"$'\n'"$(agents_cli nw show portconfig)"
e2e_log "ebconfig from 10.0.0.0 (at ${TOPO_WAN_ADDR[cs]}) in BPF $(e2e_since "$cs_started") s after cs started:"$'\n'"$(agents_cli nw show acl)"

# 5. Pings across the overlay, in VLAN 10 through the ebconfig's filters.
e2e_ping_pairs 10 hc h10
e2e_ping_pairs 10 ha h11
MAC_DEFAULT='.vlans[0].mac_filter.default.packets'
PERMIT_RULE='.vlans[0].mac_filter.rules[0].packets'
IP_DEFAULT='.vlans[0].ip_filter.default.packets'
(($(acl "$PERMIT_RULE") > 0 && $(acl "$IP_DEFAULT") > 0)) ||
  e2e_fail "hc's ARP and pings not counted by the ebconfig:"$'\n'"$(agents_cli nw show acl)"
e2e_log "VLAN 10: hc's ARP passed the mac-filter's permit of $PERMITTED_MAC ($(acl "$PERMIT_RULE") frames), its pings the ip-filter's default permit ($(acl "$IP_DEFAULT"))"
# hc with a MAC the ebconfig does not permit: its ARP stops at nw.
denied_before=$(acl "$MAC_DEFAULT")
topo_exec hc ip link set vethb address "$OTHER_MAC"
topo_exec hc ip neigh flush all
! topo_exec hc ping -c 3 -i 0.2 -W 1 "${TOPO_HOST_ADDR[h10]}" >/dev/null 2>&1 ||
  e2e_fail "hc with $OTHER_MAC reached h10 through the mac-filter's default deny"
denied=$(($(acl "$MAC_DEFAULT") - denied_before))
((denied > 0)) || e2e_fail "the mac-filter's default deny counted nothing:"$'\n'"$(agents_cli nw show acl)"
e2e_log "VLAN 10: hc with $OTHER_MAC cannot ping h10: the mac-filter's default deny dropped $denied frames (ARP)"
topo_exec hc ip link set vethb address "$PERMITTED_MAC"
e2e_wait_until 10 "hc -> h10 with its permitted MAC again" topo_warm_up hc "${TOPO_HOST_ADDR[h10]}" 1

# 6. Kicks: a file renamed into place on its config server, polled on nw
# every 20 ms until in force; the time from the write is printed.
kicked() {  # what file content check...
  local what=$1 file=$2 t0 ms
  t0=$(date +%s%N)
  printf '%s\n' "$3" >"$file.tmp"
  mv "$file.tmp" "$file"
  shift 3
  ms=$(e2e_ms_until "$t0" 5 "KICK $what: in force on nw" "$@")
  ((ms < 1000)) || e2e_fail "$what: in force on nw after $ms ms (1 s at most)"
  e2e_log "KICK $what: in force on nw $ms ms after the write"
}
kicked "portconfig on rs, vethc in VLANs 10 and 11" "$PORTCONFIG" \
  "$(jq '.ports[1].vlans = [10, 11]' "$SEED/docker_portconfig_example.json")" \
  pc_is "$PORTS" "vetha:10,11/pvid 11/up vethc:10,11/pvid 11/up"
kicked "portconfig on rs, the seed's again" "$PORTCONFIG" "$(cat "$SEED/docker_portconfig_example.json")" \
  pc_is "$PORTS" "$SEED_PORTS"
kicked "ebconfig on cs, $OTHER_MAC permitted too" "$EBCONFIG" \
  "$(jq --arg m "$OTHER_MAC" '.[0]["mac-filter"].rules += [{"mac": $m, "action": "permit"}]' "$SEED/docker_ebconfig_example.json")" \
  acl_is '[.vlans[0].mac_filter.rules[].mac] | join(",")' "0a:00:27:00:00:01,0a:00:27:00:00:02,0a:00:27:00:00:03,$OTHER_MAC"
topo_exec hc ip link set vethb address "$OTHER_MAC"
topo_exec hc ip neigh flush all
topo_warm_up hc "${TOPO_HOST_ADDR[h10]}" 5 || e2e_fail "hc with $OTHER_MAC, now permitted, cannot ping h10"
e2e_log "hc with $OTHER_MAC pings h10"
topo_exec hc ip link set vethb address "$PERMITTED_MAC"
kicked "ebconfig on cs, the seed's again" "$EBCONFIG" "$(cat "$SEED/docker_ebconfig_example.json")" acl_is "$SEED_ACL" \
  "10 ip permit 3 mac deny 0a:00:27:00:00:01,0a:00:27:00:00:02,0a:00:27:00:00:03"
cmp "$SEED/docker_portconfig_example.json" "$PORTCONFIG"
cmp "$SEED/docker_ebconfig_example.json" "$EBCONFIG"
e2e_ping_pairs 5 hc h10
e2e_ping_pairs 5 ha h11
e2e_log "rs:"$'\n'"$(agents_cli rs show config-server)"$'\n'"cs:"$'\n'"$(agents_cli cs show config-server)"
e2e_log "PASS"
