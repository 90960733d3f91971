# shellcheck shell=bash
# Configures and builds nwbpf in <repo>/build with Ninja, two jobs at most
# (the machines have two cores). Sourced by scripts/test and scripts/demo.

nwbpf_build() {  # repo_root
  local root=$1
  cmake -S "$root" -B "$root/build" -G Ninja
  cmake --build "$root/build" -j2
}
