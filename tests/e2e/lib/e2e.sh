# shellcheck shell=bash
# Shared by the end-to-end tests: builds the seed topology with a per-run
# prefix and checks traffic between the edge hosts. Each test sources this,
# calls e2e_init, and fails with a message through e2e_fail.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NWBPF_SOURCE_DIR=$(cd "$E2E_DIR/../.." && pwd)
NWBPF_BUILD_DIR=${NWBPF_BUILD_DIR:-$NWBPF_SOURCE_DIR/build}
# ctest's SKIP_RETURN_CODE for these tests (tests/e2e/CMakeLists.txt).
E2E_SKIP=77

# shellcheck source=../../../scripts/lib/topology.sh
source "$NWBPF_SOURCE_DIR/scripts/lib/topology.sh"

e2e_log() { printf '[%s] %s\n' "${E2E_NAME:-e2e}" "$*"; }
e2e_fail() {
  trap - ERR
  printf '[%s] FAIL: %s\n' "${E2E_NAME:-e2e}" "$*" >&2
  _e2e_agent_diagnostics >&2
  exit 1
}

# On failure: what each agent logged last and its counters, so a failing run
# says why without being reproduced.
_e2e_agent_diagnostics() {
  [[ -n ${AGENTS_RUN_DIR:-} ]] || return 0
  local ce
  for ce in "${TOPO_ROUTE_SERVERS[@]}" "${TOPO_CES[@]}"; do
    [[ -f $AGENTS_RUN_DIR/$ce.log ]] || continue
    echo "----- $ce: last lines of nwbpfd's log"
    tail -n 20 "$AGENTS_RUN_DIR/$ce.log" || true
    echo "----- $ce: nwbpf show stats"
    agents_cli "$ce" show stats 2>&1 || true
  done
}

e2e_init() {
  E2E_NAME=$1
  if [[ $(id -u) != 0 ]]; then
    echo "[$E2E_NAME] SKIPPED: needs root (network namespaces, BPF)"
    exit "$E2E_SKIP"
  fi
  local tool
  for tool in ip bridge ethtool ping iperf3 jq ss nc; do
    command -v "$tool" >/dev/null || e2e_fail "'$tool' not found: run scripts/install-deps"
  done
  topo_init "nwbpf-$$-"
  set -E
  trap 'e2e_fail "line $LINENO: \"$BASH_COMMAND\" failed (exit $?)"' ERR
}

# Mounts this run's bpffs and makes the agent helpers available.
e2e_agents_init() {
  # shellcheck source=../../../scripts/lib/agents.sh
  source "$NWBPF_SOURCE_DIR/scripts/lib/agents.sh"
  agents_init "/run/nwbpf-e2e/nwbpf-$$"
}

# Sends one request line to CE's agent over its control socket and prints
# the answer line (what `nwbpf` does, without the CLI in between).
e2e_control() {  # ce request
  printf '%s\n' "$2" | topo_exec "$1" nc -U -N -w 5 "$AGENTS_RUN_DIR/$1.sock"
}

# The MAC's entry in `nwbpf show fdb -j` on CE (VNI 99), as compact JSON, or
# nothing.
e2e_fdb_entry() {  # ce mac
  agents_cli "$1" show fdb -j | jq -c --arg mac "$2" --argjson vni "$TOPO_VLAN" \
    '.[] | select(.mac == $mac and .vni == $vni)'
}

# Runs COMMAND every 0.1 s until it succeeds; fails naming WHAT after
# SECONDS.
# Seconds since T0 (an $EPOCHREALTIME), to the hundredth.
e2e_since() { awk -v t0="$1" -v t="$EPOCHREALTIME" 'BEGIN { printf "%.2f", t - t0 }'; }

e2e_wait_until() {  # seconds what command...
  local seconds=$1 what=$2 i
  shift 2
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  e2e_fail "$what: not within ${seconds}s"
}

# Runs COMMAND every 20 ms until it succeeds and prints the milliseconds
# since T0 (a `date +%s%N`); fails naming WHAT after SECONDS.
e2e_ms_until() {  # t0 seconds what command...
  local t0=$1 seconds=$2 what=$3 i
  shift 3
  for ((i = 0; i < seconds * 50; i++)); do
    if "$@"; then
      echo $((($(date +%s%N) - t0) / 1000000))
      return 0
    fi
    sleep 0.02
  done
  e2e_fail "$what: not within ${seconds}s"
}

# Every ordered pair of edge hosts pings: warm-up until one reply (ARP,
# learning, flooding), then `count` pings that must all come back.
e2e_ping_pairs() {  # count host...
  local count=$1 src dst out loss
  shift
  for src in "$@"; do
    for dst in "$@"; do
      [[ $src == "$dst" ]] && continue
      topo_warm_up "$src" "${TOPO_HOST_ADDR[$dst]}" ||
        e2e_fail "$src -> $dst (${TOPO_HOST_ADDR[$dst]}): no reply within the warm-up"
      out=$(topo_exec "$src" ping -c "$count" -i 0.05 -W 1 -q "${TOPO_HOST_ADDR[$dst]}" 2>&1) || true
      loss=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' <<<"$out")
      [[ $loss == 0 ]] || e2e_fail "$src -> $dst: ${loss:-?}% loss after warm-up:"$'\n'"$out"
      e2e_log "ping $src -> $dst: $count/$count replies"
    done
  done
}

# iperf3 TCP for `secs` seconds from src to dst; prints the rate and fails
# if the transfer fails or moves nothing.
e2e_iperf() {  # src dst secs
  local src=$1 dst=$2 secs=$3 json rate retr server
  topo_exec "$dst" iperf3 -s -1 -B "${TOPO_HOST_ADDR[$dst]}" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 50); do
    topo_exec "$dst" ss -Hltn 'sport = :5201' | grep -q . && break
    sleep 0.1
  done
  # A stalled transfer (packets dropped mid-stream) must fail here, not run
  # into ctest's timeout, which kills without cleaning up.
  json=$(topo_exec "$src" timeout $((secs + 15)) iperf3 -c "${TOPO_HOST_ADDR[$dst]}" \
    -t "$secs" --connect-timeout 3000 -J 2>&1) ||
    e2e_fail "iperf3 $src -> $dst failed: $(jq -r '.error // empty' <<<"$json" 2>/dev/null || echo "$json")"
  rate=$(jq -r '.end.sum_received.bits_per_second' <<<"$json")
  retr=$(jq -r '.end.sum_sent.retransmits' <<<"$json")
  wait "$server" || true
  awk -v r="$rate" 'BEGIN { exit !(r > 0) }' || e2e_fail "iperf3 $src -> $dst: nothing received"
  e2e_log "$(printf 'iperf3 TCP %s -> %s, %ss: %.1f Mbit/s received, %s retransmits' \
    "$src" "$dst" "$secs" "$(awk -v r="$rate" 'BEGIN { print r / 1e6 }')" "$retr")"
}
