// SPDX-License-Identifier: Apache-2.0
// FSM timers on the injected clock: each fires at its deadline and not a
// nanosecond before, with the periods RFC 4271 §8, §10 give them.
#include <gtest/gtest.h>

#include <set>

#include "bgp_fsm_test_support.h"

namespace nwbpf::bgp::test {
namespace {

constexpr Duration kTick = 1ns;

TEST(FsmTimers, ConnectRetryFiresAtItsPeriodAndReconnects) {
  Driver d;
  d.feed(event::ManualStart{});
  EXPECT_EQ(d.fsm.next_deadline(), t0 + 120s);
  EXPECT_EQ(names(d.fsm.expire(t0 + 120s - kTick)), Names{});
  EXPECT_EQ(names(d.fsm.expire(t0 + 120s)), (Names{"Close", "Connect"}));
  EXPECT_EQ(d.fsm.state(), State::connect);
  EXPECT_EQ(d.fsm.next_deadline(), t0 + 240s);
}

TEST(FsmTimers, ConnectRetryTimeIsConfigurable) {
  auto c = config();
  c.connect_retry_time = 5s;
  Driver d(c);
  d.feed(event::ManualStart{});
  EXPECT_EQ(d.fsm.next_deadline(), t0 + 5s);
}

TEST(FsmTimers, ConnectRetryStopsWhenTheConnectionIsUp) {
  Driver d;
  d.feed(event::ManualStart{});
  d.now = t0 + 10s;
  d.feed(event::TcpCrAcked{});
  // Only the OpenSent HoldTimer runs now.
  EXPECT_EQ(d.fsm.next_deadline(), t0 + 10s + kOpenSentHoldTime);
}

TEST(FsmTimers, OpenSentWaitsFourMinutesForTheOpen) {
  Driver d;
  d.reach(State::open_sent);
  EXPECT_EQ(d.fsm.next_deadline(), t0 + 240s);
  EXPECT_EQ(names(d.fsm.expire(t0 + 240s - kTick)), Names{});
  EXPECT_EQ(names(d.fsm.expire(t0 + 240s)), (Names{"SendNotification 4/0", "Close"}));
  EXPECT_EQ(d.fsm.last_down()->cause, DownCause::hold_timer_expired);
}

TEST(FsmTimers, OpenConfirmSendsKeepalivesEveryThirdOfTheHoldTime) {
  Driver d;
  d.reach(State::open_confirm);
  EXPECT_EQ(d.fsm.next_deadline(), t0 + 30s);
  EXPECT_EQ(names(d.fsm.expire(t0 + 30s - kTick)), Names{});
  EXPECT_EQ(names(d.fsm.expire(t0 + 30s)), Names{"SendKeepalive"});
  EXPECT_EQ(d.fsm.next_deadline(), t0 + 60s);
}

TEST(FsmTimers, HoldTimerExpiresWithoutKeepalivesFromThePeer) {
  Driver d;
  d.reach(State::established);
  EXPECT_EQ(names(d.advance(30s)), Names{"SendKeepalive"});
  EXPECT_EQ(names(d.advance(30s)), Names{"SendKeepalive"});
  EXPECT_EQ(names(d.advance(30s - kTick)), Names{});
  EXPECT_EQ(names(d.advance(kTick)),
            (Names{"SendNotification 4/0", "Close", "SessionDown retain"}));
  EXPECT_EQ(d.fsm.state(), State::idle);
}

TEST(FsmTimers, KeepaliveAndUpdateFromThePeerRestartTheHoldTimer) {
  Driver d;
  d.reach(State::established);
  d.now = t0 + 60s;
  d.feed(event::KeepaliveReceived{});
  d.now = t0 + 100s;
  d.feed(event::UpdateReceived{});
  d.fsm.expire(t0 + 190s - kTick);
  EXPECT_EQ(d.fsm.state(), State::established);
  d.fsm.expire(t0 + 190s);
  EXPECT_EQ(d.fsm.state(), State::idle);
}

TEST(FsmTimers, SendingAnUpdateRestartsTheKeepaliveTimer) {
  Driver d;
  d.reach(State::established);
  d.fsm.update_sent(t0 + 20s);
  EXPECT_EQ(d.fsm.next_deadline(), t0 + 50s);
}

TEST(FsmTimers, HoldTimeZeroRunsNoTimerAndSendsNoKeepalive) {
  Driver d;
  d.reach(State::open_sent);
  d.feed(event::OpenReceived{peer_open(0)});
  EXPECT_EQ(d.fsm.next_deadline(), std::nullopt);
  d.feed(event::KeepaliveReceived{});
  EXPECT_EQ(d.fsm.state(), State::established);
  EXPECT_EQ(d.fsm.next_deadline(), std::nullopt);
  d.fsm.update_sent(t0 + 1s);
  EXPECT_EQ(d.fsm.next_deadline(), std::nullopt);
  EXPECT_EQ(names(d.fsm.expire(t0 + 24h)), Names{});
}

TEST(FsmTimers, HoldTimeThreeKeepsAliveEverySecond) {
  Driver d;
  d.reach(State::open_sent);
  d.feed(event::OpenReceived{peer_open(3)});
  d.feed(event::KeepaliveReceived{});
  EXPECT_EQ(names(d.fire()), Names{"SendKeepalive"});
  EXPECT_EQ(d.now, t0 + 1s);
  EXPECT_EQ(names(d.fire()), Names{"SendKeepalive"});
  // At 3 s the HoldTimer and a KEEPALIVE are due together: the session ends
  // first, and the KEEPALIVE is not sent.
  EXPECT_EQ(names(d.fire()), (Names{"SendNotification 4/0", "Close", "SessionDown retain"}));
  EXPECT_EQ(d.now, t0 + 3s);
}

TEST(FsmTimers, ALateAdapterGetsDueTimersInDeadlineOrder) {
  Driver d;
  d.reach(State::established);
  EXPECT_EQ(names(d.fsm.expire(t0 + 1h)),
            (Names{"SendKeepalive", "SendNotification 4/0", "Close", "SessionDown retain"}));
}

TEST(FsmTimers, JitterAppliesToConnectRetryKeepaliveAndIdleHoldNotHold) {
  auto c = config();
  c.jitter = [](Duration period) { return period / 2; };
  Driver d(c);
  d.feed(event::ManualStart{});
  EXPECT_EQ(d.fsm.next_deadline(), t0 + 60s);
  d.feed(event::TcpConnectionFails{});
  EXPECT_EQ(d.fsm.next_deadline(), t0 + 500ms);  // idle hold 1 s
  d.fire();
  d.feed(event::TcpCrAcked{});
  d.feed(event::OpenReceived{peer_open()});
  EXPECT_EQ(d.fsm.next_deadline(), d.now + 15s);
  d.feed(event::KeepaliveReceived{});
  d.advance(15s);
  d.advance(15s);
  d.advance(15s);
  d.advance(15s);
  EXPECT_EQ(d.fsm.state(), State::established);  // 60 s: no hold expiry yet
  d.advance(30s);
  EXPECT_EQ(d.fsm.state(), State::idle);  // 90 s
}

TEST(RandomJitter, DrawsFromThreeQuartersToTheWholePeriod) {
  auto jitter = random_jitter(42);
  std::set<Duration> seen;
  for (int i = 0; i < 1000; ++i) {
    const Duration d = jitter(100s);
    EXPECT_GE(d, 75s);
    EXPECT_LE(d, 100s);
    seen.insert(d);
  }
  EXPECT_GT(seen.size(), 900u);
}

TEST(RandomJitter, SameSeedSameSequence) {
  auto a = random_jitter(7);
  auto b = random_jitter(7);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a(30s), b(30s));
}

}  // namespace
}  // namespace nwbpf::bgp::test
