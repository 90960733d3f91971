# shellcheck shell=bash
# Configures and builds nwbpf with Ninja, two jobs at most (the machines have
# two cores), in $NWBPF_BUILD_DIR (default <repo>/build). Sourced by
# scripts/test and scripts/demo; sets NWBPF_BUILD_DIR for what follows.

nwbpf_build() {  # repo_root
  local root=$1
  export NWBPF_BUILD_DIR=${NWBPF_BUILD_DIR:-$root/build}
  cmake -S "$root" -B "$NWBPF_BUILD_DIR" -G Ninja
  cmake --build "$NWBPF_BUILD_DIR" -j2
}
