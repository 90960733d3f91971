// SPDX-License-Identifier: Apache-2.0
// Every entry of the FSM table (agent/bgp/fsm_table.cpp) that can happen:
// the state reached by the usual path, one event, the next state and the
// actions. The expectations are written out here again, from RFC 4271
// §8.2.2 and the deviations fsm_table.cpp lists, not derived from the table.
#include <gtest/gtest.h>

#include <set>

#include "bgp_fsm_test_support.h"

namespace nwbpf::bgp::test {
namespace {

using E = EventKind;
using S = State;

struct Row {
  S from;
  E event;
  S to;
  Names actions;
  bool passive = false;  // for IdleHoldTimer_Expires: the session was passive
};

bool is_timer(E e) {
  return e == E::connect_retry_expires || e == E::hold_timer_expires ||
         e == E::keepalive_timer_expires || e == E::idle_hold_timer_expires;
}

const Names kNone{};
const Names kClose{"Close"};

// The message and control events, whose handling is the same in Connect and
// Active: before the BGP connection, every message is "any other event".
std::vector<Row> before_open(S s) {
  return {
      {s, E::manual_start, s, kNone},
      {s, E::manual_stop, S::idle, kClose},
      {s, E::manual_start_passive, s, kNone},
      {s, E::tcp_connection_valid, s, kNone},
      {s, E::tcp_cr_acked, S::open_sent, {"SendOpen"}},
      {s, E::tcp_connection_confirmed, S::open_sent, {"SendOpen"}},
      {s, E::tcp_connection_fails, S::idle, kClose},
      {s, E::bgp_open, S::idle, kClose},
      {s, E::bgp_header_err, S::idle, kClose},
      {s, E::bgp_open_msg_err, S::idle, kClose},
      {s, E::open_collision_dump, S::idle, kClose},
      {s, E::notif_msg, S::idle, kClose},
      {s, E::keepalive_msg, S::idle, kClose},
      {s, E::update_msg, S::idle, kClose},
      {s, E::update_msg_err, S::idle, kClose},
  };
}

std::vector<Row> rows() {
  std::vector<Row> r{
      {S::idle, E::manual_start, S::connect, {"Connect"}},
      {S::idle, E::manual_stop, S::idle, kNone},
      {S::idle, E::manual_start_passive, S::active, kNone},
      {S::idle, E::idle_hold_timer_expires, S::connect, {"Connect"}},
      {S::idle, E::idle_hold_timer_expires, S::active, kNone, true},
      {S::idle, E::tcp_connection_valid, S::idle, kClose},
      {S::idle, E::tcp_cr_acked, S::idle, kClose},
      {S::idle, E::tcp_connection_confirmed, S::idle, kClose},
      {S::idle, E::tcp_connection_fails, S::idle, kNone},
      {S::idle, E::bgp_open, S::idle, kNone},
      {S::idle, E::bgp_header_err, S::idle, kNone},
      {S::idle, E::bgp_open_msg_err, S::idle, kNone},
      {S::idle, E::open_collision_dump, S::idle, kNone},
      {S::idle, E::notif_msg, S::idle, kNone},
      {S::idle, E::keepalive_msg, S::idle, kNone},
      {S::idle, E::update_msg, S::idle, kNone},
      {S::idle, E::update_msg_err, S::idle, kNone},

      {S::connect, E::connect_retry_expires, S::connect, {"Close", "Connect"}},

      {S::open_sent, E::manual_start, S::open_sent, kNone},
      {S::open_sent, E::manual_stop, S::idle, {"SendNotification 6/2", "Close"}},
      {S::open_sent, E::manual_start_passive, S::open_sent, kNone},
      {S::open_sent, E::hold_timer_expires, S::idle, {"SendNotification 4/0", "Close"}},
      {S::open_sent, E::tcp_connection_valid, S::open_sent, kNone},
      {S::open_sent, E::tcp_cr_acked, S::open_sent, kNone},
      {S::open_sent, E::tcp_connection_confirmed, S::open_sent, kNone},
      {S::open_sent, E::tcp_connection_fails, S::idle, kClose},
      {S::open_sent, E::bgp_open, S::open_confirm, {"SendKeepalive"}},
      {S::open_sent, E::bgp_header_err, S::idle, {"SendNotification 1/2", "Close"}},
      {S::open_sent, E::bgp_open_msg_err, S::idle, {"SendNotification 2/4", "Close"}},
      {S::open_sent, E::open_collision_dump, S::idle, {"SendNotification 6/7", "Close"}},
      {S::open_sent, E::notif_msg, S::idle, kClose},
      {S::open_sent, E::keepalive_msg, S::idle, {"SendNotification 5/1", "Close"}},
      {S::open_sent, E::update_msg, S::idle, {"SendNotification 5/1", "Close"}},
      {S::open_sent, E::update_msg_err, S::idle, {"SendNotification 5/1", "Close"}},

      {S::open_confirm, E::manual_start, S::open_confirm, kNone},
      {S::open_confirm, E::manual_stop, S::idle, {"SendNotification 6/2", "Close"}},
      {S::open_confirm, E::manual_start_passive, S::open_confirm, kNone},
      {S::open_confirm, E::hold_timer_expires, S::idle, {"SendNotification 4/0", "Close"}},
      {S::open_confirm, E::keepalive_timer_expires, S::open_confirm, {"SendKeepalive"}},
      {S::open_confirm, E::tcp_connection_valid, S::open_confirm, kNone},
      {S::open_confirm, E::tcp_cr_acked, S::open_confirm, kNone},
      {S::open_confirm, E::tcp_connection_confirmed, S::open_confirm, kNone},
      {S::open_confirm, E::tcp_connection_fails, S::idle, kClose},
      {S::open_confirm, E::bgp_open, S::idle, {"SendNotification 5/2", "Close"}},
      {S::open_confirm, E::bgp_header_err, S::idle, {"SendNotification 1/2", "Close"}},
      {S::open_confirm, E::bgp_open_msg_err, S::idle, {"SendNotification 2/4", "Close"}},
      {S::open_confirm, E::open_collision_dump, S::idle, {"SendNotification 6/7", "Close"}},
      {S::open_confirm, E::notif_msg, S::idle, kClose},
      {S::open_confirm, E::keepalive_msg, S::established, {"SessionEstablished"}},
      {S::open_confirm, E::update_msg, S::idle, {"SendNotification 5/2", "Close"}},
      {S::open_confirm, E::update_msg_err, S::idle, {"SendNotification 5/2", "Close"}},

      {S::established, E::manual_start, S::established, kNone},
      {S::established, E::manual_stop, S::idle, {"SendNotification 6/2", "Close", "SessionDown"}},
      {S::established, E::manual_start_passive, S::established, kNone},
      {S::established,
       E::hold_timer_expires,
       S::idle,
       {"SendNotification 4/0", "Close", "SessionDown retain"}},
      {S::established, E::keepalive_timer_expires, S::established, {"SendKeepalive"}},
      {S::established, E::tcp_connection_valid, S::established, kNone},
      {S::established, E::tcp_cr_acked, S::established, kNone},
      {S::established, E::tcp_connection_confirmed, S::established, kNone},
      {S::established, E::tcp_connection_fails, S::idle, {"Close", "SessionDown retain"}},
      {S::established, E::bgp_open, S::idle, {"SendNotification 5/3", "Close", "SessionDown"}},
      {S::established,
       E::bgp_header_err,
       S::idle,
       {"SendNotification 1/2", "Close", "SessionDown"}},
      {S::established,
       E::bgp_open_msg_err,
       S::idle,
       {"SendNotification 5/3", "Close", "SessionDown"}},
      {S::established,
       E::open_collision_dump,
       S::idle,
       {"SendNotification 6/7", "Close", "SessionDown"}},
      {S::established, E::notif_msg, S::idle, {"Close", "SessionDown"}},
      {S::established, E::keepalive_msg, S::established, kNone},
      {S::established, E::update_msg, S::established, kNone},
      {S::established,
       E::update_msg_err,
       S::idle,
       {"SendNotification 3/1", "Close", "SessionDown"}},
  };
  for (S s : {S::connect, S::active})
    for (auto& row : before_open(s)) r.push_back(std::move(row));
  return r;
}

class FsmTable : public ::testing::TestWithParam<Row> {};

TEST_P(FsmTable, Transition) {
  const Row& row = GetParam();
  Driver d;
  if (row.event == E::idle_hold_timer_expires) {
    // Idle with an automatic start pending: a connection failed.
    d.reach(row.passive ? S::active : S::connect);
    d.feed(event::TcpConnectionFails{});
  } else {
    d.reach(row.from);
  }
  ASSERT_EQ(d.fsm.state(), row.from);

  Actions out;
  if (row.event == E::hold_timer_expires) {
    // KEEPALIVEs fall due on the way (two at most); the last step is the
    // HoldTimer's.
    for (int i = 0; i < 4 && d.fsm.state() == row.from; ++i) out = d.fire();
  } else if (is_timer(row.event)) {
    out = d.fire();
  } else {
    out = d.feed(sample(row.event));
  }
  EXPECT_EQ(d.fsm.state(), row.to);
  EXPECT_EQ(names(out), row.actions);
}

std::string row_name(const ::testing::TestParamInfo<Row>& info) {
  std::string n = std::string(to_string(info.param.from)) + "_" +
                  std::string(to_string(info.param.event)) + (info.param.passive ? "_passive" : "");
  std::erase(n, '_');
  return n;
}

INSTANTIATE_TEST_SUITE_P(EveryEntry, FsmTable, ::testing::ValuesIn(rows()), row_name);

// The rows above leave out only timers the table marks "not armed".
TEST(FsmTableCoverage, OnlyUnarmedTimersAreLeftOut) {
  std::set<std::pair<S, E>> covered;
  for (const auto& row : rows()) covered.insert({row.from, row.event});
  for (size_t s = 0; s < kStateCount; ++s) {
    for (size_t e = 0; e < kEventCount; ++e) {
      if (!covered.count({S(s), E(e)})) {
        EXPECT_TRUE(is_timer(E(e))) << to_string(S(s)) << " x " << to_string(E(e));
      }
    }
  }
}

}  // namespace
}  // namespace nwbpf::bgp::test
