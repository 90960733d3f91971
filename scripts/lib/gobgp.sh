# shellcheck shell=bash
# GoBGP (Debian package gobgpd, 3.10) inside a network namespace, as the
# iBGP route reflector of an EVPN overlay (dynamic neighbors) or as a plain
# EVPN client, with EVPN routes injected and listed through the gobgp CLI.
# Sourced by tests/e2e; needs only daemon.sh beside it.
#
# Each instance has its own directory: config, log, and the gRPC API on a
# Unix socket (--api-hosts unix://DIR/gobgpd.sock), so the CLI reaches it
# from any namespace and no TCP port can clash with a gobgpd service of the
# host (Debian's unit listens on :50051 and on 179 in the root namespace;
# it is neither used nor touched).
#
#   gobgp_config NAME DIR OPTIONS       write DIR/gobgpd.toml; OPTIONS:
#       --as ASN --router-id ID         required
#       --address ADDR                  required: BGP's local address (it
#                                       listens there and connects from there)
#       --listen-range PREFIX           route reflector: accept clients from
#                                       PREFIX (dynamic-neighbors, passive)
#       --cluster-id ID                 with --listen-range (default: router id)
#       --neighbor ADDR                 client: iBGP session to ADDR (repeatable)
#       --password SECRET               TCP-MD5 (RFC 2385) on every session;
#                                       not with --listen-range: gobgpd 3.10
#                                       keys its listener per configured
#                                       neighbor only, so a dynamic neighbor's
#                                       signed SYN is dropped by the kernel
#       --graceful-restart              advertise graceful restart (RFC 4724,
#                                       restart time 120 s) for l2vpn-evpn:
#                                       FRR 8.4 and gobgpd send End-of-RIB
#                                       only to a peer that does (gobgpd only
#                                       if it advertises it too)
#   gobgp_start NAME NS [TIMEOUT]       start gobgpd in NS, wait for its API (10 s)
#   gobgp_stop NAME                     SIGTERM, then SIGKILL after 5 s
#   gobgp_stop_all                      every instance started here
#   gobgp_cli NAME ARGS...              `gobgp ARGS...` against NAME
#   gobgp_wait_established NAME COUNT [TIMEOUT]
#                                       until COUNT neighbors are Established (30 s)
#   gobgp_macadv NAME add|del MAC IP|- VNI RD NEXTHOP [RT]
#                                       type-2 (RFC 7432 7.2): label = VNI,
#                                       VXLAN encapsulation (RFC 8365), RT
#                                       default ASN:VNI (FRR's auto RT); "-"
#                                       for a MAC-only route
#   gobgp_multicast NAME add|del ORIG VNI RD [RT]
#                                       type-3 (RFC 7432 7.3) from ORIG, with a
#                                       PMSI tunnel attribute (RFC 6514 5):
#                                       ingress replication, label = VNI,
#                                       tunnel id = next hop = ORIG
#   gobgp_evpn_routes NAME              the EVPN RIB as JSON (`gobgp -j global
#                                       rib -a evpn`: one key per route, paths
#                                       with their attributes by type code)
#
# Failures print "[gobgp] FAIL: ..." with the last lines of gobgpd's log and
# exit 1. Binaries: $GOBGPD (default gobgpd), $GOBGP (default gobgp).

# shellcheck source=SCRIPTDIR/daemon.sh
source "$(dirname "${BASH_SOURCE[0]}")/daemon.sh"

GOBGPD=${GOBGPD:-gobgpd}
GOBGP=${GOBGP:-gobgp}
declare -gA GOBGP_DIR=() GOBGP_PID=() GOBGP_AS=()

_gobgp_fail() { daemon_fail gobgp "$1" "${GOBGP_DIR[$1]:-}/gobgpd.log" "$2"; }  # name message

