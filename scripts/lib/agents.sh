# shellcheck shell=bash
# Runs one nwbpfd per node of the seed topology (scripts/lib/topology.sh must
# be sourced and topo_init done), each inside its node's namespace: in static
# mode (peers and flood lists from a generated config, MACs learned by the
# data plane), or with EVPN (the route server's nwbpfd reflects, the CEs learn
# remote MACs and flood lists from it). Sourced by scripts/demo and tests/e2e.
#
#   agents_init RUN_DIR        mount a bpffs at RUN_DIR/bpffs (outside /sys:
#                              `ip netns exec` remounts /sys, hiding pins there)
#   agents_config CE MODE [--tagged] [--extra-port]
#                              write RUN_DIR/CE.toml (MODE: xdp|tc|kernel-tunnel;
#                              --extra-port adds port "vethm", topo_up --extra-host)
#   agents_config_evpn CE MODE [--tagged] [--extra-port] RR[,RR...] [LINE...]
#                              CE's static config (agents_config options) without
#                              its flood list, plus [bgp]: AS $AGENTS_EVPN_AS, the
#                              route reflectors RR (NBMA addresses, or overlay
#                              ones with [nhrp]), hold time 9 s, and LINEs
#                              ('key = value')
#   agents_route_reflectors    the WAN addresses of TOPO_ROUTE_SERVERS, as RR above
#   agents_config_rs [NODE [LINE...]]
#                              RUN_DIR/NODE.toml (default rs): that route server,
#                              reflecting for the WAN (192.168.0.0/24), hold
#                              time 9 s, and LINEs in its [bgp]
#   agents_config_nhrp CE MODE [HOLDING_S]
#                              CE's EVPN config with every route server as
#                              reflector named by its overlay address (NHRP
#                              resolves it), without [[peer]] tables, plus [nhrp]
#                              registering with every route server (overlay
#                              $AGENTS_OVERLAY_RANGE, holding time HOLDING_S,
#                              default 60)
#   agents_config_nhrp_rs [NODE [BGP_LINE...]]
#                              agents_config_rs plus [nhrp]: NHS and relay
#   agents_start CE            start nwbpfd, log to RUN_DIR/CE.log
#   agents_up MODE [options]   agents_config + agents_start + wait, every CE
#   agents_wait_ready CE       wait until the agent answers `show ports`
#   agents_kill CE [SIGNAL]    signal the agent (default TERM) and wait for it
#   agents_cli CE ARGS...      run `nwbpf -c RUN_DIR/CE.toml ARGS...` in CE's netns
#
# AGENTS_CONFIG_FILE[NODE]=FILE: NODE's agent takes FILE as it is (e.g.
# nante-wan.conf) in place of RUN_DIR/NODE.toml. Such a file may leave the
# paths at their defaults (/sys/fs/bpf, /run/nwbpf, /var/lib/nwbpf): the
# agent gets this run's bpffs and RUN_DIR/NODE/{run,state} bound there, in
# the mount namespace `ip netns exec` gives it, and agents_cli enters that
# namespace, so the host's own paths are never touched.
#
# AGENTS_ARGS[NODE]="ARGS": more nwbpfd arguments for NODE (split on spaces),
# e.g. --plaintext.
#
# Binaries: $NWBPFD and $NWBPF, default $NWBPF_BUILD_DIR/agent/{daemon,cli}/...;
# the BPF object: $NWBPF_BPF_OBJECT, default $NWBPF_BUILD_DIR/bpf/nwbpf.bpf.o.

AGENTS_RUN_DIR=""
AGENTS_EVPN_AS=65000
AGENTS_OVERLAY_RANGE=10.0.0.0/16
declare -gA AGENTS_PID=() AGENTS_CONFIG_FILE=() AGENTS_ARGS=()

