// SPDX-License-Identifier: Apache-2.0
// The BPF filesystem the maps are pinned in.
#pragma once

#include <string>

namespace nwbpf {

// Makes sure `bpffs` is on a BPF filesystem, mounting one there (creating the
// directory) if it is not: a fresh network namespace or container often has
// none, and `ip netns exec` hides the host's /sys/fs/bpf. Then creates
// `pin_dir`. Throws std::runtime_error naming the path and the errno text.
void prepare_pin_dir(const std::string& bpffs, const std::string& pin_dir);

// Whether `path` lies on a BPF filesystem (false if it does not exist).
bool is_bpffs(const std::string& path);

}  // namespace nwbpf