gobgp_config() {
  local name=$1 dir=$2 asn="" rid="" addr="" range="" cluster="" password="" nbr gr=""
  local neighbors=()
  shift 2
  while (($#)); do
    case $1 in
      --as) asn=${2:-}; shift 2 ;;
      --router-id) rid=${2:-}; shift 2 ;;
      --address) addr=${2:-}; shift 2 ;;
      --listen-range) range=${2:-}; shift 2 ;;
      --cluster-id) cluster=${2:-}; shift 2 ;;
      --neighbor) neighbors+=("${2:-}"); shift 2 ;;
      --password) password=${2:-}; shift 2 ;;
      --graceful-restart) gr=1; shift ;;
      *) _gobgp_fail "$name" "gobgp_config: unknown option '$1'" ;;
    esac
  done
  [[ -n $asn && -n $rid && -n $addr ]] ||
    _gobgp_fail "$name" "gobgp_config needs --as, --router-id and --address"
  [[ -n $range || ${#neighbors[@]} -gt 0 ]] ||
    _gobgp_fail "$name" "gobgp_config needs --listen-range (reflector) or --neighbor (client)"
  [[ -z $range || -z $password ]] ||
    _gobgp_fail "$name" "gobgpd sets no TCP-MD5 key for dynamic neighbors: --password needs --neighbor, not --listen-range"
  command -v "$GOBGPD" >/dev/null ||
    _gobgp_fail "$name" "$GOBGPD not found: run scripts/install-deps (package gobgpd)"
  mkdir -p "$dir"
  GOBGP_DIR[$name]=$dir
  GOBGP_AS[$name]=$asn
  {
    cat <<EOF
# Generated by scripts/lib/gobgp.sh: "$name".
[global.config]
  as = $asn
  router-id = "$rid"
  local-address-list = ["$addr"]
EOF
    if [[ -n $range ]]; then
      cat <<EOF

[[peer-groups]]
  [peer-groups.config]
    peer-group-name = "clients"
    peer-as = $asn
  [peer-groups.route-reflector.config]
    route-reflector-client = true
    route-reflector-cluster-id = "${cluster:-$rid}"
EOF
      _gobgp_session_toml peer-groups "$gr"
      cat <<EOF

[[dynamic-neighbors]]
  [dynamic-neighbors.config]
    prefix = "$range"
    peer-group = "clients"
EOF
    fi
    # connect-retry 1: gobgpd retries a refused connection after 1 s plus
    # jitter instead of 120 s (a reflector that starts later is found soon).
    for nbr in "${neighbors[@]}"; do
      cat <<EOF

[[neighbors]]
  [neighbors.config]
    neighbor-address = "$nbr"
    peer-as = $asn
    auth-password = "$password"
  [neighbors.transport.config]
    local-address = "$addr"
  [neighbors.timers.config]
    connect-retry = 1
EOF
      _gobgp_session_toml neighbors "$gr"
    done
  } >"$dir/gobgpd.toml"
  "$GOBGPD" --dry-run -f "$dir/gobgpd.toml" >"$dir/check.log" 2>&1 ||
    _gobgp_fail "$name" "gobgpd rejects $dir/gobgpd.toml:"$'\n'"$(cat "$dir/check.log")"
}

# The family and graceful restart of a peer group or neighbor (TABLE).
_gobgp_session_toml() {  # table graceful_restart(1 or empty)
  if [[ -n $2 ]]; then
    printf '  [%s.graceful-restart.config]\n    enabled = true\n    restart-time = 120\n' "$1"
  fi
  printf '  [[%s.afi-safis]]\n    [%s.afi-safis.config]\n      afi-safi-name = "l2vpn-evpn"\n' "$1" "$1"
  if [[ -n $2 ]]; then
    printf '    [%s.afi-safis.mp-graceful-restart.config]\n      enabled = true\n' "$1"
  fi
}

gobgp_start() {  # name ns [timeout_s]
  local name=$1 ns=$2 timeout=${3:-10} dir=${GOBGP_DIR[$1]:-} rc=0
  [[ -f $dir/gobgpd.toml ]] || _gobgp_fail "$name" "gobgp_start before gobgp_config"
  rm -f "$dir/gobgpd.sock"
  ip netns exec "$ns" "$GOBGPD" -f "$dir/gobgpd.toml" -p -l debug --pprof-disable \
    --api-hosts "unix://$dir/gobgpd.sock" >>"$dir/gobgpd.log" 2>&1 </dev/null &
  # `ip netns exec` execs: this is gobgpd's pid.
  GOBGP_PID[$name]=$!
  daemon_poll "${GOBGP_PID[$name]}" "$timeout" gobgp_cli "$name" global || rc=$?
  case $rc in
    1) _gobgp_fail "$name" "gobgpd exited at start" ;;
    2) _gobgp_fail "$name" "gobgpd's API ($dir/gobgpd.sock) did not answer within ${timeout}s" ;;
  esac
}

