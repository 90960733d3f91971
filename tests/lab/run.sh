#!/usr/bin/env bash
# ctest's entry to the lab: exit 77 (skipped) when not root, otherwise
# scripts/lab with the given options and command, its console log kept in
# the build tree (Testing/lab-<name>.log) for a failure's verifier messages.
# usage: run.sh NAME [scripts/lab options] -- COMMAND [ARGS...]
set -euo pipefail
if ((EUID != 0)); then
  echo "lab tests need root (qemu reads the host's files; the initrd cache is in /var/cache)" >&2
  exit 77
fi
name=$1
shift
: "${NWBPF_BUILD_DIR:?run.sh needs NWBPF_BUILD_DIR (set by tests/lab/CMakeLists.txt)}"
mkdir -p "$NWBPF_BUILD_DIR/Testing"
exec "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lab" \
  --log "$NWBPF_BUILD_DIR/Testing/lab-$name.log" "$@"
