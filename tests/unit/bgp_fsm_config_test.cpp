// SPDX-License-Identifier: Apache-2.0
// A bad session config is refused when the FSM is built, naming the field.
#include <gtest/gtest.h>

#include <functional>

#include "bgp_fsm_test_support.h"

namespace nwbpf::bgp::test {
namespace {

std::string refusal(const std::function<void(FsmConfig&)>& change) {
  auto c = config();
  change(c);
  try {
    Fsm fsm(c);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "accepted";
}

TEST(FsmConfig, TheDefaultsAreValid) {
  EXPECT_EQ(refusal([](FsmConfig&) {}), "accepted");
  EXPECT_EQ(refusal([](FsmConfig& c) { c.hold_time = 0; }), "accepted");
  EXPECT_EQ(refusal([](FsmConfig& c) { c.hold_time = 3; }), "accepted");
  EXPECT_EQ(refusal([](FsmConfig& c) { c.peer_as.reset(); }), "accepted");
}

TEST(FsmConfig, EachBadFieldIsNamed) {
  EXPECT_EQ(refusal([](FsmConfig& c) { c.local_as = 0; }),
            "bgp session config: local AS 0 is reserved (RFC 7607)");
  EXPECT_EQ(refusal([](FsmConfig& c) { c.router_id = Ipv4{}; }),
            "bgp session config: router-id 0.0.0.0 is not a BGP Identifier");
  EXPECT_EQ(refusal([](FsmConfig& c) { c.peer_as = 0; }),
            "bgp session config: peer AS 0 is reserved (RFC 7607)");
  EXPECT_EQ(refusal([](FsmConfig& c) { c.hold_time = 2; }),
            "bgp session config: hold time 2 s: must be 0 or at least 3");
  EXPECT_EQ(refusal([](FsmConfig& c) { c.connect_retry_time = 0s; }),
            "bgp session config: connect retry time must be positive");
  EXPECT_EQ(refusal([](FsmConfig& c) { c.families.clear(); }),
            "bgp session config: no address family");
  EXPECT_EQ(refusal([](FsmConfig& c) {
              c.families = {kL2vpnEvpn, kIpv4Unicast, kL2vpnEvpn};
            }),
            "bgp session config: an address family is listed twice");
  EXPECT_EQ(refusal([](FsmConfig& c) { c.graceful_restart_time = 4096; }),
            "bgp session config: graceful restart time over 4095 s");
  EXPECT_EQ(refusal([](FsmConfig& c) { c.damping.initial = 0s; }),
            "bgp session config: idle hold time must be positive");
  EXPECT_EQ(refusal([](FsmConfig& c) { c.damping.max = 500ms; }),
            "bgp session config: maximum idle hold time below the initial one");
}

}  // namespace
}  // namespace nwbpf::bgp::test
