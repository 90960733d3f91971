#!/usr/bin/env bash
# A configured edge port that does not exist (xdp mode): CE1's agent starts
# with port "vethm" (host h4, 172.16.0.4, VLAN 99) while the device sits in
# h4's namespace. The agent must run, warn once naming the port and show it
# missing; once the device is moved into CE1 and brought up it is attached
# within a few seconds and h4 reaches the other hosts; when the device is
# deleted the agent carries on, shows it missing and forgets h4's MAC.
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"

e2e_init missing_port
e2e_agents_init
# shellcheck disable=SC2034  # read by topo_up and agents_config
TOPO_HOST_CE["h4"]=ce1
# shellcheck disable=SC2034
TOPO_HOST_ADDR["h4"]=172.16.0.4
topo_up --extra-host
# Park CE1's end of h4's veth in h4's namespace: CE1 has no vethm.
topo_exec ce1 ip link set vethm netns "$(topo_ns h4)"
agents_up xdp --extra-port
log=$AGENTS_RUN_DIR/ce1.log
cfg=$(agents_config_path ce1)
mac=${TOPO_HOST_MAC[h4]}

# vethm's row of `show ports -j` on CE1 as "state path", e.g. "up xdp".
vethm_row() {
  agents_cli ce1 show ports -j | jq -r '.[] | select(.name == "vethm") | "\(.state) \(.path)"'
}

# Waits until vethm's row matches the regex; fails after `secs` seconds.
wait_vethm() {  # regex secs what
  local row=""
  for ((i = 0; i < $2 * 10; i++)); do
    row=$(vethm_row)
    [[ $row =~ $1 ]] && return 0
    sleep 0.1
  done
  e2e_fail "ce1 show ports: vethm is '${row:-absent}' ${2}s after $3, expected /$1/"$'\n'"$(agents_cli ce1 show ports)"
}

alive() {
  kill -0 "${AGENTS_PID[ce1]}" 2>/dev/null || e2e_fail "nwbpfd on ce1 exited $1"
}

# 1. Started without the device.
sleep 3  # at least one link poll (every 2 s) with vethm still missing
alive "without vethm"
[[ $(vethm_row) == "missing "* ]] || e2e_fail "ce1 show ports: vethm is '$(vethm_row)', expected missing"
# At the position of vethm's [[port]] header, the line above its name.
port_line=$(grep -n -m1 -Fx 'name = "vethm"' "$cfg" | cut -d: -f1)
want="$cfg:$((port_line - 1)):1: port vethm does not exist; waiting for it"
warnings=$(grep -F -- "$want" "$log" | cut -d' ' -f2-) || true
[[ $warnings == "warning [reconcile] $want" ]] ||
  e2e_fail "ce1 log: expected the warning '$want' exactly once, got:"$'\n'"${warnings:-nothing}"
e2e_log "vethm missing, logged: $want"
e2e_ping_pairs 5 h1 h2

# 2. The device arrives.
topo_exec h4 ip link set vethm netns "$(topo_ns ce1)"
topo_exec ce1 ip link set vethm up
e2e_log "vethm moved into ce1 and up"
wait_vethm '^up (xdp|tc)$' 5 "vethm appeared"
e2e_log "ce1 show ports: vethm $(vethm_row)"
e2e_ping_pairs 10 h4 h2 h3
e2e_ping_pairs 10 h4 h1
entry=$(e2e_fdb_entry ce1 "$mac")
[[ $(jq -r '.port' <<<"${entry:-null}") == vethm ]] ||
  e2e_fail "ce1 show fdb: $mac should be learned on vethm, got: ${entry:-nothing}"

# 3. The device goes.
topo_exec ce1 ip link del vethm
e2e_log "vethm deleted"
wait_vethm '^missing ' 5 "vethm was deleted"
alive "after vethm was deleted"
entry=$(e2e_fdb_entry ce1 "$mac")
[[ -z $entry ]] || e2e_fail "ce1 show fdb still has h4's MAC behind the deleted port: $entry"
e2e_ping_pairs 5 h1 h2 h3
alive "at the end"
e2e_log "PASS"
