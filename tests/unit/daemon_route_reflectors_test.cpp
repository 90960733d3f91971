// SPDX-License-Identifier: Apache-2.0
// Route reflectors named by overlay address follow NHRP
// (daemon/route_reflectors.h): opened where NHRP has them, kept when NHRP
// forgets them, moved when NHRP finds them elsewhere, asked for otherwise.
#include <gtest/gtest.h>

#include "daemon/route_reflectors.h"
#include "daemon_test_config.h"

namespace nwbpf::daemon {
namespace {

using test::ip;

std::vector<bgp::PeerConfig> reflectors(std::initializer_list<const char*> overlay) {
  std::vector<bgp::PeerConfig> out;
  for (const char* a : overlay) out.push_back({.address = ip(a), .remote_as = 65000});
  return out;
}

TEST(RouteReflectors, OpenedWhereNhrpHasThemAskedForOtherwise) {
  const auto rrs = reflectors({"10.0.0.100", "10.0.0.101"});
  const std::map<Ipv4, NhrpBinding> nhrp{{ip("10.0.0.100"), {ip("192.168.0.10")}}};
  EXPECT_EQ(follow_reflectors(rrs, nhrp, {}),
            (ReflectorMoves{.remove = {},
                            .add = {{ip("10.0.0.100"), ip("192.168.0.10")}},
                            .unresolved = {ip("10.0.0.101")}}));
}

TEST(RouteReflectors, AnOpenSessionStaysWhenNhrpForgetsItAndMovesWithIt) {
  const auto rrs = reflectors({"10.0.0.100"});
  const std::map<Ipv4, Ipv4> open{{ip("10.0.0.100"), ip("192.168.0.10")}};
  EXPECT_EQ(follow_reflectors(rrs, {}, open), ReflectorMoves{}) << "shortcut expired: kept";
  EXPECT_EQ(follow_reflectors(rrs, {{ip("10.0.0.100"), {ip("192.168.0.10")}}}, open),
            ReflectorMoves{})
      << "unchanged";
  EXPECT_EQ(follow_reflectors(rrs, {{ip("10.0.0.100"), {ip("192.168.0.12")}}}, open),
            (ReflectorMoves{.remove = {ip("192.168.0.10")},
                            .add = {{ip("10.0.0.100"), ip("192.168.0.12")}},
                            .unresolved = {}}));
}

}  // namespace
}  // namespace nwbpf::daemon
