# shellcheck shell=bash
# A third-party EVPN route reflector, FRR bgpd or gobgpd, on a node of the
# seed topology: one instance named "rr" through scripts/lib/frr_rr.sh or
# scripts/lib/gobgp.sh, the same calls for either kind. Sourced by tests/e2e
# after lib/e2e.sh.
#
#   reflector_start KIND DIR NODE ASN ID RANGE [PASSWORD]
#                                    KIND frr|gobgp; router id and cluster id
#                                    ID, iBGP clients accepted from RANGE
#                                    (dynamic neighbors: a listen range);
#                                    PASSWORD (TCP-MD5) with frr only
#   reflector_wait_established KIND COUNT TIMEOUT
#   reflector_stop KIND
#   reflector_routes KIND            its EVPN routes as "type mac-or-ip"
#                                    lines, sorted

# shellcheck source=SCRIPTDIR/../../../scripts/lib/frr_rr.sh
source "$NWBPF_SOURCE_DIR/scripts/lib/frr_rr.sh"
# shellcheck source=SCRIPTDIR/../../../scripts/lib/gobgp.sh
source "$NWBPF_SOURCE_DIR/scripts/lib/gobgp.sh"

reflector_start() {  # kind dir node asn id range [password]
  local kind=$1 dir=$2 ns md5=()
  ns=$(topo_ns "$3")
  [[ -z ${7:-} ]] || md5=(--password "$7")
  case $kind in
    frr)
      frr_rr_config rr "$dir" --as "$4" --router-id "$5" --cluster-id "$5" --listen-range "$6" \
        "${md5[@]}"
      frr_rr_start rr "$ns"
      ;;
    gobgp)
      # gobgpd sets no TCP-MD5 key for dynamic neighbors (scripts/lib/gobgp.sh).
      [[ -z ${7:-} ]] || e2e_fail "reflector_start: no TCP-MD5 with gobgpd's listen range"
      # Graceful restart: gobgpd sends End-of-RIB only to a peer that
      # advertises it when it does too.
      gobgp_config rr "$dir" --as "$4" --router-id "$5" --cluster-id "$5" \
        --address "${TOPO_WAN_ADDR[$3]}" --listen-range "$6" --graceful-restart
      gobgp_start rr "$ns"
      ;;
    *) e2e_fail "unknown route reflector '$kind' (frr|gobgp)" ;;
  esac
}

reflector_wait_established() {  # kind count timeout_s
  case $1 in
    frr) frr_rr_wait_established rr "$2" "$3" ;;
    gobgp) gobgp_wait_established rr "$2" "$3" ;;
  esac
}

reflector_stop() {  # kind
  case $1 in
    frr) frr_rr_stop rr ;;
    gobgp) gobgp_stop rr ;;
  esac
}

reflector_routes() {  # kind
  case $1 in
    frr) frr_rr_json rr 'show bgp l2vpn evpn route' |
      jq -r '[.[] | objects | .[] | objects | .paths[][0]
              | "\(.routeType) \(.mac // .ip)"] | sort | .[]' ;;
    gobgp) gobgp_evpn_routes rr |
      jq -r '[.[][] | "\(.nlri.type) \(.nlri.value.mac // .nlri.value.ip)"] | sort | .[]' ;;
  esac
}
