#!/bin/sh
# The lab guest's first process: /init of the initrd scripts/lib/lab.sh
# builds, run by klibc's sh with klibc's tools in /bin. It loads the 9p and
# overlay modules, mounts the host's root (9p tag "hostroot", read-only)
# under a tmpfs overlay so the guest may write without touching the host,
# mounts the run directory (9p tag "nwbpf_out", writable) at /run/nwbpf-lab
# of that root and hands over to the guest script the host put there.
# Anything going wrong powers the guest off: scripts/lab then finds no
# status file and reports a boot failure with the console log.
PATH=/bin
export PATH

fail() {
  echo "nwbpf-lab init: $*" >/dev/console
  echo o >/proc/sysrq-trigger
  sleep 30
}

mkdir -p /proc /host /rw /newroot
mount -t proc proc /proc || fail "cannot mount /proc"

# In dependency order (modprobe --show-depends at build time): klibc has no
# modprobe.
while read -r module; do
  insmod "/nwbpf-lab/$module" || fail "insmod $module failed"
done </nwbpf-lab/modules

mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,msize=262144,ro hostroot /host ||
  fail "cannot mount the host root (9p tag hostroot)"
mount -t tmpfs -o mode=0755 rw /rw || fail "cannot mount the overlay's tmpfs"
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
  fail "cannot mount the overlay on the host root"

# /run starts empty, as after a boot: the host's sockets, pid files and
# /run/netns entries mean nothing here.
mount -t tmpfs -o mode=0755,nosuid,nodev run /newroot/run || fail "cannot mount /run"
mkdir -p /newroot/run/nwbpf-lab
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 nwbpf_out /newroot/run/nwbpf-lab ||
  fail "cannot mount the run directory (9p tag nwbpf_out)"

umount /proc
exec run-init /newroot /bin/bash /run/nwbpf-lab/guest.sh
fail "run-init failed"
