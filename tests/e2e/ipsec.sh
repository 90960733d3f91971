#!/usr/bin/env bash
# The encrypted overlay end to end (issue 7), on a kernel with ESP: the lab's
# Debian 6.1 (tests/lab, lab_ipsec). The seed topology with NHRP and EVPN as
# in nhrp.sh, every nwbpfd with [ipsec] mode = "psk" on the kernel-tunnel
# path, and a charon per node: Debian's charon-systemd in the node's network
# namespace and a mount namespace of its own (its /run a tmpfs), its VICI
# socket in the run directory. ce2 has the wrong pre-shared key.
# Checks:
# 1. ce1 and ce3 register with rs and their BGP sessions come up: NHRP and
#    BGP need the SAs (trap policies hold them until charon has one).
# 2. `show ipsec` on ce1: rs protected by an ESTABLISHED IKE_SA with an
#    INSTALLED transport-mode ESP CHILD_SA.
# 3. h1 <-> h3 pings (the shortcut gets its own SA) and iperf3 h1 -> h3.
# 4. ce2 (wrong key) is protected with nobody: h2 gets no ping through,
#    its charon logs AUTHENTICATION_FAILED, `show ipsec` on ce2 shows rs
#    unprotected.
# 5. Deleting ce1's CHILD_SA with ce3 (swanctl): ce1 drops frames to ce3
#    as no_sa, nothing leaves in plaintext, and the controller negotiates
#    a new one; pings work again.
# 6. The underlay capture on the CE ports (whole run) holds ESP and IKE and
#    ARP only: never VXLAN (UDP 4789), NHRP's GRE or BGP's TCP 179.
# Argument "x509": certificates instead of the pre-shared key (a test CA;
# ce2's certificate comes from a CA nobody trusts).
# Argument "nat": ce1 sits behind a NAT (topo_up --nat, iptables-style
# masquerade in nftables); charon's NAT-T carries ESP in UDP 4500, rs and ce3
# see ce1 at the NAT's address (NHRP's NAT extension) and count it protected
# there, and rs's SA with ce1 says the peer is behind NAT.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/e2e.sh
source "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=SCRIPTDIR/lib/evpn.sh
source "$(dirname "$0")/lib/evpn.sh"
# shellcheck source=SCRIPTDIR/lib/nhrp.sh
source "$(dirname "$0")/lib/nhrp.sh"
# shellcheck source=SCRIPTDIR/../../scripts/lib/daemon.sh
source "$NWBPF_SOURCE_DIR/scripts/lib/daemon.sh"
# shellcheck source=SCRIPTDIR/lib/bgp_capture.sh
source "$(dirname "$0")/lib/bgp_capture.sh"

variant=${1:-plain}
case $variant in plain | nat | x509) ;; *) echo "usage: ipsec.sh [plain|nat|x509]" >&2; exit 2 ;; esac
e2e_init "ipsec_$variant"
e2e_agents_init
CHARON=${CHARON:-/usr/sbin/charon-systemd}
for tool in "$CHARON" swanctl; do
  command -v "$tool" >/dev/null || e2e_fail "'$tool' not found: run scripts/install-deps"
done
nat=()
[[ $variant == nat ]] && nat=(--nat ce1)
topo_up --edge-xdp no "${nat[@]}"
topo_quiet_hosts
SECRET=nwbpf-e2e-shared-secret

