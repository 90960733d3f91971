#!/usr/bin/env bash
# The config-server role end to end (issue 6): rs, the route server (NHS),
# also runs the role on a directory of per-CE files.
#  a. From ce1's namespace, curl GETs rs's portconfig/<ce>.json (200, the
#     file's exact bytes, the seed's example), a missing file (404) and a
#     target with ".." (400).
#  b. A file written for ce1 before ce1 registered with NHRP: the kick has
#     no address ("10.0.0.1 is not registered with NHRP", shown by `show
#     config-server`) and is retried; once ce1's agent registered, a retry
#     reaches ce1's NBMA address.
#  c. With ce1 registered, a file renamed into place (portconfig) and one
#     written in place (ebconfig) each make rs send GET /update-kick to
#     ce1's NBMA address on that folder's bind_port within 1 s.
#  d. A reload with [config_server] unchanged keeps the role (its counters).
# ce1's kick endpoints are stand-ins (lib/kick_recorder.py) that log each
# request with its time; ce1's agent runs NHRP only.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"

e2e_init config_server
e2e_agents_init
topo_up

SERVE_DIR=$(mktemp -d /tmp/nwbpf-config-server.XXXXXX)
KICKS=$(mktemp -d /tmp/nwbpf-kicks.XXXXXX)  # outside the served directory
_config_server_down() { rm -rf "$SERVE_DIR" "$KICKS"; }
topo_on_down _config_server_down

rs_ip=${TOPO_WAN_ADDR[rs]}
ce1_ip=${TOPO_WAN_ADDR[ce1]}
ce1=${TOPO_OVERLAY_ADDR[ce1]}
seed=$NWBPF_SOURCE_DIR/config/nante-wan/docker_portconfig_example.json

# rs: route server with NHRP, plus the role. The folders are the paths of
# [fetch]'s URLs; the kick ports their default bind_ports (8080, 8081).
agents_config_nhrp_rs rs
rs_config=$(agents_config_path rs)
sed -i 's/^roles = \["route-server"\]$/roles = ["route-server", "config-server"]/' "$rs_config"
cat >>"$rs_config" <<EOF

[fetch.portconfig]
json_url_prefix = "http://${TOPO_OVERLAY_ADDR[rs]}/portconfig"
[fetch.ebconfig]
json_url_prefix = "http://${TOPO_OVERLAY_ADDR[rs]}/ebconfig"

[config_server]
directory = "$SERVE_DIR"
kick_retries = 10
EOF
agents_config_nhrp ce1 xdp

# A file there before the server starts: served, not kicked.
mkdir "$SERVE_DIR/portconfig" "$SERVE_DIR/ebconfig"
cp "$seed" "$SERVE_DIR/portconfig/${TOPO_OVERLAY_ADDR[ce3]}.json"

cs_json() { agents_cli rs show config-server -j; }
cs_listening() { [[ $(cs_json | jq -r .listening) == true ]]; }

agents_start rs
agents_wait_ready rs
e2e_wait_until 10 "rs's config server listening" cs_listening
e2e_log "rs:"$'\n'"$(agents_cli rs show config-server)"

# a. What a CE gets over HTTP, from ce1's namespace.
get() {  # path -> "<status>" and the body in $KICKS/body
  topo_exec ce1 curl -sS --path-as-is -o "$KICKS/body" -w '%{http_code}' "http://$rs_ip$1"
}
status=$(get "/portconfig/${TOPO_OVERLAY_ADDR[ce3]}.json")
[[ $status == 200 ]] || e2e_fail "GET portconfig/${TOPO_OVERLAY_ADDR[ce3]}.json: HTTP $status"
cmp -s "$KICKS/body" "$seed" || e2e_fail "GET portconfig/${TOPO_OVERLAY_ADDR[ce3]}.json: not the file's bytes"
status=$(get "/portconfig/10.0.0.99.json")
[[ $status == 404 ]] || e2e_fail "GET a missing file: HTTP $status, not 404"
status=$(get "/portconfig/../ebconfig/10.0.0.99.json")
[[ $status == 400 ]] || e2e_fail "GET with '..': HTTP $status, not 400"
e2e_log "HTTP from ce1: 200 with the file's $(wc -c <"$seed") bytes, 404 for a missing file, 400 for '..'"

