# shellcheck shell=bash
# The seed topology of Nante-WAN's example set-up, built from network
# namespaces and veth pairs. Sourced by scripts/demo and tests/e2e/*.sh.
#
#            underlay netns "ul": bridge br0, 192.168.0.0/24 (veths, GRO on)
#        ce1 ----------- ce2 ----------- ce3 ----------- rs ----------- rs2
#         |               |               |               |              |
#   CE1 eth0 .1      CE2 eth0 .2     CE3 eth0 .3     RS eth0 .10   RS2 eth0 .11
#   CE1 vetha        CE2 vetha       CE3 vetha       route servers, no edge port
#         |               |               |          (rs2 only with --route-servers 2)
#   h1 vethb         h2 vethb        h3 vethb        edge hosts 172.16.0.N/24
#
# A node's overlay address is 10.0.0.<the last octet of its WAN address>.
#
# Every namespace is named "<prefix><node>", the prefix being unique per run
# (nwbpf-<pid>- for tests), so parallel and leftover runs never collide, and
# interfaces are created straight inside their namespaces (never in the root
# namespace, where two runs would clash on names).
#
# Usage:
#   topo_init PREFIX          set the prefix, sweep leftovers of dead runs, trap exit
#   topo_up [options]         build it; options:
#       --edge-xdp yes|no     edge hosts' vethb can receive XDP-redirected frames
#                             (GRO on) or not (GRO off: the agent must use TC there)
#       --tagged              vetha carries VLAN 99 tagged: hosts tag on vethb with
#                             the TC programs of $TOPO_VLAN_HOST_OBJ
#                             (tests/e2e/vlan_host.bpf.c; the kernel has no 802.1Q)
#       --extra-host          h4 behind CE2 on port "vethm", MAC 02:00:ac:10:00:04,
#                             no address (for the MAC move test)
#       --route-servers 1|2   route server nodes: rs, or rs and rs2 (default 1);
#                             TOPO_ROUTE_SERVERS lists them
#       --nat CE              put CE behind a NAT: namespace "CE-nat" takes CE's
#                             seed address on the underlay (TOPO_PUBLIC_ADDR[CE])
#                             and masquerades CE's private one (10.99.0.2/24,
#                             now TOPO_WAN_ADDR[CE]), UDP to source ports
#                             20000-29999, so the NAT'd port is never 4789
#   topo_ns NODE              full namespace name of ul|rs|rs2|ce1..3|h1..4|CE-nat
#   topo_exec NODE CMD...     run CMD in NODE's namespace
#   topo_down                 kill what runs in our namespaces, delete them,
#                             run the registered cleanup hooks (topo_on_down)

# shellcheck disable=SC2034  # read by the scripts that source this file
TOPO_CES=(ce1 ce2 ce3)
TOPO_HOSTS=(h1 h2 h3)
# The route server nodes topo_up built (--route-servers).
TOPO_ROUTE_SERVERS=(rs)
TOPO_VLAN=99
# Edge MTU leaves room for the 50 bytes of VXLAN (outer Ethernet excluded) on
# the 1500-byte underlay; there is no MSS clamping yet (a later issue).
TOPO_EDGE_MTU=${TOPO_EDGE_MTU:-1450}

declare -gA TOPO_WAN_ADDR=([ce1]=192.168.0.1 [ce2]=192.168.0.2 [ce3]=192.168.0.3 [rs]=192.168.0.10
                           [rs2]=192.168.0.11)
declare -gA TOPO_OVERLAY_ADDR=([ce1]=10.0.0.1 [ce2]=10.0.0.2 [ce3]=10.0.0.3 [rs]=10.0.0.10
                               [rs2]=10.0.0.11)
declare -gA TOPO_HOST_ADDR=([h1]=172.16.0.1 [h2]=172.16.0.2 [h3]=172.16.0.3)
declare -gA TOPO_HOST_MAC=([h1]=02:00:ac:10:00:01 [h2]=02:00:ac:10:00:02
                          [h3]=02:00:ac:10:00:03 [h4]=02:00:ac:10:00:04)
