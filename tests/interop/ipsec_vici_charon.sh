#!/usr/bin/env bash
# Our VICI client against Debian's real charon (charon-systemd 5.9.8).
# charon runs in a private mount and network namespace with a tmpfs on /run,
# so its /run/charon.vici (the client's default path) and its IKE ports never
# touch the host's; its plugins come from a temporary strongswan.conf
# (STRONGSWAN_CONF), not /etc. The checks are the gtest binary given as $1
# (ipsec_vici_charon_test.cpp), run inside the same namespaces.
# Exit 77 (skipped) when not root: unshare and mount need it.
set -euo pipefail

test_binary=${1:?usage: $0 TEST_BINARY}
charon=${CHARON:-/usr/sbin/charon-systemd}

if [[ $(id -u) != 0 ]]; then
  echo "SKIP: needs root (mount and network namespaces)"
  exit 77
fi
[[ -x $charon ]] || { echo "FAIL: $charon not found: run scripts/install-deps"; exit 1; }

# Inside the namespaces: start charon, wait for its socket, run the checks,
# stop charon by its pid. The tmpfs and the namespaces vanish with this shell.
if [[ ${1:-} == --inside ]]; then
  shift
  test_binary=$1 conf=$2 log=$3
  mount -t tmpfs -o mode=0755 tmpfs /run
  ip link set lo up
  STRONGSWAN_CONF=$conf "$charon" >>"$log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    [[ -S /run/charon.vici ]] && break
    kill -0 "$pid" 2>/dev/null || { echo "FAIL: charon exited:"; cat "$log"; exit 1; }
    sleep 0.1
  done
  [[ -S /run/charon.vici ]] || { echo "FAIL: no /run/charon.vici after 10 s"; cat "$log"; exit 1; }
  "$test_binary"
  exit
fi

work=$(mktemp -d /tmp/nwbpf-vici-charon.XXXXXX)
trap 'rm -rf "$work"' EXIT
# charon-systemd reads the "charon-systemd" section. Only the plugins the
# checks need (vici, a PSK, IKEv2 proposals for load-conn/initiate); its log
# goes to a file shown on failure, not to the host's journal.
cat >"$work/strongswan.conf" <<EOF
charon-systemd {
  load = random nonce aes sha1 sha2 hmac kdf pem pkcs1 x509 pubkey gmp kernel-netlink socket-default vici
  journal {
    default = -1
  }
  filelog {
    charon {
      path = $work/charon.log
      default = 1
    }
  }
}
EOF
status=0
unshare --mount --net --propagation private \
  bash "$0" --inside "$test_binary" "$work/strongswan.conf" "$work/charon.log" || status=$?
if [[ $status != 0 ]]; then
  echo "charon's output:"
  cat "$work/charon.log"
fi
exit "$status"
