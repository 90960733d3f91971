#!/usr/bin/env bash
# Central configuration (issue 6) end to end with real agents on both
# sides: rs runs NHRP and the config-server role on a directory of per-CE
# files; ce1 has [fetch] portconfig + ebconfig naming rs by its overlay
# address (http://10.0.0.10/..., as nante-wan.conf does). Checks:
#  1. the seed's example files, copied unchanged (cmp), are fetched and
#     applied by ce1 (its vetha is the seed's vetha; vethc does not exist
#     on ce1 and shows as missing; the ebconfig's VLAN 10 rules in BPF);
#  2. push: a file renamed into place and one written in place on rs are in
#     force on ce1 within 1 s (write -> show portconfig -j, polled every
#     20 ms; printed);
#  3. an ebconfig denying TCP h1 -> h2:5001 for VLAN 99: nc to 5001 fails,
#     ping and nc to 5002 work, the deny rule counts packets; the file
#     changed to permit: nc to 5001 works within 1 s of the write;
#     a mac-filter denying h1's MAC stops its ARP (ping fails, counted);
#  4. bad files (invalid JSON; VLAN 5000) rejected with their problem, the
#     last good kept (traffic and ACL unchanged);
#  5. rs's port 80 blocked: ce1 keeps ports and ACL, fetch failures grow;
#     unblocked: ce1 fetches the file written meanwhile.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/evpn.sh
source "$(dirname "$0")/lib/evpn.sh"
# shellcheck source=SCRIPTDIR/lib/nhrp.sh
source "$(dirname "$0")/lib/nhrp.sh"

e2e_init central
for tool in nc nft jq curl; do command -v "$tool" >/dev/null || e2e_fail "'$tool' not found"; done
e2e_agents_init
topo_up --edge-xdp yes

SERVE_DIR=$(mktemp -d /tmp/nwbpf-central.XXXXXX)
mkdir "$SERVE_DIR/portconfig" "$SERVE_DIR/ebconfig"
CE1_STATE=/var/lib/nwbpf/$(topo_ns ce1)
LISTENERS=()
_central_down() {
  local pid
  for pid in "${LISTENERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$SERVE_DIR" "$CE1_STATE"
}
topo_on_down _central_down

ce1=${TOPO_OVERLAY_ADDR[ce1]}
rs=${TOPO_OVERLAY_ADDR[rs]}
h2=${TOPO_HOST_ADDR[h2]}
PORTCONFIG=$SERVE_DIR/portconfig/$ce1.json
EBCONFIG=$SERVE_DIR/ebconfig/$ce1.json
seed_port=$NWBPF_SOURCE_DIR/config/nante-wan/docker_portconfig_example.json
seed_eb=$NWBPF_SOURCE_DIR/config/nante-wan/docker_ebconfig_example.json
cp "$seed_port" "$PORTCONFIG"
cp "$seed_eb" "$EBCONFIG"
cmp "$seed_port" "$PORTCONFIG" || e2e_fail "the seed's portconfig changed on copy"
cmp "$seed_eb" "$EBCONFIG" || e2e_fail "the seed's ebconfig changed on copy"

# rs: route server with NHRP and the role; the [fetch] URLs name its folders.
fetch_lines() {
  printf '[fetch.portconfig]\njson_url_prefix = "http://%s/portconfig"\n' "$rs"
  printf '[fetch.ebconfig]\njson_url_prefix = "http://%s/ebconfig"\n' "$rs"
}
agents_config_nhrp_rs rs
f=$(agents_config_path rs)
sed -i 's/^roles = \["route-server"\]$/roles = ["route-server", "config-server"]/' "$f"
printf '\n%s\n[config_server]\ndirectory = "%s"\nkick_retries = 10\n' "$(fetch_lines)" "$SERVE_DIR" >>"$f"
for ce in "${TOPO_CES[@]}"; do agents_config_nhrp "$ce" xdp; done
# ce1: its edge ports from the portconfig, no [[port]].
f=$(agents_config_path ce1)
sed -i '/^\[\[port\]\]$/,/^vlans = /d' "$f"
grep -q '^\[\[port\]\]' "$f" && e2e_fail "[[port]] still in $f"
printf '\n[fetch]\nfailed_interval = 1\ntimeout = 2\n%s\n' "$(fetch_lines)" >>"$f"
rm -rf "$CE1_STATE"
evpn_start_all
e2e_wait_until 10 "every CE registered with rs" nhrp_all_registered rs

