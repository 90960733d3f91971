// SPDX-License-Identifier: Apache-2.0
// Graceful restart, helper side (RFC 4724 §4.2), on an injected clock: a
// restarting reflector's routes stay (and stay installed) as stale; its
// End-of-RIB removes the ones it did not send again; the restart time, or
// the stale-path time once it is back, removes them all.
#include "evpn_rib_test_support.h"

namespace nwbpf::evpn {
namespace {

using namespace test;
using std::chrono::seconds;

const char* kRr = "10.0.0.1";
const MacIpRoute kKept = mac_route("10.0.0.12:1", "02:00:00:00:00:01", 100);
const MacIpRoute kGone = mac_route("10.0.0.12:1", "02:00:00:00:00:02", 100);
const MacKey kGoneKey{100, mac("02:00:00:00:00:02")};

class EvpnGracefulRestart : public ::testing::Test {
 protected:
  Speaker ce{ce_config("10.0.0.11", {100})};
  void SetUp() override {
    ce.peer_up(v4(kRr), session(kRr, graceful_restart(120, false)), at(seconds(0)));
    auto out =
        receive(announce({kKept, kGone}, vtep_attributes("10.0.0.12", {auto_rt(100)})), seconds(1));
    EXPECT_EQ(out.import.added.size(), 2u);
  }
  SpeakerOutput receive(const bgp::Update& update, seconds when) {
    return ok(ce.receive(v4(kRr), update, at(when)));
  }
  // The session drops with the peer's Graceful Restart capability.
  SpeakerOutput drop(seconds when, uint16_t restart_time = 120) {
    return ce.peer_down(v4(kRr), graceful_restart(restart_time, false), at(when));
  }
};

TEST_F(EvpnGracefulRestart, RoutesOfARestartingPeerStayInstalledAsStale) {
  auto out = drop(seconds(10));
  EXPECT_TRUE(out.import.empty());
  EXPECT_TRUE(out.send.empty());
  EXPECT_EQ(out.notes,
            std::vector<std::string>{"peer 10.0.0.1: keeping 2 routes as stale for 120 s "
                                     "(RFC 4724 §4.2)"});
  EXPECT_EQ(ce.next_deadline(), at(seconds(130)));
  EXPECT_EQ(ce.peers()[0].stale, 2u);
  EXPECT_TRUE(ce.expire(at(seconds(129))).import.empty());
}

TEST_F(EvpnGracefulRestart, EndOfRibRemovesWhatWasNotRefreshed) {
  drop(seconds(10));
  auto up = ce.peer_up(v4(kRr), session(kRr, graceful_restart(120, true)), at(seconds(20)));
  EXPECT_TRUE(up.import.empty());
  EXPECT_EQ(read_sent(up, kRr).end_of_rib, 1u);          // our table goes to it again
  EXPECT_EQ(ce.next_deadline(), at(seconds(20 + 360)));  // the stale-path time now
  // It sends kKept again, then End-of-RIB.
  EXPECT_TRUE(receive(announce({kKept}, vtep_attributes("10.0.0.12", {auto_rt(100)})), seconds(21))
                  .import.empty());
  EXPECT_EQ(ce.peers()[0].stale, 1u);
  auto eor = receive(bgp::make_end_of_rib(bgp::kL2vpnEvpn), seconds(22));
  EXPECT_EQ(eor.import.removed, std::vector{kGoneKey});
  EXPECT_EQ(eor.notes, std::vector<std::string>{"peer 10.0.0.1: removing 1 stale routes: not "
                                                "refreshed before End-of-RIB"});
  EXPECT_FALSE(ce.next_deadline());
  EXPECT_TRUE(ce.peers()[0].end_of_rib_received);
  EXPECT_EQ(ce.imports().macs(), std::vector{remote(100, "02:00:00:00:00:01", "10.0.0.12")});
}

TEST_F(EvpnGracefulRestart, TheRestartTimeRemovesEverythingStale) {
  drop(seconds(10));
  EXPECT_TRUE(ce.expire(at(seconds(129))).import.empty());
  auto out = ce.expire(at(seconds(130)));
  EXPECT_EQ(out.import.removed.size(), 2u);
  EXPECT_EQ(out.notes, std::vector<std::string>{"peer 10.0.0.1: removing 2 stale routes: "
                                                "restart time expired"});
  EXPECT_FALSE(ce.next_deadline());
  EXPECT_EQ(ce.peers()[0].paths, 0u);
}

TEST_F(EvpnGracefulRestart, NoEndOfRibInTheStalePathTimeRemovesThemToo) {
  drop(seconds(10));
  ce.peer_up(v4(kRr), session(kRr, graceful_restart(120, true)), at(seconds(20)));
  EXPECT_TRUE(ce.expire(at(seconds(379))).import.empty());
  EXPECT_EQ(ce.expire(at(seconds(380))).import.removed.size(), 2u);
}

TEST_F(EvpnGracefulRestart, APeerBackWithoutForwardingStateLosesItsStaleRoutesAtOnce) {
  drop(seconds(10));
  auto up = ce.peer_up(v4(kRr), session(kRr, graceful_restart(120, false)), at(seconds(20)));
  EXPECT_EQ(up.import.removed.size(), 2u);
  EXPECT_FALSE(ce.next_deadline());
}

TEST_F(EvpnGracefulRestart, WithoutRetainOrWithRestartTimeZeroRoutesGoAtOnce) {
  auto out = ce.peer_down(v4(kRr), std::nullopt, at(seconds(10)));
  EXPECT_EQ(out.import.removed.size(), 2u);
  EXPECT_FALSE(ce.next_deadline());

  ce.peer_up(v4(kRr), session(kRr), at(seconds(20)));
  receive(announce({kKept}, vtep_attributes("10.0.0.12", {auto_rt(100)})), seconds(21));
  EXPECT_EQ(drop(seconds(30), 0).import.removed.size(), 1u);
}

}  // namespace
}  // namespace nwbpf::evpn