declare -gA TOPO_HOST_CE=([h1]=ce1 [h2]=ce2 [h3]=ce3 [h4]=ce2)
declare -gA TOPO_HOST_PORT=([h1]=vetha [h2]=vetha [h3]=vetha [h4]=vethm)

# A NAT'd CE's address as the others see it (topo_up --nat).
declare -gA TOPO_PUBLIC_ADDR=()
TOPO_NAT_PRIVATE_ADDR=10.99.0.2
TOPO_NAT_INSIDE_ADDR=10.99.0.1

TOPO_PREFIX=""
TOPO_TAGGED=0
TOPO_HOOKS=()

topo_log() { printf '[topo] %s\n' "$*" >&2; }
topo_die() { printf '[topo] FAIL: %s\n' "$*" >&2; exit 1; }

topo_ns() { printf '%s%s' "$TOPO_PREFIX" "$1"; }
topo_exec() { local node=$1; shift; ip netns exec "$(topo_ns "$node")" "$@"; }
# Registers a command run by topo_down before the namespaces go (stop agents,
# unmount a bpffs, ...). Hooks run in reverse order of registration.
topo_on_down() { TOPO_HOOKS+=("$*"); }

# Deletes the namespaces of earlier runs whose owning process is gone
# (nwbpf-<pid>-*): a killed test must not leave the next one colliding.
topo_sweep_stale() {
  local ns pid
  while read -r ns _; do
    [[ $ns =~ ^nwbpf-([0-9]+)- ]] || continue
    pid=${BASH_REMATCH[1]}
    kill -0 "$pid" 2>/dev/null && continue
    topo_log "removing leftover namespace $ns (run $pid is gone)"
    _topo_kill_ns "$ns"
    ip netns delete "$ns" 2>/dev/null || true
  done < <(ip netns list)
}

topo_init() {
  TOPO_PREFIX=$1
  [[ $(id -u) == 0 ]] || topo_die "must run as root (creates network namespaces)"
  command -v ip >/dev/null || topo_die "iproute2 'ip' not found: run scripts/install-deps"
  command -v ethtool >/dev/null || topo_die "ethtool not found: run scripts/install-deps"
  topo_sweep_stale
  trap 'topo_down' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}

# Processes started in a namespace keep it (and its veths) alive after
# `ip netns delete`: end them first. These are our own agents, pings, iperfs.
_topo_kill_ns() {
  local ns=$1 pids
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [[ -n $pids ]] || return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 20); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -n $pids ]] || return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
}

