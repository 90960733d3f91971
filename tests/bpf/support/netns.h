// SPDX-License-Identifier: Apache-2.0
// A private network namespace for one test: the process unshares into a new
// one (devices, routes and neighbours vanish with it), and configures it with
// iproute2, exactly as an operator would.
#pragma once

#include <string>

#include "support/packet.h"

namespace nwbpf::test {

class TestNetns {
 public:
  // unshare(CLONE_NEWNET); IPv6 off (no router solicitations or MLD reports
  // to disturb captures); lo up. Throws std::runtime_error on failure.
  TestNetns();

  // Runs the lines as `ip -batch -`; throws with ip's output on failure.
  static void ip(const std::string& batch);
  static void sysctl(const std::string& path, const std::string& value);
  // GRO on a device (SIOCETHTOOL): on a veth it turns on the NAPI that
  // XDP frames sent to it need. Throws std::runtime_error on failure.
  static void set_gro(const std::string& name, bool on);
  static int ifindex(const std::string& name);
  static MacAddr mac_of(const std::string& name);
};

}  // namespace nwbpf::test
