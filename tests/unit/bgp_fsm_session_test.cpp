// SPDX-License-Identifier: Apache-2.0
// Whole sessions as the adapter sees them, step by step with exact actions:
// active and passive starts, the ways a session ends, and what the RIB is
// told about graceful restart.
#include <gtest/gtest.h>

#include "bgp_fsm_test_support.h"

namespace nwbpf::bgp::test {
namespace {

Session negotiated() { return std::get<Session>(negotiate(config(), peer_open())); }

TEST(FsmSession, ActiveStartToEstablishedAndAnAdministrativeShutdown) {
  Driver d;
  EXPECT_EQ(d.feed(event::ManualStart{}), (Actions{action::Connect{}}));
  EXPECT_EQ(d.fsm.state(), State::connect);
  d.now = t0 + 1s;
  EXPECT_EQ(d.feed(event::TcpCrAcked{}), (Actions{action::SendOpen{local_open(config())}}));
  EXPECT_EQ(d.fsm.state(), State::open_sent);
  d.now = t0 + 2s;
  EXPECT_EQ(d.feed(event::OpenReceived{peer_open()}), (Actions{action::SendKeepalive{}}));
  EXPECT_EQ(d.fsm.state(), State::open_confirm);
  EXPECT_EQ(d.fsm.session(), negotiated());
  EXPECT_EQ(d.feed(event::KeepaliveReceived{}),
            (Actions{action::SessionEstablished{negotiated()}}));
  EXPECT_EQ(d.fsm.state(), State::established);

  const Notification shutdown =
      Notification::shutdown(CeaseError::administrative_shutdown, "maintenance");
  const DownReason reason{DownCause::stopped, shutdown, "stopped"};
  EXPECT_EQ(d.feed(event::ManualStop{"maintenance"}),
            (Actions{action::SendNotification{shutdown}, action::Close{},
                     action::SessionDown{reason, std::nullopt}}));
  EXPECT_EQ(d.fsm.state(), State::idle);
  EXPECT_EQ(d.fsm.last_down(), reason);
  EXPECT_FALSE(d.fsm.session());
  EXPECT_EQ(d.fsm.next_deadline(), std::nullopt);  // stopped: no automatic start
}

TEST(FsmSession, ManualStopWithoutCommunicationSendsBareCease) {
  Driver d;
  d.reach(State::open_sent);
  EXPECT_EQ(d.feed(event::ManualStop{}),
            (Actions{action::SendNotification{Notification{
                         ErrorCode::cease, uint8_t(CeaseError::administrative_shutdown), {}}},
                     action::Close{}}));
}

TEST(FsmSession, ManualStopBeforeTheConnectionSendsNothing) {
  Driver d;
  d.reach(State::connect);
  EXPECT_EQ(d.feed(event::ManualStop{"bye"}), (Actions{action::Close{}}));
  EXPECT_EQ(d.fsm.last_down(), (DownReason{DownCause::stopped, std::nullopt, "stopped"}));
}

TEST(FsmSession, PassiveStartNeverConnectsAndTakesThePeersConnection) {
  Driver d;
  EXPECT_EQ(d.feed(event::ManualStartPassive{}), Actions{});
  EXPECT_EQ(d.fsm.state(), State::active);
  EXPECT_EQ(d.fsm.next_deadline(), std::nullopt);
  EXPECT_EQ(d.fsm.expire(t0 + 24h), Actions{});
  EXPECT_EQ(d.feed(event::TcpConnectionValid{}), Actions{});
  EXPECT_EQ(d.feed(event::TcpConnectionConfirmed{}),
            (Actions{action::SendOpen{local_open(config())}}));
  d.feed(event::OpenReceived{peer_open()});
  EXPECT_EQ(d.feed(event::KeepaliveReceived{}),
            (Actions{action::SessionEstablished{negotiated()}}));
}

TEST(FsmSession, AnActiveSessionTakesThePeersConnectionWhileConnecting) {
  Driver d;
  d.reach(State::connect);
  EXPECT_EQ(d.feed(event::TcpConnectionConfirmed{}),
            (Actions{action::SendOpen{local_open(config())}}));
  EXPECT_EQ(d.fsm.state(), State::open_sent);
}

TEST(FsmSession, IdleRefusesConnections) {
  Driver d;
  EXPECT_EQ(d.feed(event::TcpConnectionConfirmed{}), (Actions{action::Close{}}));
  EXPECT_EQ(d.fsm.state(), State::idle);
}

TEST(FsmSession, ALostConnectionKeepsTheRoutesOfAGracefulRestartPeer) {
  Driver d;
  d.reach(State::established);
  const DownReason reason{DownCause::connection_lost, std::nullopt, "connection lost"};
  EXPECT_EQ(d.feed(event::TcpConnectionFails{}),
            (Actions{action::Close{},
                     action::SessionDown{reason, peer_open().capabilities.graceful_restart}}));
}

TEST(FsmSession, APeerWithoutGracefulRestartLosesItsRoutes) {
  Driver d;
  d.reach(State::open_sent);
  auto open = peer_open();
  open.capabilities.graceful_restart.reset();
  d.feed(event::OpenReceived{open});
  d.feed(event::KeepaliveReceived{});
  const auto out = d.feed(event::TcpConnectionFails{});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::get<action::SessionDown>(out[1]).retain, std::nullopt);
}

TEST(FsmSession, APeerNotificationEndsTheSessionWithoutGracefulRestart) {
  Driver d;
  d.reach(State::established);
  const Notification n = Notification::shutdown(CeaseError::administrative_shutdown, "bye");
  const DownReason reason{DownCause::notification_received, n,
                          "peer sent NOTIFICATION code 6 subcode 2: \"bye\""};
  EXPECT_EQ(d.feed(event::NotificationReceived{n}),
            (Actions{action::Close{}, action::SessionDown{reason, std::nullopt}}));
  EXPECT_EQ(d.fsm.last_down(), reason);
}

TEST(FsmSession, AnUpdateErrorSendsTheCodecsNotification) {
  Driver d;
  d.reach(State::established);
  const Error error{ErrorCode::update_message,
                    uint8_t(UpdateError::attribute_length_error),
                    {0x40, 0x01, 0x02, 0x00, 0x00},
                    23,
                    "ORIGIN: length 2, expected 1"};
  const DownReason reason{DownCause::error_sent, Notification::from(error), error.text};
  EXPECT_EQ(d.feed(event::UpdateMessageError{error}),
            (Actions{action::SendNotification{Notification::from(error)}, action::Close{},
                     action::SessionDown{reason, std::nullopt}}));
}

TEST(FsmSession, AHeaderErrorInEstablishedSendsTheHeaderError) {
  Driver d;
  d.reach(State::established);
  const Error error{
      ErrorCode::message_header, uint8_t(HeaderError::bad_message_type), {9}, 18, "message type 9"};
  const auto out = d.feed(event::HeaderError{error});
  EXPECT_EQ(out.front(), Action{action::SendNotification{Notification::from(error)}});
}

TEST(FsmSession, UnexpectedMessagesAreFsmErrorsNamingTheState) {
  Driver d;
  d.reach(State::open_sent);
  d.feed(event::UpdateReceived{});
  EXPECT_EQ(
      d.fsm.last_down(),
      (DownReason{DownCause::error_sent,
                  Notification{ErrorCode::fsm, uint8_t(FsmError::unexpected_in_open_sent), {}},
                  "unexpected UpdateMsg in OpenSent"}));
}

TEST(FsmSession, AMessageBeforeTheConnectionIsDroppedSilently) {
  Driver d;
  d.reach(State::connect);
  d.feed(event::KeepaliveReceived{});
  EXPECT_EQ(d.fsm.last_down(),
            (DownReason{DownCause::unexpected_event, std::nullopt, "KeepAliveMsg in Connect"}));
}

TEST(FsmSession, AnotherSessionAfterTheFirstEnded) {
  Driver d;
  d.reach(State::established);
  d.feed(event::TcpConnectionFails{});
  EXPECT_EQ(names(d.fire()), Names{"Connect"});
  d.feed(event::TcpCrAcked{});
  d.feed(event::OpenReceived{peer_open()});
  EXPECT_EQ(names(d.feed(event::KeepaliveReceived{})), Names{"SessionEstablished"});
}

}  // namespace
}  // namespace nwbpf::bgp::test
