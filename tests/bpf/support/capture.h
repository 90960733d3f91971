// SPDX-License-Identifier: Apache-2.0
// AF_PACKET socket on one device: sends frames out of it and captures the
// frames it receives. A VLAN tag the kernel carried in skb metadata
// (PACKET_AUXDATA) is put back in-band, so a capture reads as the wire would.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "support/packet.h"

namespace nwbpf::test {

class Capture {
 public:
  explicit Capture(const std::string& ifname);
  ~Capture();
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  void send(const Bytes& frame);
  // Next frame received (not sent) on the device within timeout_ms.
  std::optional<Bytes> next(int timeout_ms = 500);
  // Every frame received until timeout_ms passes without one.
  std::vector<Bytes> drain(int timeout_ms = 200);

 private:
  int fd_ = -1;
  int ifindex_ = 0;
};

}  // namespace nwbpf::test