pc() { agents_cli ce1 show portconfig -j | jq -r "$1"; }
acl() { agents_cli ce1 show acl -j | jq -r "$1"; }
# Conditions for e2e_wait_until.
pc_is() { [[ $(pc "$1") == "$2" ]]; }
acl_is() { [[ $(acl "$1") == "$2" ]]; }
failures_at_least() { (($(pc '.sources[0].fetch.failures') >= $1)); }
PORTS='[.ports[] | "\(.name):\(.vlans | join(","))"] | join(" ")'

# 1. The seed's files as ce1's.
e2e_wait_until 10 "the seed's portconfig applied" pc_is "$PORTS" "vetha:10,11 vethc:10"
e2e_wait_until 10 "the seed's ebconfig applied" acl_is '[.vlans[].vlan] | join(",")' 10
[[ $(pc '.sources[0].fetch.connect_address') == "${TOPO_WAN_ADDR[rs]}" ]] ||
  e2e_fail "ce1 did not reach rs's NBMA address:"$'\n'"$(agents_cli ce1 show portconfig)"
[[ $(pc '.ports[] | select(.name == "vethc") | .state') == missing ]] ||
  e2e_fail "vethc (not on ce1):"$'\n'"$(agents_cli ce1 show portconfig)"
[[ $(acl '.vlans[0].ip_filter.rules | length') == 3 && $(acl '.vlans[0].mac_filter.rules | length') == 3 ]] ||
  e2e_fail "the seed's rules:"$'\n'"$(agents_cli ce1 show acl)"
for folder in portconfig ebconfig; do
  topo_exec ce1 curl -sSf -o "$AGENTS_RUN_DIR/seed_got.json" "http://${TOPO_WAN_ADDR[rs]}/$folder/$ce1.json"
  cmp "$AGENTS_RUN_DIR/seed_got.json" "$SERVE_DIR/$folder/$ce1.json" || e2e_fail "rs did not serve the seed's $folder bytes"
done
rm "$AGENTS_RUN_DIR/seed_got.json"
e2e_log "the seed's files (unchanged) applied on ce1:"$'\n'"$(agents_cli ce1 show portconfig)"$'\n'"$(agents_cli ce1 show acl)"

# Writers: whole file renamed into place, or written in place.
publish() {  # file json
  printf '%s\n' "$2" >"$1.tmp"
  mv "$1.tmp" "$1"
}
overwrite() { printf '%s\n' "$2" >"$1"; }
ports_json() {  # port...: each untagged in the topology's VLAN
  local p out=""
  for p in "$@"; do out+="${out:+,}{\"name\": \"$p\", \"tagged\": false, \"vlans\": [$TOPO_VLAN]}"; done
  printf '{"name": "bridge", "ports": [%s]}' "$out"
}
# Writes with WRITER and polls ce1 every 20 ms until CHECK holds; prints ms.
push_ms() {  # writer file json check...
  local writer=$1 file=$2 json=$3 t0 i
  shift 3
  t0=$(date +%s%N)
  "$writer" "$file" "$json"
  for ((i = 0; i < 250; i++)); do
    if "$@"; then
      echo $((($(date +%s%N) - t0) / 1000000))
      return 0
    fi
    sleep 0.02
  done
  e2e_fail "not in force 5 s after the write: $*"$'\n'"$(agents_cli ce1 show portconfig)"
}
under_1s() { (($2 < 1000)) || e2e_fail "$1 took $2 ms (1 s at most)"; }

