// SPDX-License-Identifier: Apache-2.0
#include "dataplane/bpffs.h"

#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/statfs.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "common/log.h"

namespace nwbpf {

bool is_bpffs(const std::string& path) {
  struct statfs st {};
  return ::statfs(path.c_str(), &st) == 0 && st.f_type == BPF_FS_MAGIC;
}

namespace {

void create_directories(const std::string& path, const char* what) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec)
    throw std::runtime_error("cannot create " + std::string(what) + " " + path + ": " +
                             ec.message());
}

}  // namespace

void prepare_pin_dir(const std::string& bpffs, const std::string& pin_dir) {
  if (!is_bpffs(bpffs)) {
    create_directories(bpffs, "bpffs mount point");
    // mode=0700: pinned maps hold forwarding state only root should change.
    if (::mount("bpf", bpffs.c_str(), "bpf", 0, "mode=0700") != 0)
      throw std::runtime_error(
          "agent.bpffs " + bpffs +
          " is not a BPF filesystem and mounting one there failed: " + std::strerror(errno));
    log::get("dataplane")->info("mounted a BPF filesystem at {} (agent.bpffs)", bpffs);
  }
  create_directories(pin_dir, "pin directory");
}

}  // namespace nwbpf
