# shellcheck shell=bash
# Runs inside the lab guest as PID 1 on the overlay of the host's root
# (scripts/lib/lab-init.sh hands over to it): mounts what a booted system
# has, runs the command scripts/lab wrote into the run directory as root in
# the caller's directory and environment, records its exit status and powers
# the guest off. scripts/lab copies it into the run directory (/run/nwbpf-lab
# here) as guest.sh.

run=/run/nwbpf-lab

power_off() {
  sync
  echo o >/proc/sysrq-trigger
  sleep 30
}
trap power_off EXIT

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# What udev would add: bash's process substitution needs /dev/fd.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 shm /dev/shm
mount -t bpf bpf /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
ip link set lo up
hostname nwbpf-lab

# cmd.sh sets cmd (the command and its arguments) and cwd and exports the
# caller's variables (scripts/lab writes it with printf %q).
# shellcheck source=/dev/null
source "$run/cmd.sh"
export HOME=/root USER=root LOGNAME=root
cd "$cwd" || {
  echo "lab: cannot enter $cwd in the guest" >>"$run/stderr"
  exit
}

echo "lab: running ${cmd[*]} in $cwd on $(uname -r)" >/dev/console
touch "$run/started"
status=0
"${cmd[@]}" </dev/null >>"$run/stdout" 2>>"$run/stderr" || status=$?
echo "$status" >"$run/status"
echo "lab: exit status $status" >/dev/console