# ce1's kick endpoints, one per folder, on its NBMA address.
# topo_down kills them: not a failure of the test.
for port in 8080 8081; do
  (
    trap - ERR
    topo_exec ce1 python3 "$E2E_DIR/lib/kick_recorder.py" "$ce1_ip" "$port" "$KICKS/$port.log" ||
      true
  ) &
done
listening() { topo_exec ce1 ss -Hltn "sport = :$1" | grep -q .; }
e2e_wait_until 10 "ce1's stand-in on 8080" listening 8080
e2e_wait_until 10 "ce1's stand-in on 8081" listening 8081
kicks() { if [[ -f $KICKS/$1.log ]]; then wc -l <"$KICKS/$1.log"; else echo 0; fi; }
more_kicks() { (($(kicks "$1") > $2)); }  # port count

# Publishes a file as tools do: write a temporary name, rename into place.
publish() {  # folder content
  local tmp="$SERVE_DIR/$1/.$ce1.json.tmp"
  printf '%s\n' "$2" >"$tmp"
  mv "$tmp" "$SERVE_DIR/$1/$ce1.json"
}

# b. Kicked before ce1 registered: no address yet, retried.
publish portconfig '{"name": "br0", "ports": []}'
waiting_for_nhrp() {
  cs_json | jq -e --arg ce "$ce1" --arg why "$ce1 is not registered with NHRP" \
    'any(.pending[]; .ce == $ce and .port == 8080 and .last_error == $why)' >/dev/null
}
e2e_wait_until 5 "rs's kick of $ce1 waiting for NHRP" waiting_for_nhrp
[[ $(kicks 8080) == 0 ]] || e2e_fail "ce1 was kicked before it registered"
e2e_log "before ce1 registered:"$'\n'"$(agents_cli rs show config-server)"
registered_at=$EPOCHREALTIME
agents_start ce1
agents_wait_ready ce1
e2e_wait_until 20 "the retried kick reaching ce1" more_kicks 8080 0
e2e_log "the retried kick reached ce1 $(e2e_since "$registered_at") s after its agent started"
grep -q " GET /update-kick$" "$KICKS/8080.log" || e2e_fail "ce1 got: $(cat "$KICKS/8080.log")"
change=$(cs_json | jq -c '.changes[0]')
jq -e '.kick == "kicked" and .tries > 1 and .ce == "10.0.0.1" and .folder == "portconfig"' \
  <<<"$change" >/dev/null || e2e_fail "the change as shown: $change"

# c. Registered: each change kicks within 1 s.
kick_delay() {  # port count_before start -> seconds from start to the next kick
  local port=$1 before=$2 start=$3 when
  e2e_wait_until 5 "a kick on $port" more_kicks "$port" "$before"
  when=$(sed -n "$((before + 1))p" "$KICKS/$port.log" | cut -d' ' -f1)
  awk -v a="$start" -v b="$when" 'BEGIN { printf "%.3f", b - a }'
}
before=$(kicks 8080)
start=$EPOCHREALTIME
publish portconfig '{"name": "br0", "ports": [{"name": "vetha", "tagged": false, "vlans": [99]}]}'
delay=$(kick_delay 8080 "$before" "$start")
awk -v d="$delay" 'BEGIN { exit !(d < 1.0) }' || e2e_fail "renamed into place: kicked after $delay s"
e2e_log "portconfig renamed into place: ce1 kicked on 8080 after $delay s"

before=$(kicks 8081)
start=$EPOCHREALTIME
printf '[]\n' >"$SERVE_DIR/ebconfig/$ce1.json"
delay=$(kick_delay 8081 "$before" "$start")
awk -v d="$delay" 'BEGIN { exit !(d < 1.0) }' || e2e_fail "written in place: kicked after $delay s"
e2e_log "ebconfig written in place: ce1 kicked on 8081 after $delay s"
e2e_log "rs:"$'\n'"$(agents_cli rs show config-server)"

# d. A reload that leaves [config_server] alone keeps the role as it is.
requested=$(cs_json | jq .kicks.requested)
answer=$(e2e_control rs '{"command":"reload"}')
[[ $(jq -r .ok <<<"$answer") == true ]] || e2e_fail "reload: $answer"
[[ $(cs_json | jq .kicks.requested) == "$requested" ]] ||
  e2e_fail "the reload restarted the config server (its counters are gone)"
cs_listening || e2e_fail "not listening after the reload"
e2e_log "reload with [config_server] unchanged: the role kept (kicks requested: $requested)"
e2e_log "PASS"
