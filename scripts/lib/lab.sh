# shellcheck shell=bash
# The lab's initrd: a small cpio of our own holding lab-init.sh as /init,
# the klibc tools it runs (Debian's klibc-utils, the ones Debian's initrds
# use) and the modules it loads to reach the host's root: virtio_pci,
# 9pnet_virtio, 9p and overlay with their dependencies. Debian's own
# /boot/initrd.img is not used: unpacking its 30 MB under TCG costs ~15 s of
# every boot and nothing in it is needed. Sourced by scripts/lab.
#
# Built once per kernel under $lab_cache/<version>/ and rebuilt when the
# kernel, its modules, klibc or this recipe change (a key file records what
# it was built from).

lab_cache=${NWBPF_LAB_CACHE:-/var/cache/nwbpf-lab}
lab_modules=(virtio_pci 9pnet_virtio 9p overlay)
lab_klibc=/usr/lib/klibc/bin
lab_tools=(sh insmod mount umount mkdir sleep run-init)

# The klibc shared object the tools name as their interpreter.
lab_klibc_so() {
  local so
  so=$(readelf -l "$lab_klibc/sh" 2>/dev/null | sed -n 's/.*program interpreter: \(.*\)]$/\1/p')
  if [[ -z $so || ! -f $so ]]; then
    echo "lab: klibc not found ($lab_klibc/sh and its interpreter): install klibc-utils" >&2
    return 1
  fi
  echo "$so"
}

# What the cached initrd depends on, one line each.
lab_initrd_key() {  # version
  local version=$1 lib so
  lib=$(dirname "${BASH_SOURCE[0]}")
  so=$(lab_klibc_so) || return 1
  stat -L -c '%n %s %Y' "/boot/vmlinuz-$version" "/lib/modules/$version/modules.dep" "$so"
  sha256sum "$lib/lab.sh" "$lib/lab-init.sh" | cut -d' ' -f1
}

# The modules' files in load order, each once; built-in ones are skipped.
lab_module_files() {  # version
  local version=$1 module
  for module in "${lab_modules[@]}"; do
    modprobe -S "$version" --show-depends "$module" || return 1
  done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

# Fills directory stage with the initrd's files.
lab_stage() {  # version stage
  local version=$1 stage=$2 so tool files file
  files=$(lab_module_files "$version") || {
    echo "lab: cannot resolve the modules ${lab_modules[*]} of $version" >&2
    return 1
  }
  so=$(lab_klibc_so) || return 1
  mkdir -p "$stage/bin" "$stage/nwbpf-lab" "$stage$(dirname "$so")" || return 1
  cp "$so" "$stage$so" || return 1
  for tool in "${lab_tools[@]}"; do
    cp "$lab_klibc/$tool" "$stage/bin/" || return 1
  done
  install -m 0755 "$(dirname "${BASH_SOURCE[0]}")/lab-init.sh" "$stage/init" || return 1
  for file in $files; do
    cp "$file" "$stage/nwbpf-lab/" || return 1
    basename "$file" >>"$stage/nwbpf-lab/modules"
  done
}

# Prints the path of the lab initrd for version, building it if needed.
lab_initrd() {  # version
  local version=$1 dir key stage rc=0
  dir=$lab_cache/$version
  key=$(lab_initrd_key "$version") || return 1
  if [[ -f $dir/initrd.img && $(cat "$dir/key" 2>/dev/null) == "$key" ]]; then
    echo "$dir/initrd.img"
    return
  fi

  echo "lab: building the initrd for $version in $dir" >&2
  stage=$(mktemp -d) || return 1
  lab_stage "$version" "$stage" &&
    mkdir -p "$dir" &&
    (cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
      cpio --quiet -o -H newc --owner 0:0) >"$dir/initrd.img.new" &&
    mv "$dir/initrd.img.new" "$dir/initrd.img" &&
    echo "$key" >"$dir/key" || rc=1
  rm -rf "$stage"
  if ((rc != 0)); then
    echo "lab: cannot build the initrd in $dir" >&2
    return 1
  fi
  echo "$dir/initrd.img"
}
