#!/usr/bin/env bash
# Runs inside the lab guest: BPF test binaries with GoogleTest filters, all
# of them even when one fails, so one run shows every failure (the verifier's
# log of a program the 6.1 kernel rejects comes with the failing test).
# usage: bpf.sh BINARY FILTER [BINARY FILTER...]
set -uo pipefail
(($# > 0 && $# % 2 == 0)) || {
  echo "usage: bpf.sh BINARY FILTER [BINARY FILTER...]" >&2
  exit 2
}
echo "kernel $(uname -r)"
failed=()
while (($#)); do
  "$1" --gtest_filter="$2" || failed+=("$(basename "$1") --gtest_filter=$2")
  shift 2
done
if ((${#failed[@]})); then
  echo "lab_bpf: failed on $(uname -r):" >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