_agents_paths() {
  local build=${NWBPF_BUILD_DIR:?NWBPF_BUILD_DIR is not set}
  NWBPFD=${NWBPFD:-$build/agent/daemon/nwbpfd}
  NWBPF=${NWBPF:-$build/agent/cli/nwbpf}
  NWBPF_BPF_OBJECT=${NWBPF_BPF_OBJECT:-$build/bpf/nwbpf.bpf.o}
  local f
  for f in "$NWBPFD" "$NWBPF" "$NWBPF_BPF_OBJECT"; do
    [[ -f $f ]] || topo_die "$f does not exist: build first (cmake --build $build)"
  done
}

# Unmounts and removes run directories of runs whose process is gone
# (RUN_DIR ends in nwbpf-<pid>), so killed tests do not pile up bpffs mounts.
_agents_sweep_stale() {
  local parent=$1 dir pid
  for dir in "$parent"/nwbpf-*; do
    [[ -d $dir && $dir =~ /nwbpf-([0-9]+)$ ]] || continue
    pid=${BASH_REMATCH[1]}
    kill -0 "$pid" 2>/dev/null && continue
    umount "$dir/bpffs" 2>/dev/null || true
    rm -rf "$dir"
  done
}

agents_init() {
  AGENTS_RUN_DIR=$1
  _agents_paths
  _agents_sweep_stale "$(dirname "$AGENTS_RUN_DIR")"
  mkdir -p "$AGENTS_RUN_DIR/bpffs"
  if ! mountpoint -q "$AGENTS_RUN_DIR/bpffs"; then
    mount -t bpf bpf "$AGENTS_RUN_DIR/bpffs" || topo_die "cannot mount a bpffs at $AGENTS_RUN_DIR/bpffs"
  fi
  # topo_down runs hooks before deleting the namespaces: stop the agents,
  # then drop the pins with the mount.
  topo_on_down "_agents_down"
}

_agents_down() {
  local ce
  for ce in "${!AGENTS_PID[@]}"; do agents_kill "$ce" TERM; done
  [[ -n $AGENTS_RUN_DIR ]] || return 0
  umount "$AGENTS_RUN_DIR/bpffs" 2>/dev/null || true
}

agents_config_path() {
  if [[ -n ${AGENTS_CONFIG_FILE[$1]:-} ]]; then
    printf '%s' "${AGENTS_CONFIG_FILE[$1]}"
  else
    printf '%s/%s.toml' "$AGENTS_RUN_DIR" "$1"
  fi
}

agents_config() {
  local ce=$1 mode=$2 tagged=false extra=0 peer vteps="" sep=""
  shift 2
  while (($#)); do
    case $1 in
      --tagged) tagged=true; shift ;;
      --extra-port) extra=1; shift ;;
      *) topo_die "agents_config: unknown option '$1'" ;;
    esac
  done
  case $mode in xdp | tc | kernel-tunnel) ;; *) topo_die "unknown mode '$mode' (xdp|tc|kernel-tunnel)" ;; esac
  for peer in "${TOPO_CES[@]}"; do
    [[ $peer == "$ce" ]] && continue
    vteps+="$sep\"${TOPO_OVERLAY_ADDR[$peer]}\""
    sep=", "
  done
  {
    cat <<EOF
# Generated by scripts/lib/agents.sh for $(topo_ns "$ce").
[agent]
instance = "$(topo_ns "$ce")"
bpffs = "$AGENTS_RUN_DIR/bpffs"
control_socket = "$AGENTS_RUN_DIR/$ce.sock"
log_level = "debug"
bpf_object = "$NWBPF_BPF_OBJECT"

[node]
overlay_address = "${TOPO_OVERLAY_ADDR[$ce]}"
nbma_address = "${TOPO_WAN_ADDR[$ce]}"
wan_interface = "eth0"

[dataplane]
mode = "$mode"
learn_remote = true

[[port]]
name = "vetha"
tagged = $tagged
vlans = [$TOPO_VLAN]
EOF
    if ((extra)) && [[ $ce == "${TOPO_HOST_CE[h4]}" ]]; then
      printf '\n[[port]]\nname = "vethm"\ntagged = %s\nvlans = [%s]\n' "$tagged" "$TOPO_VLAN"
    fi
    for peer in "${TOPO_CES[@]}"; do
      [[ $peer == "$ce" ]] && continue
      printf '\n[[peer]]\noverlay = "%s"\nnbma = "%s"\n' "${TOPO_OVERLAY_ADDR[$peer]}" "${TOPO_WAN_ADDR[$peer]}"
    done
    printf '\n[[flood]]\nvni = %s\nvteps = [%s]\n' "$TOPO_VLAN" "$vteps"
  } >"$(agents_config_path "$ce")"
}

