#!/usr/bin/env bash
# Reloading CE1's agent while h1 pings h2 every 10 ms (xdp mode):
#  a. a TOML syntax error, then an out-of-range VLAN, each followed by SIGHUP:
#     the agent keeps running, logs the exact file:line:col line, keeps its
#     ports (`show ports -j` unchanged);
#  b. a valid change, a second edge port "vethm" (host h4, 172.16.0.4, VLAN
#     99) on CE1, then SIGHUP: the port shows up and h4 reaches every host;
#     the reload writes exactly the new port's entries (its log's map counts:
#     rewriting vetha's entry would count 2 in `ports`);
#  c. {"command":"reload"} on the control socket does the same: a bad file
#     answers ok:false with the file:line:col line, an unchanged file
#     answers ok:true with nothing written;
#  d. vethm removed from the config again (the device stays), SIGHUP: its
#     entries, its learned MAC and our programs on it are gone.
# Not one of h1's pings may be lost from the first reload to the last.
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"

e2e_init reload
e2e_agents_init
# h4 sits behind CE1 on vethm from the start, but CE1's config names the
# port only from part b on.
# shellcheck disable=SC2034  # read by topo_up and agents_config
TOPO_HOST_CE["h4"]=ce1
TOPO_HOST_ADDR["h4"]=172.16.0.4
topo_up --extra-host
agents_up xdp
e2e_ping_pairs 5 h1 h2 h3

cfg=$(agents_config_path ce1)
log=$AGENTS_RUN_DIR/ce1.log
good=$AGENTS_RUN_DIR/ce1.good.toml
cp "$cfg" "$good"
# `nwbpf -c FILE` needs a valid FILE: the CLI reads the last good copy, which
# names the same instance, pins and socket.
cli() { topo_exec ce1 "$NWBPF" -c "$good" "$@"; }

# What CE1's agent logged from its last "reloading" line on (a failed reload
# ends with "reload failed", a good one with "reloaded").
reload_log() {
  awk '/ reloading /{ buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$log"
}

# SIGHUP to CE1's agent; waits until the log says how the reload ended.
hup() {
  local before
  before=$(grep -c ' reloading ' "$log" || true)
  kill -HUP "${AGENTS_PID[ce1]}"
  for _ in $(seq 50); do
    if (($(grep -c ' reloading ' "$log" || true) > before)) &&
      reload_log | grep -qE ' reloaded | reload failed'; then
      return 0
    fi
    sleep 0.1
  done
  e2e_fail "ce1: no end of reload in the log 5 s after SIGHUP:"$'\n'"$(reload_log)"
}

agent_alive() {
  kill -0 "${AGENTS_PID[ce1]}" 2>/dev/null || e2e_fail "nwbpfd on ce1 exited after $1"
  cli show ports >/dev/null || e2e_fail "nwbpfd on ce1 no longer answers after $1"
}

# Writes the good config with line `pattern` (first match) replaced, to
# $cfg; prints the line number.
write_bad() {  # pattern replacement
  local n
  n=$(grep -n -m1 -F -x -- "$1" "$good" | cut -d: -f1)
  [[ -n $n ]] || e2e_fail "'$1' is not a line of $good"
  awk -v n="$n" -v r="$2" 'NR == n { print r; next } { print }' "$good" >"$cfg"
  echo "$n"
}

# Expects the reload just done to have failed with `want` logged as one
# whole message, and nothing else changed.
expect_rejected() {  # what want
  local out
  out=$(reload_log)
  grep -q 'reload failed; the running config stays in force' <<<"$out" ||
    e2e_fail "$1: the reload did not fail:"$'\n'"$out"
  # "<time> error [config] <line>", the line whole.
  [[ $(grep -F -- "$2" <<<"$out" | cut -d' ' -f2-) == "error [config] $2" ]] ||
    e2e_fail "$1: no error line exactly '$2' in the log:"$'\n'"$out"
  agent_alive "$1"
  ports=$(cli show ports -j | jq -S .)
  [[ $ports == "$ports_before" ]] ||
    e2e_fail "$1: show ports changed:"$'\n'"before: $ports_before"$'\n'"after:  $ports"
  e2e_log "$1: rejected, logged '$2'"
}

# h1 -> h2 every 10 ms until ping_stop. `ip netns exec` execs ping, so $!
# is ping's pid (SIGINT makes it stop and print its replies).
ping_out=$AGENTS_RUN_DIR/ping.out
ip netns exec "$(topo_ns h1)" ping -i 0.01 -W 1 "${TOPO_HOST_ADDR[h2]}" >"$ping_out" 2>&1 &
ping_pid=$!
sleep 1

# Replies by sequence number: a gap is a lost ping, the one still in flight
# when ping stopped is not.
ping_stop() {
  local seen
  kill -INT "$ping_pid"
  wait "$ping_pid" || true
  read -r last seen < <(awk -F'icmp_seq=' '/bytes from/ { split($2, a, " "); if (!(a[1] in s)) n++;
    s[a[1]] = 1; if (a[1] + 0 > max) max = a[1] + 0 } END { print max + 0, n + 0 }' "$ping_out")
  ((last > 100)) || e2e_fail "h1 -> h2: only $last pings answered:"$'\n'"$(tail -n 5 "$ping_out")"
  ((seen == last)) ||
    e2e_fail "h1 -> h2: $((last - seen)) of $last pings lost across the reloads"
  e2e_log "h1 -> h2 across the reloads: $seen/$last replies"
}

ports_before=$(cli show ports -j | jq -S .)

