// SPDX-License-Identifier: Apache-2.0
// Connection collision (RFC 4271 §6.8, RFC 6286 §2.3, RFC 4724 §4.2): which
// connection the session manager closes, and what the loser's FSM does.
#include <gtest/gtest.h>

#include "bgp/collision.h"
#include "bgp_fsm_test_support.h"

namespace nwbpf::bgp::test {
namespace {

TEST(CollisionLoser, TheHigherIdentifierKeepsTheConnectionItInitiated) {
  EXPECT_EQ(collision_loser(ip("10.0.0.2"), 65000, ip("10.0.0.1"), 65000), Initiator::remote);
  EXPECT_EQ(collision_loser(ip("10.0.0.1"), 65000, ip("10.0.0.2"), 65000), Initiator::local);
}

TEST(CollisionLoser, IdentifiersCompareAsIntegersNotBytesInMemory) {
  // 10.0.0.1 > 9.255.255.255 as a number, whatever the host byte order.
  EXPECT_EQ(collision_loser(ip("10.0.0.1"), 65000, ip("9.255.255.255"), 65000), Initiator::remote);
  EXPECT_EQ(collision_loser(ip("1.0.0.0"), 65000, ip("0.0.0.255"), 65000), Initiator::remote);
}

TEST(CollisionLoser, EqualIdentifiersGoByTheLargerAs) {
  EXPECT_EQ(collision_loser(ip("10.0.0.1"), 65001, ip("10.0.0.1"), 65000), Initiator::remote);
  EXPECT_EQ(collision_loser(ip("10.0.0.1"), 65000, ip("10.0.0.1"), 65001), Initiator::local);
}

Collision resolve(State state, Initiator existing, Initiator fresh, const char* local_id,
                  bool gr = false) {
  return resolve_collision({state, existing, gr}, fresh, ip(local_id), 65000, ip("10.0.0.5"),
                           65000);
}

TEST(ResolveCollision, NoneBeforeTheExistingConnectionSentItsOpen) {
  for (State s : {State::idle, State::connect, State::active})
    EXPECT_EQ(resolve(s, Initiator::local, Initiator::remote, "10.0.0.9"), Collision::none);
}

TEST(ResolveCollision, OpenSentAndOpenConfirmGoByIdentifier) {
  for (State s : {State::open_sent, State::open_confirm}) {
    // Ours is higher: our connection stays, whichever is the existing one.
    EXPECT_EQ(resolve(s, Initiator::local, Initiator::remote, "10.0.0.9"), Collision::close_new);
    EXPECT_EQ(resolve(s, Initiator::remote, Initiator::local, "10.0.0.9"),
              Collision::close_existing);
    // Ours is lower: the peer's connection stays.
    EXPECT_EQ(resolve(s, Initiator::local, Initiator::remote, "10.0.0.1"),
              Collision::close_existing);
    EXPECT_EQ(resolve(s, Initiator::remote, Initiator::local, "10.0.0.1"), Collision::close_new);
  }
}

TEST(ResolveCollision, TwoConnectionsFromTheSameSideKeepTheFirst) {
  EXPECT_EQ(resolve(State::open_confirm, Initiator::remote, Initiator::remote, "10.0.0.1"),
            Collision::close_new);
}

TEST(ResolveCollision, EstablishedKeepsItsConnection) {
  EXPECT_EQ(resolve(State::established, Initiator::local, Initiator::remote, "10.0.0.1"),
            Collision::close_new);
}

TEST(ResolveCollision, EstablishedWithGracefulRestartMakesWayForTheRestartedPeer) {
  EXPECT_EQ(resolve(State::established, Initiator::local, Initiator::remote, "10.0.0.9", true),
            Collision::restart_existing);
}

TEST(FsmCollision, TheLoserSendsCeaseCollisionAndStaysIdle) {
  Driver d;
  d.reach(State::open_confirm);
  const Notification cease{
      ErrorCode::cease, uint8_t(CeaseError::connection_collision_resolution), {}};
  EXPECT_EQ(d.feed(event::OpenCollisionDump{}),
            (Actions{action::SendNotification{cease}, action::Close{}}));
  EXPECT_EQ(d.fsm.state(), State::idle);
  EXPECT_EQ(d.fsm.last_down(),
            (DownReason{DownCause::collision, cease, "connection collision resolution"}));
  // Not a flap: no automatic start, no drop counted.
  EXPECT_EQ(d.fsm.next_deadline(), std::nullopt);
  EXPECT_EQ(d.fsm.connect_retry_counter(), 0u);
}

TEST(FsmCollision, RestartingTheExistingSessionKeepsTheRoutes) {
  Driver d;
  d.reach(State::established);
  const Actions out = d.feed(event::TcpConnectionFails{});
  ASSERT_EQ(out.size(), 2u);
  const auto& down = std::get<action::SessionDown>(out[1]);
  EXPECT_EQ(down.retain, peer_open().capabilities.graceful_restart);
}

}  // namespace
}  // namespace nwbpf::bgp::test
