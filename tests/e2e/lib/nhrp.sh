# shellcheck shell=bash
# NHRP on the seed topology: CEs that know no [[peer]] and resolve every
# overlay address through the route servers. Sourced by tests/e2e after
# lib/e2e.sh, lib/evpn.sh and e2e_agents_init.
#
#   nhrp_config_ce CE MODE [HOLDING_S]
#                              CE's EVPN config without [[peer]] tables, plus
#                              [nhrp] registering with every route server for
#                              HOLDING_S (60 unless given)
#   nhrp_config_rs RS [BGP_LINE...]
#                              RS's route-server config ([bgp] lines added)
#                              plus [nhrp]
#   nhrp_all_registered RS     true when RS's cache holds every CE
#   nhrp_relay CE              the NBMA address CE relays through (its first
#                              registered NHS, as NhrpService::relay), or null
#   nhrp_shortcut_resolved CE OVERLAY
#                              true when CE has a resolved shortcut to OVERLAY
#   nhrp_shortcut_direct CE OVERLAY
#                              true when CE sends to OVERLAY straight (resolved,
#                              not held back after learning it from its request)
#   nhrp_counter NODE NAME     packets of the data-plane counter NAME on NODE

NHRP_OVERLAY_RANGE=10.0.0.0/16

_nhrp_servers() {
  local node addrs=()
  for node in "${TOPO_ROUTE_SERVERS[@]}"; do addrs+=("\"${TOPO_WAN_ADDR[$node]}\""); done
  (IFS=,; printf '%s' "${addrs[*]}")
}

nhrp_config_ce() {  # ce mode [holding_s]
  local ce=$1 mode=$2 holding=${3:-60} f
  agents_config_evpn "$ce" "$mode" "$(agents_route_reflectors)"
  f=$(agents_config_path "$ce")
  sed -i '/^\[\[peer\]\]$/,/^nbma = /d' "$f"
  grep -q '^\[\[peer\]\]' "$f" && topo_die "peers still in $f"
  printf '\n[nhrp]\noverlay_range = "%s"\nservers = [%s]\nholding_time = %s\n' \
    "$NHRP_OVERLAY_RANGE" "$(_nhrp_servers)" "$holding" >>"$f"
}

nhrp_config_rs() {  # rs [bgp_line...]
  agents_config_rs "$@" "[nhrp]" "overlay_range = \"$NHRP_OVERLAY_RANGE\""
}

nhrp_all_registered() {  # rs
  local n
  n=$(agents_cli "$1" show nhrp cache -j | jq '.cache | length')
  ((n == ${#TOPO_CES[@]}))
}

nhrp_relay() {  # ce
  agents_cli "$1" show nhrp nhs -j | jq -r 'first(.nhs[] | select(.registered) | .nbma) // "null"'
}

nhrp_shortcut_resolved() {  # ce overlay
  agents_cli "$1" show nhrp shortcut -j |
    jq -e --arg p "$2" 'any(.shortcuts[]; .protocol == $p and .state == "resolved")' >/dev/null
}

nhrp_shortcut_direct() {  # ce overlay
  agents_cli "$1" show nhrp shortcut -j |
    jq -e --arg p "$2" 'any(.shortcuts[]; .protocol == $p and .direct)' >/dev/null
}

nhrp_counter() {  # node name
  agents_cli "$1" show stats -j | jq --arg n "$2" '[(.stats + .drops)[] | select(.name == $n) | .packets] | add // 0'
}

