# shellcheck shell=bash
# NHRP on the seed topology: CEs that know no [[peer]] and resolve every
# overlay address through the route servers. Sourced by tests/e2e after
# lib/e2e.sh, lib/evpn.sh and e2e_agents_init; the configs are
# scripts/lib/agents.sh's agents_config_nhrp and agents_config_nhrp_rs.
#
#   nhrp_all_registered RS     true when RS's cache holds every CE
#   nhrp_relay CE              the NBMA address CE relays through (its first
#                              registered NHS, as NhrpService::relay), or null
#   nhrp_shortcut_resolved CE OVERLAY
#                              true when CE has a resolved shortcut to OVERLAY
#   nhrp_shortcut_direct CE OVERLAY
#                              true when CE sends to OVERLAY straight (resolved,
#                              not held back after learning it from its request)
#   nhrp_counter NODE NAME     packets of the data-plane counter NAME on NODE

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

