#!/usr/bin/env bash
# Runs inside the lab guest (tests/lab/CMakeLists.txt: scripts/lab -- bash
# kernel.sh): the kernel is Debian's 6.1 and has what issue 7 needs that the
# host kernel lacks: ESP (esp4, XFRM states through xfrm_user) and GRE.
# Each check fails the test with what it saw.
set -euo pipefail

fail() {
  echo "lab_kernel: $*" >&2
  exit 1
}

release=$(uname -r)
[[ $release == 6.1.* ]] || fail "kernel $release, expected Debian's 6.1 (linux-image-amd64)"
echo "kernel $release"

modprobe -a esp4 ip_gre xfrm_user || fail "modprobe esp4 ip_gre xfrm_user failed"
for module in esp4 ip_gre xfrm_user; do
  [[ -d /sys/module/$module ]] || fail "module $module not loaded after modprobe"
done

# An ESP transport-mode SA with AES-GCM, as the IKE controller will install.
key=0x$(printf '%02x' {1..20})
ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001 reqid 1 mode transport \
  aead 'rfc4106(gcm(aes))' "$key" 128 || fail "ip xfrm state add (ESP, AES-GCM) failed"
state=$(ip xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001)
[[ $state == *"proto esp spi 0x00001001"* && $state == *"rfc4106(gcm(aes))"* ]] ||
  fail "ESP state not as added: $state"
echo "ESP state: ok"

ip link add lab-gre type gre local 192.0.2.1 remote 192.0.2.2 ttl 64 ||
  fail "ip link add type gre failed"
link=$(ip -d link show lab-gre)
[[ $link == *"gre remote 192.0.2.2 local 192.0.2.1"* ]] || fail "GRE link not as added: $link"
echo "GRE link: ok"
