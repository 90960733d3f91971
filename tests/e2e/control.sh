#!/usr/bin/env bash
# CE1's control socket and the CLI around it (xdp mode): `show peers -j`
# lists both peers; `show fdb -j` is what the agent answers on the socket;
# a request that is not JSON gets ok:false and the agent keeps serving; with
# the agent stopped, `show fdb` still reads the pinned maps while `show
# ports` (which needs the agent) exits 1 saying it cannot reach nwbpfd.
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"

e2e_init control
e2e_agents_init
topo_up
agents_up xdp
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"
sock=$AGENTS_RUN_DIR/ce1.sock

# Peers, from the generated config: CE2 and CE3, flooded in VNI 99.
want=$(jq -n -S --argjson vni "$TOPO_VLAN" '[
  {overlay: "10.0.0.2", nbma: "192.168.0.2", vnis: [$vni], origin: "static"},
  {overlay: "10.0.0.3", nbma: "192.168.0.3", vnis: [$vni], origin: "static"}]')
got=$(agents_cli ce1 show peers -j | jq -S 'sort_by(.overlay)')
[[ $got == "$want" ]] || e2e_fail "ce1 show peers -j:"$'\n'"$got"$'\n'"expected:"$'\n'"$want"
e2e_log "show peers -j: $(jq -c . <<<"$got")"

# The CLI reads the pinned maps, the agent its own handles: the same array,
# in the same order. Ages tick between the two reads, so they are left out.
strip_age='map(del(.age_s))'
cli_fdb=$(agents_cli ce1 show fdb -j | jq -S "$strip_age")
answer=$(e2e_control ce1 '{"command":"show","object":"fdb"}')
[[ $(jq -r '.ok' <<<"$answer") == true ]] || e2e_fail "show fdb over the socket answered: $answer"
agent_fdb=$(jq -S ".result | $strip_age" <<<"$answer")
[[ $cli_fdb == "$agent_fdb" ]] ||
  e2e_fail "show fdb differs:"$'\n'"CLI:   $(jq -c . <<<"$cli_fdb")"$'\n'"agent: $(jq -c . <<<"$agent_fdb")"
# Every host's MAC is there, so the comparison is not of two empty lists.
n=$(jq 'length' <<<"$cli_fdb")
((n == ${#TOPO_HOSTS[@]})) || e2e_fail "ce1 show fdb: $n entries, expected ${#TOPO_HOSTS[@]}: $cli_fdb"
e2e_log "show fdb -j: CLI and agent agree on $n entries"

# Not JSON: refused with a reason, and the agent goes on answering.
answer=$(e2e_control ce1 'show fdb please')
[[ $answer == '{"error":"malformed JSON at byte 1","ok":false}' ]] ||
  e2e_fail "a request that is not JSON answered: ${answer:-nothing}"
kill -0 "${AGENTS_PID[ce1]}" 2>/dev/null || e2e_fail "nwbpfd on ce1 exited after a malformed request"
agents_cli ce1 show ports >/dev/null || e2e_fail "nwbpfd on ce1 stopped answering after a malformed request"
e2e_log "malformed request answered: $answer"

# A client that connects and says nothing holds only its own session: the
# agent (one thread) answers others meanwhile.
# (`ip netns exec` execs nc, so $! is nc's pid; -d: it sends nothing.)
ip netns exec "$(topo_ns ce1)" nc -U -d "$sock" >/dev/null 2>&1 &
idle=$!
sleep 0.5
timeout 5 "$NWBPF" --socket "$sock" show ports >/dev/null ||
  e2e_fail "show ports got no answer while another client held an idle connection"
kill -0 "$idle" 2>/dev/null || e2e_fail "the idle client's connection did not stay open"
kill "$idle"
wait "$idle" 2>/dev/null || true
e2e_log "an idle client does not hold up others"

# Agent stopped: maps stay pinned, the socket is gone.
agents_kill ce1 TERM
e2e_log "nwbpfd on ce1 stopped (SIGTERM)"
out=$(agents_cli ce1 show fdb -j) || e2e_fail "show fdb with the agent down failed: $out"
[[ $(jq -S "$strip_age" <<<"$out") == "$cli_fdb" ]] ||
  e2e_fail "show fdb with the agent down differs:"$'\n'"before: $cli_fdb"$'\n'"after:  $out"
rc=0
err=$(agents_cli ce1 show ports 2>&1) || rc=$?
((rc == 1)) || e2e_fail "show ports with the agent down exited $rc, expected 1: $err"
[[ $err == *"cannot reach nwbpfd at $sock: "* ]] ||
  e2e_fail "show ports with the agent down said: $err"
e2e_log "agent down: show fdb from the pins, show ports exits 1: $err"
e2e_log "PASS"
