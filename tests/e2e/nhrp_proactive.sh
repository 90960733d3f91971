#!/usr/bin/env bash
# NHRP with shortcut = "proactive": every CE resolves every VTEP EVPN
# announces (the other CEs' inclusive multicast routes) as soon as it is
# announced, so every CE has a shortcut to every other before any edge host
# sends a frame, and the route server relays nothing.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/evpn.sh
source "$(dirname "$0")/lib/evpn.sh"

e2e_init "nhrp_proactive"
e2e_agents_init
topo_up --edge-xdp yes
# Quiet hosts: no frame of theirs may trigger a shortcut on demand.
topo_quiet_hosts

for ce in "${TOPO_CES[@]}"; do
  agents_config_nhrp "$ce" xdp
  echo 'shortcut = "proactive"' >>"$(agents_config_path "$ce")"
done
agents_config_nhrp_rs
evpn_start_all

every_shortcut() {
  local ce other
  for ce in "${TOPO_CES[@]}"; do
    for other in "${TOPO_CES[@]}"; do
      [[ $ce == "$other" ]] && continue
      agents_cli "$ce" show nhrp shortcut -j |
        jq -e --arg p "${TOPO_OVERLAY_ADDR[$other]}" \
          'any(.shortcuts[]; .protocol == $p and .direct)' >/dev/null || return 1
    done
  done
}
e2e_wait_until 15 "every CE's shortcut to every other CE, with no traffic" every_shortcut
relayed=$(agents_cli rs show stats -j | jq '[.stats[] | select(.name == "relay") | .packets] | add // 0')
((relayed == 0)) || e2e_fail "rs relayed $relayed frame(s) though no host sent any"
e2e_log "ce1 shortcuts:"$'\n'"$(agents_cli ce1 show nhrp shortcut)"
e2e_ping_pairs 3 "${TOPO_HOSTS[@]}"
relayed=$(agents_cli rs show stats -j | jq '[.stats[] | select(.name == "relay") | .packets] | add // 0')
((relayed == 0)) || e2e_fail "rs relayed $relayed frame(s): the shortcuts were not used"
e2e_log "every pair pings over the proactive shortcuts, nothing through rs"
e2e_log "PASS"