# a. Malformed files over CE1's config, SIGHUP.
e2e_log "a. malformed config + SIGHUP"
n=$(write_bad 'name = "vetha"' 'name = "vetha" "x"')
want=$("$NWBPF" config check "$cfg" 2>&1) && e2e_fail "config check accepts the bad file"
[[ $want == "$cfg:$n:16: TOML syntax error: "* ]] ||
  e2e_fail "config check: expected a syntax error at $cfg:$n:16, got: $want"
hup
expect_rejected "TOML syntax error" "$want"

n=$(write_bad "vlans = [$TOPO_VLAN]" "vlans = [$TOPO_VLAN, 4095]")
hup
expect_rejected "VLAN out of range" "$cfg:$n:14: port[0].vlans[1]: VLAN 4095 out of range 1..4094"

# b. A valid change: port vethm joins VLAN 99 on CE1.
e2e_log "b. second edge port + SIGHUP"
agents_config ce1 xdp --extra-port
cp "$cfg" "$good"
hup
out=$(reload_log)
grep -q ' reloaded ' <<<"$out" || e2e_fail "the reload adding vethm failed:"$'\n'"$out"
# The new port's entry and VLAN 99's member list, nothing else: vetha, the
# WAN, peers, flood list and next hops stay as they are.
maps=$(grep -o 'map [a-z_]*: [0-9]* written, [0-9]* deleted' <<<"$out" | sort | paste -sd ';')
[[ $maps == "map ports: 1 written, 0 deleted;map vlan_ports: 1 written, 0 deleted" ]] ||
  e2e_fail "reload adding vethm: expected writes of 1 port and 1 VLAN list, got '$maps':"$'\n'"$out"
grep -q 'programs: 2 attached, 0 hooks cleared' <<<"$out" ||
  e2e_fail "reload adding vethm: expected XDP and TC attached to vethm only:"$'\n'"$out"
if grep -q 'removed .* learned MACs' <<<"$out"; then
  e2e_fail "reload adding vethm removed learned MACs:"$'\n'"$out"
fi
agent_alive "the reload adding vethm"
row=$(cli show ports -j | jq -c '.[] | select(.name == "vethm")')
[[ $(jq -r '.state + " " + (.vlans | tostring)' <<<"${row:-null}") == "up [$TOPO_VLAN]" ]] ||
  e2e_fail "show ports on ce1: vethm should be up in VLAN $TOPO_VLAN, got: ${row:-nothing}"
e2e_log "vethm in show ports: $row"
vetha_after=$(cli show ports -j | jq -S '[.[] | select(.name != "vethm")]')
[[ $vetha_after == "$ports_before" ]] ||
  e2e_fail "the reload changed the other ports:"$'\n'"before: $ports_before"$'\n'"after:  $vetha_after"
e2e_ping_pairs 10 h4 h2 h3
e2e_ping_pairs 10 h4 h1

# c. The control socket's reload: same checks, answered to the caller.
e2e_log "c. reload over the control socket"
n=$(write_bad 'name = "vethm"' 'name = "vethm" "x"')
want=$("$NWBPF" config check "$cfg" 2>&1) && e2e_fail "config check accepts the bad file"
[[ $want == "$cfg:$n:16: TOML syntax error: "* ]] ||
  e2e_fail "config check: expected a syntax error at $cfg:$n:16, got: $want"
answer=$(e2e_control ce1 '{"command":"reload"}')
[[ $(jq -r '.ok' <<<"$answer") == false ]] || e2e_fail "reload of a bad file answered: $answer"
jq -r '.error' <<<"$answer" | grep -qxF -- "$want" ||
  e2e_fail "the answer to reload lacks the line '$want': $answer"
ports_before=$(cli show ports -j | jq -S .)
expect_rejected "reload request, TOML syntax error" "$want"
e2e_log "reload request answered: $answer"

cp "$good" "$cfg"
answer=$(e2e_control ce1 '{"command":"reload"}')
[[ $(jq -c '[.ok, .result.maps, .result.attached, .result.detached, .result.errors]' <<<"$answer") == \
  '[true,{},0,0,[]]' ]] || e2e_fail "reload of the unchanged good file should write nothing, answered: $answer"
e2e_log "reload request with the unchanged file: nothing written"

# d. vethm leaves the config again (the device stays): its entries go and
# so do our programs on it; it is the operator's device again.
e2e_log "d. port removed from the config + SIGHUP"
agents_config ce1 xdp
cp "$cfg" "$good"
hup
out=$(reload_log)
maps=$(grep -o 'map [a-z_]*: [0-9]* written, [0-9]* deleted' <<<"$out" | sort | paste -sd ';')
[[ $maps == "map ports: 0 written, 1 deleted;map vlan_ports: 1 written, 0 deleted" ]] ||
  e2e_fail "reload removing vethm: expected 1 port deleted and 1 VLAN list written, got '$maps':"$'\n'"$out"
[[ -z $(cli show ports -j | jq '.[] | select(.name == "vethm")') ]] ||
  e2e_fail "show ports on ce1 still lists vethm after it left the config"
xdp=$(topo_exec ce1 ip -j link show vethm | jq -c '.[0].xdp // empty')
tc=$(topo_exec ce1 tc filter show dev vethm ingress)
[[ -z $xdp && -z $tc ]] ||
  e2e_fail "programs left on vethm after it left the config: XDP ${xdp:-none}; tc ingress: ${tc:-none}"
entry=$(e2e_fdb_entry ce1 "${TOPO_HOST_MAC[h4]}")
[[ -z $entry ]] || e2e_fail "ce1 show fdb still has h4's MAC behind the removed port: $entry"
e2e_log "vethm removed: no entries, no programs left on it"

ping_stop
e2e_ping_pairs 5 h1 h2 h3
e2e_log "PASS"