# 2. Push: ce1's vetha in the topology's VLAN, then a second (missing)
# port added by rename and removed by a write in place.
ms=$(push_ms publish "$PORTCONFIG" "$(ports_json vetha)" pc_is "$PORTS" "vetha:$TOPO_VLAN")
under_1s "the seed's portconfig replaced" "$ms"
e2e_log "PUSH portconfig (vetha in VLAN $TOPO_VLAN) renamed into place: applied on ce1 after $ms ms"
pings() { topo_exec h1 ping -c "$1" -i 0.2 -W 1 "$h2" >/dev/null 2>&1; }
e2e_wait_until 10 "h1 -> h2 over the fetched port" pings 1
ms=$(push_ms publish "$PORTCONFIG" "$(ports_json vetha vethz)" pc_is "$PORTS" "vetha:$TOPO_VLAN vethz:$TOPO_VLAN")
under_1s "renamed into place" "$ms"
e2e_log "PUSH portconfig renamed into place -> applied on ce1 in $ms ms"
ms=$(push_ms overwrite "$PORTCONFIG" "$(ports_json vetha)" pc_is "$PORTS" "vetha:$TOPO_VLAN")
under_1s "written in place" "$ms"
e2e_log "PUSH portconfig written in place -> applied on ce1 in $ms ms"
[[ $(pc '.sources[0].file.result') == applied ]] || e2e_fail "not applied:"$'\n'"$(agents_cli ce1 show portconfig)"

# 3. The ACL by real traffic: TCP listeners on h2 (5001 denied, 5002 not).
for port in 5001 5002; do
  ip netns exec "$(topo_ns h2)" nc -l -k "$h2" "$port" >/dev/null 2>&1 </dev/null &
  LISTENERS+=($!)
done
listening() { topo_exec h2 ss -Hltn "sport = :$1" | grep -q .; }
e2e_wait_until 5 "h2 listening on 5001" listening 5001
e2e_wait_until 5 "h2 listening on 5002" listening 5002
connects() { topo_exec h1 nc -z -w 1 "$h2" "$1" >/dev/null 2>&1; }
ebconfig() {  # action for tcp to h2:5001 [action for frames other than IPv4 from h1's MAC]
  local mac=""
  [[ -z ${2:-} ]] ||
    mac=$(printf ', "mac-filter": {"default": "permit", "rules": [{"mac": "%s", "action": "%s"}]}' "${TOPO_HOST_MAC[h1]}" "$2")
  printf '[{"vlan": %s, "ip-filter": {"default": "permit", "rules": [{"proto": "tcp", "src-ip": "0.0.0.0/0", "src-port": "any", "dst-ip": "%s/32", "dst-port": 5001, "action": "%s"}]}%s}]' \
    "$TOPO_VLAN" "$h2" "$1" "$mac"
}
RULE='.vlans[0].ip_filter.rules[0]'
ms=$(push_ms publish "$EBCONFIG" "$(ebconfig deny)" acl_is "[.vlans[0].vlan, $RULE.action] | join(\" \")" "$TOPO_VLAN deny")
under_1s "the deny ebconfig" "$ms"
e2e_log "PUSH ebconfig (deny tcp -> $h2:5001) renamed into place -> in force on ce1 in $ms ms"
e2e_wait_until 10 "h1 -> h2:5002" connects 5002
! connects 5001 || e2e_fail "h1 -> h2:5001 connected through the deny rule"
pings 3 || e2e_fail "ping h1 -> h2 lost with the deny rule"
packets=$(acl "$RULE.packets")
((packets > 0)) || e2e_fail "the deny rule counted nothing:"$'\n'"$(agents_cli ce1 show acl)"
e2e_log "deny: nc h1 -> h2:5001 fails, :5002 and ping work; the deny rule dropped $packets packets:"$'\n'"$(agents_cli ce1 show acl)"
t0=$(date +%s%N)
overwrite "$EBCONFIG" "$(ebconfig permit)"
e2e_wait_until 5 "the permit ebconfig" acl_is "$RULE.action" permit
connects 5001 || e2e_fail "h1 -> h2:5001 still refused after the permit"
ms=$((($(date +%s%N) - t0) / 1000000))
under_1s "write of the permit -> h1 connected to h2:5001" "$ms"
e2e_log "PUSH ebconfig permit written in place -> nc h1 -> h2:5001 connected in $ms ms"

