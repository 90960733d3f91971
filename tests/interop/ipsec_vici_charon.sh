#!/usr/bin/env bash
# Our VICI client against Debian's real charon (charon-systemd 5.9.8).
# charon runs in a private mount and network namespace with a tmpfs on /run,
# so its /run/charon.vici (the client's default path) and its IKE ports never
# touch the host's; its plugins come from a temporary strongswan.conf
# (STRONGSWAN_CONF), not /etc. A second charon, the IKE peer, runs in a
# network namespace of its own ("peer", joined by a veth: 198.51.100.1 here,
# 198.51.100.2 there) with its own tmpfs /run; its VICI socket is a file in
# the temporary directory, given to the checks as NWBPF_PEER_VICI. The
# checks are the gtest binary given as $1 (ipsec_vici_charon_test.cpp), run
# inside the first namespaces.
# Exit 77 (skipped) when not root: unshare and mount need it.
set -euo pipefail

test_binary=${1:?usage: $0 TEST_BINARY}
charon=${CHARON:-/usr/sbin/charon-systemd}

if [[ $(id -u) != 0 ]]; then
  echo "SKIP: needs root (mount and network namespaces)"
  exit 77
fi
[[ -x $charon ]] || { echo "FAIL: $charon not found: run scripts/install-deps"; exit 1; }
# The connections propose AES-GCM and ECP groups: Debian has them in the gcm
# and openssl plugins (libstrongswan-standard-plugins), not in libstrongswan.
plugins=/usr/lib/ipsec/plugins
[[ -e $plugins/libstrongswan-gcm.so && -e $plugins/libstrongswan-openssl.so ]] ||
  { echo "FAIL: no gcm/openssl charon plugins: install libstrongswan-standard-plugins"; exit 1; }
command -v openssl >/dev/null || { echo "FAIL: no openssl (the test PKI): install openssl"; exit 1; }

# Waits for a VICI socket while its charon runs; shows its log if it dies.
wait_socket() {
  local socket=$1 pid=$2 log=$3
  for _ in $(seq 100); do
    [[ -S $socket ]] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "FAIL: charon exited:"; cat "$log"; exit 1; }
    sleep 0.1
  done
  echo "FAIL: no $socket after 10 s"
  cat "$log"
  exit 1
}

# Inside the namespaces: the veth to the peer's namespace, both charons,
# wait for their sockets, run the checks, stop both by pid. The tmpfs, the
# namespaces and the veth vanish with this shell.
if [[ ${1:-} == --inside ]]; then
  test_binary=$2 work=$3
  mount -t tmpfs -o mode=0755 tmpfs /run
  ip link set lo up
  ip netns add peer
  ip link add veth0 type veth peer name veth1 netns peer
  ip addr add 198.51.100.1/24 dev veth0
  ip link set veth0 up
  ip -n peer link set lo up
  ip -n peer addr add 198.51.100.2/24 dev veth1
  ip -n peer link set veth1 up
  STRONGSWAN_CONF=$work/charon.conf "$charon" >>"$work/charon.log" 2>&1 &
  pid=$!
  # ip netns exec, unshare and bash all exec: $! is the peer charon's pid.
  STRONGSWAN_CONF=$work/peer.conf ip netns exec peer unshare --mount --propagation private \
    bash -c 'mount -t tmpfs -o mode=0755 tmpfs /run && exec "$0"' "$charon" \
    >>"$work/peer.log" 2>&1 &
  peer_pid=$!
  trap 'kill "$pid" "$peer_pid" 2>/dev/null; wait "$pid" "$peer_pid" 2>/dev/null || true' EXIT
  wait_socket /run/charon.vici "$pid" "$work/charon.log"
  wait_socket "$work/peer.vici" "$peer_pid" "$work/peer.log"
  NWBPF_PEER_VICI=$work/peer.vici NWBPF_PKI_DIR=$work/pki "$test_binary"
  exit
fi

work=$(mktemp -d /tmp/nwbpf-vici-charon.XXXXXX)
trap 'rm -rf "$work"' EXIT
# charon-systemd reads the "charon-systemd" section. Only the plugins the
# checks need (vici, a PSK, IKEv2 with AES-GCM and ECP for load-conn and a
# real negotiation); the log goes to a file shown on failure, not to the
# host's journal. $1: the config's name, $2: more settings.
write_conf() {
  cat >"$work/$1.conf" <<EOF
charon-systemd {
  load = random nonce aes sha1 sha2 hmac kdf gcm openssl pem pkcs1 x509 pubkey gmp kernel-netlink socket-default vici
  journal {
    default = -1
  }
  filelog {
    charon {
      path = $work/$1.log
      default = 1
    }
  }
  $2
}
EOF
}
# A test PKI for the pubkey connections: a CA and one certificate per
# charon (ECDSA P-256, valid for a day), keys in PKCS#8 PEM.
pki() {
  local dir=$work/pki
  mkdir "$dir"
  for name in ca ce-a ce-b; do
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$name.key" 2>/dev/null
  done
  openssl req -x509 -new -key "$dir/ca.key" -subj "/CN=nwbpf test CA" -days 1 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -out "$dir/ca.pem"
  for name in ce-a ce-b; do
    openssl req -new -key "$dir/$name.key" -subj "/CN=$name" |
      openssl x509 -req -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -set_serial "0x$RANDOM" \
        -days 1 -out "$dir/$name.pem" 2>/dev/null
  done
}
pki
write_conf charon ""
write_conf peer "plugins { vici { socket = unix://$work/peer.vici } }"
status=0
unshare --mount --net --propagation private bash "$0" --inside "$test_binary" "$work" || status=$?
if [[ $status != 0 ]]; then
  echo "charon's output:"
  cat "$work/charon.log"
  echo "the peer charon's output:"
  cat "$work/peer.log"
fi
exit "$status"