gobgp_stop() {
  [[ -n ${GOBGP_PID[$1]:-} ]] || return 0
  daemon_stop "${GOBGP_PID[$1]}"
  unset "GOBGP_PID[$1]"
}

gobgp_stop_all() {
  local name
  for name in "${!GOBGP_PID[@]}"; do gobgp_stop "$name"; done
}

# Bounded: a wedged gobgpd must fail the caller, not hang it.
gobgp_cli() {
  local name=$1
  shift
  timeout 10 "$GOBGP" --target "unix://${GOBGP_DIR[$name]}/gobgpd.sock" "$@"
}

_gobgp_established_count() {  # name
  gobgp_cli "$1" -j neighbor | jq '[.[] | select(.state.session_state == 6)] | length'
}

_gobgp_established_at_least() { (($(_gobgp_established_count "$1") >= $2)); }  # name count

gobgp_wait_established() {  # name count [timeout_s]
  daemon_poll "${GOBGP_PID[$1]}" "${3:-30}" _gobgp_established_at_least "$1" "$2" ||
    _gobgp_fail "$1" "$(_gobgp_established_count "$1" || true) of $2 neighbors Established after ${3:-30}s:"$'\n'"$(gobgp_cli "$1" neighbor)"
}

# The route's arguments are the same for add and del: gobgp finds the path
# to withdraw by its NLRI.
gobgp_macadv() {  # name add|del mac ip|- vni rd nexthop [rt]
  local name=$1 op=$2 mac=$3 ip=$4 vni=$5 rd=$6 nexthop=$7 out
  local rt=${8:-${GOBGP_AS[$1]}:$5}
  # gobgp encodes IP address length 0 (a MAC-only route) for 0.0.0.0.
  [[ $ip == - ]] && ip=0.0.0.0
  out=$(gobgp_cli "$name" global rib -a evpn "$op" macadv "$mac" "$ip" etag 0 label "$vni" \
    rd "$rd" rt "$rt" encap vxlan nexthop "$nexthop" 2>&1) ||
    _gobgp_fail "$name" "gobgp macadv $op $mac $ip: $out"
}

gobgp_multicast() {  # name add|del orig vni rd [rt]
  local name=$1 op=$2 orig=$3 vni=$4 rd=$5 out
  local rt=${6:-${GOBGP_AS[$1]}:$4}
  out=$(gobgp_cli "$name" global rib -a evpn "$op" multicast "$orig" etag 0 rd "$rd" rt "$rt" \
    encap vxlan pmsi ingress-repl "$vni" "$orig" nexthop "$orig" 2>&1) ||
    _gobgp_fail "$name" "gobgp multicast $op $orig: $out"
}

gobgp_evpn_routes() {
  local out
  out=$(gobgp_cli "$1" -j global rib -a evpn) || _gobgp_fail "$1" "gobgp global rib -a evpn: $out"
  out=$(jq -c . <<<"$out" 2>/dev/null) || _gobgp_fail "$1" "gobgp -j global rib is not JSON: $out"
  printf '%s\n' "$out"
}
