// SPDX-License-Identifier: Apache-2.0
#include "xdp_attach.h"

#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include <cstring>
#include <stdexcept>

namespace nwbpf::bench {

int ifindex_of(const std::string& name) {
  unsigned idx = if_nametoindex(name.c_str());
  if (!idx) throw std::runtime_error("no interface " + name);
  return int(idx);
}

XdpAttachment::XdpAttachment(const std::string& ifname, int prog_fd, XdpMode mode)
    : ifindex_(ifindex_of(ifname)),
      prog_fd_(prog_fd),
      flags_(mode == XdpMode::native ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE) {
  int err = bpf_xdp_attach(ifindex_, prog_fd_, flags_ | XDP_FLAGS_UPDATE_IF_NOEXIST, nullptr);
  if (err == -EBUSY || err == -EEXIST)
    throw std::runtime_error(ifname + " already has an XDP program; detach it first");
  if (err) throw std::runtime_error("attaching XDP to " + ifname + ": " + std::strerror(-err));
}

XdpAttachment::~XdpAttachment() {
  LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = prog_fd_);
  // XDP_FLAGS_REPLACE: a program someone attached after us stays.
  bpf_xdp_detach(ifindex_, flags_ | XDP_FLAGS_REPLACE, &opts);
}

}  // namespace nwbpf::bench
