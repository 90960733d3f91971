// SPDX-License-Identifier: Apache-2.0
// Attaching the benchmark's XDP programs, and the bits every tool shares.
#pragma once

#include <string>

namespace nwbpf::bench {

enum class XdpMode { native, generic };

// ifindex of `name`; throws std::runtime_error("no interface <name>").
int ifindex_of(const std::string& name);

// Holds an XDP program on an interface for its lifetime. Refuses to replace a
// program that is already there (the benchmark must know what runs where) and,
// on destruction, detaches only if its own program is still the one attached.
class XdpAttachment {
 public:
  // Throws std::runtime_error naming the interface and the kernel's error.
  XdpAttachment(const std::string& ifname, int prog_fd, XdpMode mode);
  ~XdpAttachment();
  XdpAttachment(const XdpAttachment&) = delete;
  XdpAttachment& operator=(const XdpAttachment&) = delete;

 private:
  int ifindex_;
  int prog_fd_;
  unsigned flags_;
};

}  // namespace nwbpf::bench
