// SPDX-License-Identifier: Apache-2.0
// When EvpnService tells the daemon of import changes (evpn_service_hold.h):
// after a pause, and no later than max_hold after the first change held;
// while a peer's table is coming, max_hold after the first.
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
  EXPECT_EQ(hold.changed(at(100), false), at(120));
  EXPECT_TRUE(hold.held());
  hold.told();
  EXPECT_FALSE(hold.held());
}

TEST(ImportHold, EachChangeOfABurstMovesTheTimeUpToMaxHold) {
  ImportHold<Clock> hold(milliseconds(20), milliseconds(1000));
  EXPECT_EQ(hold.changed(at(0), false), at(20));
  EXPECT_EQ(hold.changed(at(15), false), at(35));
  EXPECT_EQ(hold.changed(at(970), false), at(990));
  EXPECT_EQ(hold.changed(at(985), false), at(1000));  // max_hold after the first
  EXPECT_EQ(hold.changed(at(1200), false), at(1000));  // overdue: at once
}

TEST(ImportHold, TellingStartsTheNextHoldAfresh) {
  ImportHold<Clock> hold(milliseconds(20), milliseconds(1000));
  hold.changed(at(0), false);
  hold.changed(at(990), false);
  hold.told();
  EXPECT_EQ(hold.changed(at(1005), false), at(1025));
  EXPECT_EQ(hold.changed(at(1900), false), at(1920));
  EXPECT_EQ(hold.changed(at(1995), false), at(2005));
}

TEST(ImportHold, WhileATableComesPausesDoNotEndTheHold) {
  ImportHold<Clock> hold(milliseconds(20), milliseconds(1000));
  EXPECT_EQ(hold.changed(at(0), true), at(1000));
  EXPECT_EQ(hold.changed(at(500), true), at(1000));
  // End-of-RIB came (the caller told at once); what follows is a burst.
  hold.told();
  EXPECT_EQ(hold.changed(at(1500), false), at(1520));
  // A change held by a pause, then a peer starts sending its table.
  EXPECT_EQ(hold.changed(at(1510), true), at(2500));
}

}  // namespace
}  // namespace nwbpf::daemon
