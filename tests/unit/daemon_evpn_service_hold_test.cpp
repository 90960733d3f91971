// SPDX-License-Identifier: Apache-2.0
// When EvpnService tells the daemon of import changes (evpn_service_hold.h):
// after a pause, and no later than max_hold after the first change held.
#include <gtest/gtest.h>

#include "daemon/evpn_service_hold.h"

namespace nwbpf::daemon {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

Clock::time_point at(int ms) { return Clock::time_point(milliseconds(ms)); }

TEST(ImportHold, ALoneChangeIsToldAfterThePause) {
  ImportHold<Clock> hold(milliseconds(20), milliseconds(1000));
  EXPECT_FALSE(hold.held());
  EXPECT_EQ(hold.changed(at(100)), at(120));
  EXPECT_TRUE(hold.held());
  hold.told();
  EXPECT_FALSE(hold.held());
}

TEST(ImportHold, EachChangeOfABurstMovesTheTimeUpToMaxHold) {
  ImportHold<Clock> hold(milliseconds(20), milliseconds(1000));
  EXPECT_EQ(hold.changed(at(0)), at(20));
  EXPECT_EQ(hold.changed(at(15)), at(35));
  EXPECT_EQ(hold.changed(at(970)), at(990));
  EXPECT_EQ(hold.changed(at(985)), at(1000));  // max_hold after the first
  EXPECT_EQ(hold.changed(at(1200)), at(1000));  // overdue: at once
}

TEST(ImportHold, TellingStartsTheNextHoldAfresh) {
  ImportHold<Clock> hold(milliseconds(20), milliseconds(1000));
  hold.changed(at(0));
  hold.changed(at(990));
  hold.told();
  EXPECT_EQ(hold.changed(at(1005)), at(1025));
  EXPECT_EQ(hold.changed(at(1900)), at(1920));
  EXPECT_EQ(hold.changed(at(1995)), at(2005));
}

}  // namespace
}  // namespace nwbpf::daemon