agents_config_evpn() {  # ce mode [agents_config options] rr[,rr...] [line...]
  local ce=$1 mode=$2 options=() rr f
  shift 2
  while [[ ${1:-} == --* ]]; do options+=("$1"); shift; done
  rr=${1:?agents_config_evpn: no route reflector}
  shift
  agents_config "$ce" "$mode" "${options[@]}"
  f=$(agents_config_path "$ce")
  sed -i '/^\[\[flood\]\]$/,/^vteps = /d' "$f"
  grep -q '^\[\[flood\]\]' "$f" && topo_die "flood list still in $f"
  # 192.168.0.10,192.168.0.11 -> "192.168.0.10", "192.168.0.11"
  printf '\n[bgp]\nas = %s\nroute_reflectors = ["%s"]\nhold_time = 9\n' \
    "$AGENTS_EVPN_AS" "${rr//,/\", \"}" >>"$f"
  (($# == 0)) || printf '%s\n' "$@" >>"$f"
}

agents_route_reflectors() {
  local node addrs=()
  for node in "${TOPO_ROUTE_SERVERS[@]}"; do addrs+=("${TOPO_WAN_ADDR[$node]}"); done
  (IFS=,; printf '%s' "${addrs[*]}")
}

agents_config_rs() {  # [node [line...]]
  local node=${1:-rs}
  (($# == 0)) || shift
  [[ " ${TOPO_ROUTE_SERVERS[*]} " == *" $node "* ]] ||
    topo_die "agents_config_rs: '$node' is not a route server of this topology (${TOPO_ROUTE_SERVERS[*]})"
  {
    cat <<EOF
# Generated by scripts/lib/agents.sh for $(topo_ns "$node").
[agent]
instance = "$(topo_ns "$node")"
roles = ["route-server"]
bpffs = "$AGENTS_RUN_DIR/bpffs"
control_socket = "$AGENTS_RUN_DIR/$node.sock"
log_level = "debug"
bpf_object = "$NWBPF_BPF_OBJECT"

[node]
overlay_address = "${TOPO_OVERLAY_ADDR[$node]}"
nbma_address = "${TOPO_WAN_ADDR[$node]}"
wan_interface = "eth0"

[bgp]
as = $AGENTS_EVPN_AS
listen_range = "192.168.0.0/24"
hold_time = 9
EOF
    (($# == 0)) || printf '%s\n' "$@"
  } >"$(agents_config_path "$node")"
}

agents_config_nhrp() {  # ce mode [holding_s]
  local ce=$1 mode=$2 holding=${3:-60} f node servers=() reflectors=()
  # Route reflectors by overlay address, as nante-wan.conf's rr_addr*:
  # NHRP resolves them (each NHS's reply names its overlay address).
  for node in "${TOPO_ROUTE_SERVERS[@]}"; do reflectors+=("${TOPO_OVERLAY_ADDR[$node]}"); done
  agents_config_evpn "$ce" "$mode" "$(IFS=,; printf '%s' "${reflectors[*]}")"
  f=$(agents_config_path "$ce")
  sed -i '/^\[\[peer\]\]$/,/^nbma = /d' "$f"
  grep -q '^\[\[peer\]\]' "$f" && topo_die "peers still in $f"
  for node in "${TOPO_ROUTE_SERVERS[@]}"; do servers+=("\"${TOPO_WAN_ADDR[$node]}\""); done
  printf '\n[nhrp]\noverlay_range = "%s"\nservers = [%s]\nholding_time = %s\n' \
    "$AGENTS_OVERLAY_RANGE" "$(IFS=,; printf '%s' "${servers[*]}")" "$holding" >>"$f"
}

agents_config_nhrp_rs() {  # [node [bgp_line...]]
  local node=${1:-rs}
  (($# == 0)) || shift
  agents_config_rs "$node" "$@" "[nhrp]" "overlay_range = \"$AGENTS_OVERLAY_RANGE\""
}

# With AGENTS_DETACH=1 the agent gets its own session (setsid), so it outlives
# the calling script and its terminal (the demo).
agents_start() {
  local ce=$1 detach=() private=() extra=()
  [[ ${AGENTS_DETACH:-0} == 1 ]] && detach=(setsid)
  read -ra extra <<<"${AGENTS_ARGS[$ce]:-}"
  if [[ -n ${AGENTS_CONFIG_FILE[$ce]:-} ]]; then
    mkdir -p /run/nwbpf /var/lib/nwbpf "$AGENTS_RUN_DIR/$ce/run" "$AGENTS_RUN_DIR/$ce/state"
    # shellcheck disable=SC2016  # expanded by that sh
    private=(sh -c 'mount --bind "$1" /sys/fs/bpf && mount --bind "$2" /run/nwbpf &&
                    mount --bind "$3" /var/lib/nwbpf && shift 3 && exec "$@"'
             sh "$AGENTS_RUN_DIR/bpffs" "$AGENTS_RUN_DIR/$ce/run" "$AGENTS_RUN_DIR/$ce/state")
  fi
  "${detach[@]}" ip netns exec "$(topo_ns "$ce")" "${private[@]}" "$NWBPFD" -c "$(agents_config_path "$ce")" "${extra[@]}" \
    >>"$AGENTS_RUN_DIR/$ce.log" 2>&1 </dev/null &
  # setsid (not a group leader here), `ip netns exec` and that sh all exec:
  # this pid is the agent's.
  AGENTS_PID[$ce]=$!
}

agents_cli() {
  local ce=$1
  shift
  if [[ -n ${AGENTS_CONFIG_FILE[$ce]:-} ]]; then
    nsenter --target "${AGENTS_PID[$ce]:?$ce: no agent running}" --mount --net \
      "$NWBPF" -c "$(agents_config_path "$ce")" "$@"
  else
    topo_exec "$ce" "$NWBPF" -c "$(agents_config_path "$ce")" "$@"
  fi
}

agents_wait_ready() {  # ce [timeout_s]
  local ce=$1 timeout=${2:-20} i
  for ((i = 0; i < timeout * 10; i++)); do
    if ! kill -0 "${AGENTS_PID[$ce]}" 2>/dev/null; then
      topo_die "nwbpfd on $ce exited; its log ($AGENTS_RUN_DIR/$ce.log):"$'\n'"$(tail -n 30 "$AGENTS_RUN_DIR/$ce.log")"
    fi
    agents_cli "$ce" show ports >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  topo_die "nwbpfd on $ce did not answer 'show ports' within ${timeout}s; its log:"$'\n'"$(tail -n 30 "$AGENTS_RUN_DIR/$ce.log")"
}

agents_kill() {  # ce [signal]
  local ce=$1 sig=${2:-TERM} pid=${AGENTS_PID[$1]:-}
  [[ -n $pid ]] || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "AGENTS_PID[$ce]"
}

# Writes every CE's config for MODE, starts the agents and waits for them.
agents_up() {  # mode [agents_config options]
  local mode=$1 ce
  shift
  for ce in "${TOPO_CES[@]}"; do
    agents_config "$ce" "$mode" "$@"
    agents_start "$ce"
  done
  for ce in "${TOPO_CES[@]}"; do agents_wait_ready "$ce"; done
}
