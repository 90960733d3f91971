// SPDX-License-Identifier: Apache-2.0
// The NAT probe's bytes (daemon/nat_probe.h): what BPF recognises as a
// probe (bpf/README.md, "NAT traversal") and a NAT maps like any VXLAN.
#include <gtest/gtest.h>

#include "daemon/nat_probe.h"

namespace nwbpf::daemon {
namespace {

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

TEST(NatProbe, DatagramBytes) {
  const wire::Bytes expected = {
      // IPv4: 4/5, TOS 0, length 36, id 0 (kernel's), no fragment flags,
      // TTL 64, UDP, checksum 0 (kernel's), 10.99.1.2 -> 192.168.0.3
      0x45, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
      0x0a, 0x63, 0x01, 0x02, 0xc0, 0xa8, 0x00, 0x03,
      // UDP: 4789 -> 4789, length 16, checksum 0
      0x12, 0xb5, 0x12, 0xb5, 0x00, 0x10, 0x00, 0x00,
      // VXLAN: flags I (0x08) | PROBE (0x02), reserved, VNI 0, reserved
      0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(nat_probe_datagram(ip("10.99.1.2"), ip("192.168.0.3"), 4789), expected);
}

TEST(NatProbe, SourcePortIsTheConfiguredOne) {
  const wire::Bytes d = nat_probe_datagram(ip("10.99.1.2"), ip("192.168.0.3"), 5000);
  EXPECT_EQ(d[20], 0x13);
  EXPECT_EQ(d[21], 0x88);
  EXPECT_EQ(d[22], 0x12) << "always to the VXLAN port";
  EXPECT_EQ(d[23], 0xb5);
}

}  // namespace
}  // namespace nwbpf::daemon