# The mac-filter: h1's MAC denied for frames other than IPv4, so h1's ARP
# requests stop at ce1 and h1, its neighbour cache flushed, cannot ping h2.
MAC_RULE='.vlans[0].mac_filter.rules[0]'
ms=$(push_ms publish "$EBCONFIG" "$(ebconfig permit deny)" acl_is "$MAC_RULE.action" deny)
under_1s "the mac-filter deny" "$ms"
topo_exec h1 ip neigh flush all
! pings 2 || e2e_fail "h1 -> h2 with h1's ARP denied"
packets=$(acl "$MAC_RULE.packets")
((packets > 0)) || e2e_fail "the mac deny rule counted nothing:"$'\n'"$(agents_cli ce1 show acl)"
e2e_log "PUSH mac-filter deny of h1's MAC in force in $ms ms: ping h1 -> h2 fails, $packets frames (ARP) dropped"
publish "$EBCONFIG" "$(ebconfig permit)"
e2e_wait_until 5 "the mac-filter gone" acl_is "$MAC_RULE" null
e2e_wait_until 5 "h1 -> h2 with ARP allowed again" pings 1

# 4. Bad files: rejected with the problem, the last good kept.
rejected_with() {  # source_index problem
  [[ $(pc ".sources[$1].file.result") == rejected && $(pc ".sources[$1].file.problems[0]") == "$2" ]]
}
reject() {  # file json source_index problem
  publish "$1" "$2"
  e2e_wait_until 5 "$(basename "$(dirname "$1")") rejected with: $4" rejected_with "$3" "$4"
  e2e_log "$(basename "$(dirname "$1")") $2 rejected: $4"
}
reject "$PORTCONFIG" '{"name": "bridge", "ports": [' 0 \
  "top level: invalid JSON at byte 31: parse error at line 2, column 1: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal"
reject "$PORTCONFIG" '{"name": "bridge", "ports": [{"name": "vetha", "tagged": false, "vlans": [5000]}]}' 0 \
  "ports[0].vlans[0]: 5000 is not a VLAN ID (1..4094)"
reject "$EBCONFIG" '[{"vlan": 5000}]' 1 "[0].vlan: 5000 is not a VLAN ID (1..4094)"
[[ $(pc "$PORTS") == "vetha:$TOPO_VLAN" && $(acl "$RULE.action") == permit ]] ||
  e2e_fail "the last good files are not in force:"$'\n'"$(agents_cli ce1 show portconfig)"
pings 3 || e2e_fail "ping h1 -> h2 lost with the bad files"
connects 5001 || e2e_fail "h1 -> h2:5001 lost with the bad files"
e2e_log "bad files: last good kept, traffic unchanged"$'\n'"$(agents_cli ce1 show portconfig)"
publish "$EBCONFIG" "$(ebconfig permit)"

# 5. rs's HTTP port blocked: fetches fail (kicks still arrive), ce1 keeps
# its ports and ACL; unblocked, the file written meanwhile is fetched.
topo_exec rs nft -f - <<'EOF'
table inet central_block {
  chain input { type filter hook input priority 0; tcp dport 80 drop; }
}
EOF
failures=$(pc '.sources[0].fetch.failures')
publish "$PORTCONFIG" "$(ports_json vetha vethz)"
t0=$EPOCHREALTIME
e2e_wait_until 10 "fetches failing with rs blocked" failures_at_least $((failures + 2))
e2e_log "rs blocked: $(pc '.sources[0].fetch.last_result'), failures $failures -> $(pc '.sources[0].fetch.failures') in $(e2e_since "$t0") s"
[[ $(pc "$PORTS") == "vetha:$TOPO_VLAN" && $(acl "$RULE.action") == permit ]] ||
  e2e_fail "ports or ACL changed with rs blocked"
pings 3 || e2e_fail "ping h1 -> h2 lost with rs blocked"
connects 5001 || e2e_fail "h1 -> h2:5001 lost with rs blocked"
t0=$EPOCHREALTIME
topo_exec rs nft delete table inet central_block
e2e_wait_until 15 "ce1 fetching again" pc_is "$PORTS" "vetha:$TOPO_VLAN vethz:$TOPO_VLAN"
e2e_log "rs unblocked: the file written meanwhile applied after $(e2e_since "$t0") s"
e2e_log "rs:"$'\n'"$(agents_cli rs show config-server)"
e2e_log "PASS"