# Runs as the EXIT trap; the script's exit status stays the one it exited with.
topo_down() {
  local i ns
  trap - EXIT ERR
  for ((i = ${#TOPO_HOOKS[@]} - 1; i >= 0; i--)); do
    eval "${TOPO_HOOKS[i]}" || true
  done
  TOPO_HOOKS=()
  if [[ -n $TOPO_PREFIX ]]; then
    while read -r ns _; do
      [[ $ns == "$TOPO_PREFIX"* ]] || continue
      _topo_kill_ns "$ns"
      ip netns delete "$ns" 2>/dev/null || true
    done < <(ip netns list)
  fi
  return 0
}

_topo_add_ns() {
  local ns
  ns=$(topo_ns "$1")
  ip netns add "$ns" || topo_die "cannot create namespace $ns (left over? try: ip netns delete $ns)"
  ip -n "$ns" link set lo up
}

# veth pair with each end created directly inside its namespace.
_topo_veth() {  # node_a if_a node_b if_b
  ip link add "$2" netns "$(topo_ns "$1")" type veth peer name "$4" netns "$(topo_ns "$3")"
}

_topo_underlay() {
  local node
  _topo_add_ns ul
  topo_exec ul ip link add br0 type bridge
  topo_exec ul ip link set br0 up
  for node in "${TOPO_CES[@]}" "${TOPO_ROUTE_SERVERS[@]}"; do
    _topo_add_ns "$node"
    if [[ -n ${TOPO_PUBLIC_ADDR[$node]:-} ]]; then
      _topo_nat "$node"
      continue
    fi
    _topo_veth "$node" eth0 ul "$node"
    topo_exec ul ip link set "$node" master br0 up
    # CE XDP programs redirect encapsulated frames out of eth0; a veth only
    # delivers XDP frames when its peer runs NAPI, which GRO turns on.
    topo_exec ul ethtool -K "$node" gro on >/dev/null
    topo_exec "$node" ip addr add "${TOPO_WAN_ADDR[$node]}/24" dev eth0
    topo_exec "$node" ip link set eth0 up
  done
}

# node (eth0, private) -- in0 [node-nat: masquerade] eth0 -- ul bridge.
# UDP gets source ports 20000-29999 (Linux would otherwise keep 4789), so
# peers must learn the NAT'd port; GRE (NHRP) and TCP (BGP) are masqueraded
# too. Every mapping is opened from inside, as behind a home or office NAT.
_topo_nat() {  # node
  local node=$1 nat=$1-nat
  _topo_add_ns "$nat"
  _topo_veth "$node" eth0 "$nat" in0
  _topo_veth "$nat" eth0 ul "$node"
  topo_exec ul ip link set "$node" master br0 up
  topo_exec ul ethtool -K "$node" gro on >/dev/null
  topo_exec "$nat" ethtool -K in0 gro on >/dev/null
  topo_exec "$nat" ip addr add "$TOPO_NAT_INSIDE_ADDR/24" dev in0
  topo_exec "$nat" ip addr add "${TOPO_PUBLIC_ADDR[$node]}/24" dev eth0
  topo_exec "$nat" ip link set in0 up
  topo_exec "$nat" ip link set eth0 up
  topo_exec "$nat" sysctl -qw net.ipv4.ip_forward=1
  topo_exec "$nat" nft -f - <<'EOF_NFT'
table ip nat {
  chain postrouting {
    type nat hook postrouting priority srcnat;
    oifname "eth0" meta l4proto udp masquerade to :20000-29999
    oifname "eth0" masquerade
  }
}
EOF_NFT
  topo_exec "$node" ip addr add "${TOPO_WAN_ADDR[$node]}/24" dev eth0
  topo_exec "$node" ip link set eth0 up
  topo_exec "$node" ip route add default via "$TOPO_NAT_INSIDE_ADDR"
}

_topo_edge_host() {  # host edge_xdp
  local host=$1 edge_xdp=$2 ce=${TOPO_HOST_CE[$1]} port=${TOPO_HOST_PORT[$1]}
  _topo_add_ns "$host"
  _topo_veth "$ce" "$port" "$host" vethb
  topo_exec "$ce" ip link set "$port" mtu "$TOPO_EDGE_MTU" up
  topo_exec "$host" ip link set vethb address "${TOPO_HOST_MAC[$host]}" mtu "$TOPO_EDGE_MTU" up
  # The host's TCP/UDP stack would otherwise leave checksums to the "hardware"
  # (CHECKSUM_PARTIAL). Veth passes such an skb on with the checksum still
  # unfilled; the CE's XDP program redirects the raw frame, which loses the
  # skb's "checksum pending" mark, so the far host would receive a wrong
  # checksum and drop it. Real NICs compute it on transmit; veth never does.
  topo_exec "$host" ethtool -K vethb tx off >/dev/null
  # XDP frames redirected into vetha reach vethb only if vethb runs NAPI
  # (GRO on, or an XDP program on it). "no" models a port the agent must
  # serve through TC.
  if [[ $edge_xdp == yes ]]; then
    topo_exec "$host" ethtool -K vethb gro on >/dev/null
  else
    topo_exec "$host" ethtool -K vethb gro off >/dev/null
  fi
  if ((TOPO_TAGGED)); then
    # No 802.1Q devices in the host kernel: TC programs tag/untag on vethb.
    # GSO off: a super-packet must be segmented before the tag is written.
    topo_exec "$host" ethtool -K vethb gso off >/dev/null
    topo_exec "$host" tc qdisc add dev vethb clsact
    topo_exec "$host" tc filter add dev vethb egress bpf direct-action \
      obj "$TOPO_VLAN_HOST_OBJ" sec tc/egress
    topo_exec "$host" tc filter add dev vethb ingress bpf direct-action \
      obj "$TOPO_VLAN_HOST_OBJ" sec tc/ingress
  fi
  if [[ -n ${TOPO_HOST_ADDR[$host]:-} ]]; then
    topo_exec "$host" ip addr add "${TOPO_HOST_ADDR[$host]}/24" dev vethb
  fi
}

topo_up() {
  local edge_xdp=yes extra=0 host nat=""
  TOPO_TAGGED=0
  TOPO_ROUTE_SERVERS=(rs)
  while (($#)); do
    case $1 in
      --edge-xdp)
        [[ ${2:-} == yes || ${2:-} == no ]] || topo_die "--edge-xdp takes yes or no, got '${2:-}'"
        edge_xdp=$2; shift 2 ;;
      --tagged)
        [[ -f ${TOPO_VLAN_HOST_OBJ:-} ]] ||
          topo_die "--tagged needs TOPO_VLAN_HOST_OBJ (built tests/e2e/vlan_host.bpf.o), got '${TOPO_VLAN_HOST_OBJ:-}'"
        TOPO_TAGGED=1; shift ;;
      --extra-host) extra=1; shift ;;
      --route-servers)
        case ${2:-} in
          1) TOPO_ROUTE_SERVERS=(rs) ;;
          2) TOPO_ROUTE_SERVERS=(rs rs2) ;;
          *) topo_die "--route-servers takes 1 or 2, got '${2:-}'" ;;
        esac
        shift 2 ;;
      --nat)
        [[ " ${TOPO_CES[*]} " == *" ${2:-} "* ]] || topo_die "--nat takes a CE (${TOPO_CES[*]}), got '${2:-}'"
        [[ -z $nat ]] || topo_die "--nat: one CE at most"
        nat=$2; shift 2 ;;
      *) topo_die "topo_up: unknown option '$1'" ;;
    esac
  done
  [[ -n $TOPO_PREFIX ]] || topo_die "topo_up before topo_init"
  if [[ -n $nat ]]; then
    TOPO_PUBLIC_ADDR[$nat]=${TOPO_WAN_ADDR[$nat]}
    TOPO_WAN_ADDR[$nat]=$TOPO_NAT_PRIVATE_ADDR
  fi
  topo_log "building seed topology, prefix $TOPO_PREFIX (edge XDP-capable: $edge_xdp, tagged: $TOPO_TAGGED, route servers: ${TOPO_ROUTE_SERVERS[*]}, NAT: ${nat:-none})"
  _topo_underlay
  for host in "${TOPO_HOSTS[@]}"; do _topo_edge_host "$host" "$edge_xdp"; done
  if ((extra)); then _topo_edge_host h4 "$edge_xdp"; fi
}

# Pings until one reply arrives (ARP, learning and flooding settle), at most
# `tries` seconds. Returns non-zero if nothing came back.
topo_warm_up() {  # host dst_ip [tries]
  local tries=${3:-15}
  for ((i = 0; i < tries; i++)); do
    topo_exec "$1" ping -c 1 -W 1 -q "$2" >/dev/null 2>&1 && return 0
  done
  return 1
}

topo_quiet_hosts() {
  local host
  for host in "${TOPO_HOSTS[@]}"; do
    topo_exec "$host" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    topo_exec "$host" sysctl -qw net.ipv6.conf.vethb.disable_ipv6=1
  done
}