# The whole run's underlay on ce1's and ce2's bridge ports, and on ce3's.
PCAP_DIR=$(mktemp -d /tmp/nwbpf-ipsec.XXXXXX)
PASSED=0
declare -A CHARON_PID=()
_ipsec_down() {
  local pid
  capture_stop
  for pid in "${CHARON_PID[@]}"; do kill "$pid" 2>/dev/null || true; done
  if ((PASSED)); then
    rm -rf "$PCAP_DIR"
    return
  fi
  for f in "$PCAP_DIR"/*-charon.out "$PCAP_DIR"/*-charon.log; do
    [[ -s $f ]] && { echo "----- $f (last lines)"; tail -n 25 "$f"; } >&2
  done
  e2e_log "captures and charon logs kept in $PCAP_DIR"
}
topo_on_down _ipsec_down
for ce in ce1 ce2 ce3; do capture_start ul "$PCAP_DIR/$ce.pcapng" ip "$ce"; done

# charon: the plugins nwbpf's proposals need, its log in a file, VICI on a
# socket of the node's own.
charon_start() {  # node
  local node=$1 conf=$PCAP_DIR/$1-charon.conf
  cat >"$conf" <<EOF
charon-systemd {
  load = random nonce aes sha1 sha2 hmac kdf gcm openssl pem pkcs1 x509 pubkey gmp kernel-netlink socket-default vici
  install_routes = no
  journal {
    default = -1
  }
  filelog {
    charon {
      path = $PCAP_DIR/$node-charon.log
      default = 1
    }
  }
  plugins {
    vici {
      socket = unix://$PCAP_DIR/$node.vici
    }
  }
}
EOF
  STRONGSWAN_CONF=$conf ip netns exec "$(topo_ns "$node")" unshare --mount --propagation private \
    bash -c 'mount -t tmpfs -o mode=0755 tmpfs /run && exec "$0"' "$CHARON" \
    >>"$PCAP_DIR/$node-charon.out" 2>&1 &
  CHARON_PID[$node]=$!
}
# Outside charon's private /run, where the agent (and swanctl) reach it.
vici() { printf '%s' "$PCAP_DIR/$1.vici"; }
charon_ready() { [[ -S $(vici "$1") ]]; }

# x509: a CA that signs rs's, ce1's and ce3's certificates (ECDSA P-256);
# ce2's comes from a CA nobody trusts, its "wrong key".
pki() {
  local dir=$PCAP_DIR/pki ca name
  mkdir "$dir"
  for ca in ca rogue; do
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$ca.key" 2>/dev/null
    openssl req -x509 -new -key "$dir/$ca.key" -subj "/CN=nwbpf e2e $ca" -days 1 \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -out "$dir/$ca.pem"
  done
  for name in rs ce1 ce2 ce3; do
    ca=ca
    [[ $name == ce2 ]] && ca=rogue
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$name.key" 2>/dev/null
    openssl req -new -key "$dir/$name.key" -subj "/CN=$name" |
      openssl x509 -req -CA "$dir/$ca.pem" -CAkey "$dir/$ca.key" -set_serial "0x$RANDOM" \
        -days 1 -out "$dir/$name.pem" 2>/dev/null
  done
}
[[ $variant == x509 ]] && pki

with_ipsec() {  # node secret
  local f
  f=$(agents_config_path "$1")
  if [[ $variant == x509 ]]; then
    printf '\n[ipsec]\nmode = "x509"\ncertificate = "%s"\nprivate_key = "%s"\nca = ["%s"]\n' \
      "$PCAP_DIR/pki/$1.pem" "$PCAP_DIR/pki/$1.key" "$PCAP_DIR/pki/ca.pem" >>"$f"
  else
    printf '\n[ipsec]\nmode = "psk"\nsecret = "%s"\n' "$2" >>"$f"
  fi
  printf 'vici_socket = "%s"\n' "$(vici "$1")" >>"$f"
}

agents_config_nhrp_rs rs
printf '\n[dataplane]\nmode = "kernel-tunnel"\n' >>"$(agents_config_path rs)"
with_ipsec rs "$SECRET"
for ce in "${TOPO_CES[@]}"; do agents_config_nhrp "$ce" kernel-tunnel; done
with_ipsec ce1 "$SECRET"
with_ipsec ce3 "$SECRET"
with_ipsec ce2 "not-the-shared-secret"
for node in rs "${TOPO_CES[@]}"; do
  "$NWBPF" config check "$(agents_config_path "$node")" >/dev/null ||
    e2e_fail "$node's config: $("$NWBPF" config check "$(agents_config_path "$node")" 2>&1)"
  charon_start "$node"
done
for node in rs "${TOPO_CES[@]}"; do e2e_wait_until 30 "$node's charon" charon_ready "$node"; done
evpn_start_all

show_ipsec() { e2e_control "$1" '{"command":"show","object":"ipsec"}' | jq -c '.result'; }
protected() {  # node nbma
  show_ipsec "$1" | jq -e --arg p "$2" '.peers[] | select(.nbma == $p) | .protected' >/dev/null
}

# 1. NHRP and BGP over the SAs.
rs_nbma=${TOPO_WAN_ADDR[rs]}
for ce in ce1 ce3; do e2e_wait_until 60 "$ce protected with rs" protected "$ce" "$rs_nbma"; done
registered() {
  agents_cli rs show nhrp cache -j |
    jq -e --arg a "${TOPO_OVERLAY_ADDR[ce1]}" --arg b "${TOPO_OVERLAY_ADDR[ce3]}" \
      '[.cache[] | .protocol] | index($a) and index($b)' >/dev/null
}
e2e_wait_until 60 "ce1 and ce3 registered with rs" registered
bgp_up() {  # ce
  evpn_rs_peer "$1" rs | jq -e '.state == "Established" and .end_of_rib_rcvd' >/dev/null
}
for ce in ce1 ce3; do e2e_wait_until 60 "$ce's BGP session with rs" bgp_up "$ce"; done
e2e_log "rs's NHRP cache:"$'\n'"$(agents_cli rs show nhrp cache)"

# 2. What ce1's charon holds with rs.
sa=$(show_ipsec ce1 | jq -c --arg p "$rs_nbma" \
  'first(.sas[] | select(.remote | startswith($p + ":")))')
jq -e '.state == "ESTABLISHED" and (.children | length) >= 1 and
       all(.children[]; .state == "INSTALLED" and .mode == "TRANSPORT" and .protocol == "ESP")' \
  <<<"$sa" >/dev/null || e2e_fail "ce1's SA with rs: $sa"
if [[ $variant == x509 ]]; then
  jq -e '.local_id == "CN=ce1" and .remote_id == "CN=rs"' <<<"$sa" >/dev/null ||
    e2e_fail "ce1's SA with rs does not name the certificates' subjects: $sa"
fi
e2e_log "ce1's SA with rs: $sa"

# Behind the NAT: rs knows ce1 at the NAT's address, and its SA says so.
if [[ $variant == nat ]]; then
  public=${TOPO_PUBLIC_ADDR[ce1]}
  e2e_wait_until 60 "rs protected with ce1 at the NAT's $public" protected rs "$public"
  # (rs's own attempts towards the NAT's address stay CONNECTING: a NAT
  # lets in only what ce1 opened.)
  sa=$(show_ipsec rs | jq -c --arg p "$public" \
    'first(.sas[] | select((.remote | startswith($p + ":")) and .state == "ESTABLISHED"))')
  jq -e '.nat_remote and .state == "ESTABLISHED" and (.local | endswith(":4500")) and
         any(.children[]; .encap and .state == "INSTALLED")' <<<"$sa" >/dev/null ||
    e2e_fail "rs's SA with ce1 behind the NAT: $sa"
  e2e_log "rs's SA with ce1 behind the NAT (NAT-T): $sa"
fi

# 3. Traffic between h1 and h3, through their shortcut's own SA.
ce3_nbma=${TOPO_WAN_ADDR[ce3]}
ping_once() { topo_exec "$1" ping -c 1 -W 1 "${TOPO_HOST_ADDR[$2]}" >/dev/null; }
e2e_wait_until 90 "h1 -> h3 answered" ping_once h1 h3
e2e_wait_until 30 "ce1 protected with ce3" protected ce1 "$ce3_nbma"
e2e_ping_pairs 5 h1 h3
e2e_iperf h1 h3 5

# 4. ce2, with the wrong key, gets nothing through and sends nothing plain.
! ping_once h2 h1 || e2e_fail "h2 (wrong pre-shared key) reached h1"
! protected ce2 "$rs_nbma" || e2e_fail "ce2 is protected with rs with the wrong key"
# ... and says why.
failure_shown() {
  agents_cli ce2 show ipsec | grep -q "Last failure (charon): received AUTHENTICATION_FAILED"
}
e2e_wait_until 30 "ce2's show ipsec naming the authentication failure" failure_shown
e2e_log "ce2's show ipsec:"$'\n'"$(agents_cli ce2 show ipsec)"
no_sa() { agents_cli "$1" show stats -j | jq '[.drops[] | select(.name == "no_sa") | .packets] | add // 0'; }
auth_failed() { grep -q 'AUTHENTICATION_FAILED' "$PCAP_DIR/ce2-charon.log"; }
e2e_wait_until 60 "ce2's charon: AUTHENTICATION_FAILED from rs" auth_failed
e2e_log "ce2 (wrong key): show ipsec: $(show_ipsec ce2); no_sa drops: $(no_sa ce2)"

# 5. ce1's CHILD_SA with ce3 deleted.
child=$(show_ipsec ce1 | jq -r --arg p "$ce3_nbma" \
  'first(.sas[] | select(.remote | startswith($p + ":")) | .children[0].uniqueid)')
[[ $child =~ ^[0-9]+$ ]] || e2e_fail "no CHILD_SA with ce3 on ce1: $(show_ipsec ce1)"
# (swanctl's own plugin list fails to load a few plugins: noise on stderr.)
topo_exec ce1 swanctl --terminate --child-id "$child" --uri "unix://$(vici ce1)" \
  --timeout 10 >"$PCAP_DIR/swanctl.out" 2>&1 ||
  e2e_fail "swanctl --terminate --child-id $child:"$'\n'"$(cat "$PCAP_DIR/swanctl.out")"
no_sa_before=$(no_sa ce1)
e2e_wait_until 30 "h1 -> h3 answered again" ping_once h1 h3
e2e_wait_until 30 "ce1 protected with ce3 again" protected ce1 "$ce3_nbma"
dropped=$(($(no_sa ce1) - no_sa_before))
e2e_log "after the CHILD_SA was deleted: $dropped frame(s) to ce3 dropped no_sa, then a new SA; pings answered again"

# 6. Nothing in plaintext on the underlay.
capture_stop
for ce in ce1 ce2 ce3; do
  plain=$(tshark -r "$PCAP_DIR/$ce.pcapng" -Y 'udp.port == 4789 || gre || tcp.port == 179 ||
                 (ip && !(esp || udp.port == 500 || udp.port == 4500))' 2>/dev/null | wc -l)
  esp=$(tshark -r "$PCAP_DIR/$ce.pcapng" -Y 'esp' 2>/dev/null | wc -l)
  ike=$(tshark -r "$PCAP_DIR/$ce.pcapng" -Y 'isakmp' 2>/dev/null | wc -l)
  ((plain == 0)) || e2e_fail "$ce's underlay carried $plain plaintext packet(s):"$'\n'"$(tshark -r "$PCAP_DIR/$ce.pcapng" -Y 'udp.port == 4789 || gre || tcp.port == 179 || (ip && !(esp || udp.port == 500 || udp.port == 4500))' 2>/dev/null | head -20)"
  e2e_log "$ce's underlay: $esp ESP, $ike IKE, 0 other IPv4 packets"
  [[ $ce == ce2 ]] || ((esp > 0)) || e2e_fail "$ce's underlay carried no ESP"
done
PASSED=1
e2e_log "PASS"
