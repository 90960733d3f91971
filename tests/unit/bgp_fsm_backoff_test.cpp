// SPDX-License-Identifier: Apache-2.0
// Damping of a flapping peer (backoff.h): the IdleHoldTime doubles with each
// drop from 1 s to the 120 s cap and is forgotten after a session that
// stayed Established for 120 s, or on a manual start or stop.
#include <gtest/gtest.h>

#include "bgp/backoff.h"
#include "bgp_fsm_test_support.h"

namespace nwbpf::bgp::test {
namespace {

std::vector<Duration> waits(IdleHoldBackoff& b, int n, TimePoint at = t0) {
  std::vector<Duration> out;
  for (int i = 0; i < n; ++i) out.push_back(b.drop(at));
  return out;
}

TEST(IdleHoldBackoff, DoublesFromOneSecondUpToTheCap) {
  IdleHoldBackoff b{DampingConfig{}};
  EXPECT_EQ(waits(b, 10), (std::vector<Duration>{1s, 2s, 4s, 8s, 16s, 32s, 64s, 120s, 120s, 120s}));
  EXPECT_EQ(b.drops(), 10u);
}

TEST(IdleHoldBackoff, ManyDropsStayAtTheCap) {
  IdleHoldBackoff b{DampingConfig{}};
  waits(b, 1000);
  EXPECT_EQ(b.drop(t0), 120s);
}

TEST(IdleHoldBackoff, ASessionUpForTheStableTimeClearsTheHistory) {
  IdleHoldBackoff b{DampingConfig{}};
  waits(b, 5);
  b.established(t0 + 10s);
  EXPECT_EQ(b.drop(t0 + 10s + 120s), 1s);
  EXPECT_EQ(b.drops(), 1u);
}

TEST(IdleHoldBackoff, AShorterSessionKeepsDoubling) {
  IdleHoldBackoff b{DampingConfig{}};
  waits(b, 3);  // 1, 2, 4
  b.established(t0 + 10s);
  EXPECT_EQ(b.drop(t0 + 10s + 120s - 1ns), 8s);
  // The Established time counts once: the next drop has no session behind it.
  EXPECT_EQ(b.drop(t0 + 1h), 16s);
}

TEST(IdleHoldBackoff, ResetStartsAfresh) {
  IdleHoldBackoff b{DampingConfig{}};
  waits(b, 4);
  b.reset();
  EXPECT_EQ(b.drops(), 0u);
  EXPECT_EQ(b.drop(t0), 1s);
}

TEST(IdleHoldBackoff, FiguresAreConfigurable) {
  IdleHoldBackoff b{DampingConfig{5s, 30s, 60s}};
  EXPECT_EQ(waits(b, 4), (std::vector<Duration>{5s, 10s, 20s, 30s}));
}

// An active session whose peer refused `n` connections, each retried when
// its IdleHoldTimer expired.
Driver after_refusals(int n) {
  Driver d;
  d.feed(event::ManualStart{});
  for (int i = 0; i < n; ++i) {
    d.feed(event::TcpConnectionFails{});
    d.fire();
  }
  return d;
}

// The instants at which an active session tries to connect to a peer that
// refuses every connection: the waits add up 1, 2, 4, ... s.
TEST(FsmBackoff, ARefusingPeerIsRetriedEverMoreSlowly) {
  Driver d;
  d.feed(event::ManualStart{});
  std::vector<Duration> connects{0s};
  for (int i = 0; i < 9; ++i) {
    d.feed(event::TcpConnectionFails{});
    EXPECT_EQ(d.fsm.state(), State::idle);
    EXPECT_EQ(names(d.fire()), Names{"Connect"});
    connects.push_back(d.now - t0);
  }
  EXPECT_EQ(connects, (std::vector<Duration>{0s, 1s, 3s, 7s, 15s, 31s, 63s, 127s, 247s, 367s}));
  EXPECT_EQ(d.fsm.connect_retry_counter(), 9u);
}

// A peer that resets the session seconds after it comes up is damped; one
// that stays up for the stable time starts over at 1 s.
TEST(FsmBackoff, AFlappingSessionIsDampedAndALastingOneForgiven) {
  Driver d;
  auto flap = [&](Duration up) {
    d.feed(event::TcpCrAcked{});
    d.feed(event::OpenReceived{peer_open()});
    d.feed(event::KeepaliveReceived{});
    EXPECT_EQ(d.fsm.state(), State::established);
    d.now += up;
    d.feed(event::NotificationReceived{Notification{ErrorCode::cease, 4, {}}});
    const TimePoint down = d.now;
    d.fire();  // the automatic start
    return d.now - down;
  };
  d.feed(event::ManualStart{});
  EXPECT_EQ(flap(5s), 1s);
  EXPECT_EQ(flap(5s), 2s);
  EXPECT_EQ(flap(5s), 4s);
  // Keepalives keep the session up for two minutes.
  d.feed(event::TcpCrAcked{});
  d.feed(event::OpenReceived{peer_open()});
  d.feed(event::KeepaliveReceived{});
  for (int i = 0; i < 4; ++i) {
    d.advance(30s);
    d.feed(event::KeepaliveReceived{});
  }
  d.feed(event::TcpConnectionFails{});
  EXPECT_EQ(d.fsm.next_deadline(), d.now + 1s);
}

TEST(FsmBackoff, ManualStopAndStartForgetTheDrops) {
  Driver d = after_refusals(5);
  d.feed(event::ManualStop{});
  EXPECT_EQ(d.fsm.connect_retry_counter(), 0u);
  d.feed(event::ManualStart{});
  d.feed(event::TcpConnectionFails{});
  EXPECT_EQ(d.fsm.next_deadline(), d.now + 1s);
}

TEST(FsmBackoff, ManualStopInIdleCancelsTheAutomaticStart) {
  Driver d;
  d.feed(event::ManualStart{});
  d.feed(event::TcpConnectionFails{});
  ASSERT_TRUE(d.fsm.next_deadline());
  EXPECT_EQ(names(d.feed(event::ManualStop{})), Names{});
  EXPECT_EQ(d.fsm.next_deadline(), std::nullopt);
  EXPECT_EQ(names(d.fsm.expire(t0 + 1h)), Names{});
  EXPECT_EQ(d.fsm.state(), State::idle);
}

TEST(FsmBackoff, ManualStartInIdleDoesNotWaitForTheIdleHoldTimer) {
  Driver d = after_refusals(4);
  d.feed(event::TcpConnectionFails{});
  EXPECT_EQ(names(d.feed(event::ManualStart{})), Names{"Connect"});
  EXPECT_EQ(d.fsm.state(), State::connect);
  EXPECT_EQ(d.fsm.next_deadline(), d.now + 120s);  // ConnectRetryTimer only
}

TEST(FsmBackoff, APassiveSessionGoesBackToListening) {
  Driver d;
  d.feed(event::ManualStartPassive{});
  d.feed(event::TcpConnectionConfirmed{});
  d.feed(event::NotificationReceived{Notification{ErrorCode::cease, 4, {}}});
  EXPECT_EQ(d.fsm.next_deadline(), d.now + 1s);
  EXPECT_EQ(names(d.fire()), Names{});
  EXPECT_EQ(d.fsm.state(), State::active);
}

}  // namespace
}  // namespace nwbpf::bgp::test
