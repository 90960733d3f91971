// SPDX-License-Identifier: Apache-2.0
// Two of our speakers over real TCP on loopback: a session comes up, is held
// by KEEPALIVEs past several hold times, carries an UPDATE and a
// ROUTE-REFRESH, ends with an administrative shutdown and comes back; two
// passive speakers never meet; two active ones connecting at once keep one
// connection; a speaker shut down leaves no timer behind.
#include "bgp/tcp_link.h"
#include "bgp_session_test_support.h"

namespace nwbpf::bgp::session_test {
namespace {

TEST(BgpSession, TwoSpeakersEstablishKeepAliveExchangeAndShutDown) {
  asio::io_context io;
  Speaker a(io, speaker_config("127.0.1.1", {peer("127.0.1.2")}));
  Speaker b(io, speaker_config("127.0.1.2", {peer("127.0.1.1", /*passive=*/true)}));
  ASSERT_TRUE(establish(io, a, "127.0.1.1", b, "127.0.1.2"));

  ASSERT_EQ(a.established.size(), 1u);
  EXPECT_EQ(a.established[0].first, ip("127.0.1.2"));
  const Session& s = a.established[0].second;
  EXPECT_EQ(s.peer_as, kAs);
  EXPECT_EQ(s.peer_id, ip("127.0.1.2"));
  EXPECT_TRUE(s.internal);
  EXPECT_EQ(s.hold_time, 3s);
  EXPECT_EQ(s.keepalive_time, 1s);
  EXPECT_TRUE(s.four_octet_as);
  EXPECT_TRUE(s.route_refresh);
  EXPECT_EQ(s.families, std::vector<Family>{kL2vpnEvpn});
  ASSERT_TRUE(s.peer_graceful_restart);
  EXPECT_EQ(s.peer_graceful_restart->restart_time, 120);
  ASSERT_EQ(b.established.size(), 1u);
  EXPECT_EQ(b.established[0].second.peer_id, ip("127.0.1.1"));
  // b is passive: the connection is a's, to b's listener.
  EXPECT_EQ(a.status("127.0.1.2")->remote_port, kPort);
  EXPECT_EQ(b.status("127.0.1.1")->local_port, kPort);

  // KEEPALIVEs every second hold the session past the 3 s hold time.
  const MessageCounters before = a.status("127.0.1.2")->messages;
  run_for(io, 4s);
  const PeerStatus held = *a.status("127.0.1.2");
  EXPECT_EQ(held.state, State::established);
  EXPECT_GE(held.messages.received - before.received, 3u);
  EXPECT_GE(held.messages.sent - before.sent, 3u);

  EXPECT_TRUE(a.manager.send_update(ip("127.0.1.2"), make_end_of_rib(kL2vpnEvpn)));
  EXPECT_TRUE(a.manager.send_route_refresh(ip("127.0.1.2"), kL2vpnEvpn));
  EXPECT_FALSE(a.manager.send_route_refresh(ip("127.0.1.2"), kIpv4Unicast));  // not negotiated
  EXPECT_FALSE(a.manager.send_update(ip("127.0.1.9"), make_end_of_rib(kL2vpnEvpn)));  // no peer
  ASSERT_TRUE(run_until(
      io, [&] { return !b.updates.empty() && !b.refreshes.empty(); }, 2s));
  EXPECT_EQ(b.updates[0].first, ip("127.0.1.1"));
  EXPECT_EQ(end_of_rib_family(b.updates[0].second), kL2vpnEvpn);
  EXPECT_EQ(b.refreshes, (std::vector<std::pair<PeerId, Family>>{{ip("127.0.1.1"), kL2vpnEvpn}}));
  EXPECT_EQ(a.status("127.0.1.2")->messages.updates_sent, 1u);
  EXPECT_EQ(b.status("127.0.1.1")->messages.updates_received, 1u);

  EXPECT_TRUE(a.manager.stop_peer(ip("127.0.1.2"), "maintenance"));
  ASSERT_TRUE(run_until(
      io, [&] { return !b.downs.empty(); }, 2s));
  EXPECT_EQ(b.downs[0].reason.cause, DownCause::notification_received);
  EXPECT_EQ(b.downs[0].reason.notification,
            Notification::shutdown(CeaseError::administrative_shutdown, "maintenance"));
  EXPECT_FALSE(b.downs[0].retain);  // ended on purpose: no graceful restart
  ASSERT_EQ(a.downs.size(), 1u);
  EXPECT_EQ(a.downs[0].reason.cause, DownCause::stopped);

  // Stopped stays stopped (b, passive, waits), until started again.
  run_for(io, 1500ms);
  EXPECT_TRUE(a.status("127.0.1.2")->stopped);
  EXPECT_EQ(a.status("127.0.1.2")->state, State::idle);
  EXPECT_EQ(b.status("127.0.1.1")->state, State::active);
  EXPECT_TRUE(a.manager.start_peer(ip("127.0.1.2")));
  ASSERT_TRUE(run_until(
      io, [&] { return a.up("127.0.1.2") && b.up("127.0.1.1"); }, 5s));
  EXPECT_EQ(a.established.size(), 2u);
}

TEST(BgpSession, TheRibResetsASessionWithItsNotificationAndItComesBack) {
  asio::io_context io;
  Speaker a(io, speaker_config("127.0.21.1", {peer("127.0.21.2")}));
  Speaker b(io, speaker_config("127.0.21.2", {peer("127.0.21.1", /*passive=*/true)}));
  ASSERT_TRUE(establish(io, a, "127.0.21.1", b, "127.0.21.2"));
  const Error error = Error::make(ErrorCode::update_message, UpdateError::optional_attribute_error,
                                  23, "EVPN NLRI: bad route type length");
  EXPECT_TRUE(a.manager.reset_peer(ip("127.0.21.2"), error));
  EXPECT_FALSE(a.manager.reset_peer(ip("127.0.21.2"), error));  // no longer Established
  ASSERT_TRUE(run_until(
      io, [&] { return !b.downs.empty(); }, 2s));
  EXPECT_EQ(b.downs[0].reason.notification, Notification::from(error));
  ASSERT_EQ(a.downs.size(), 1u);
  EXPECT_EQ(a.downs[0].reason.cause, DownCause::error_sent);
  EXPECT_EQ(a.downs[0].reason.text, "EVPN NLRI: bad route type length");
  // Not a stop: a connects again after its 1 s backoff.
  ASSERT_TRUE(run_until(
      io, [&] { return a.up("127.0.21.2") && b.up("127.0.21.1"); }, 4s));
}

TEST(BgpSession, TwoPassiveSpeakersNeverConnect) {
  asio::io_context io;
  Speaker a(io, speaker_config("127.0.2.1", {peer("127.0.2.2", /*passive=*/true)}));
  Speaker b(io, speaker_config("127.0.2.2", {peer("127.0.2.1", /*passive=*/true)}));
  a.manager.start();
  b.manager.start();
  run_for(io, 2s);
  for (const Speaker* s : {&a, &b}) {
    const PeerStatus status = s->manager.peers().at(0);
    EXPECT_EQ(status.state, State::active);
    EXPECT_EQ(status.messages.sent, 0u);
    EXPECT_EQ(status.connect_retry_counter, 0u);
    EXPECT_TRUE(s->established.empty());
  }
}

TEST(BgpSession, SpeakersConnectingToEachOtherAtOnceKeepOneConnection) {
  asio::io_context io;
  Speaker a(io, speaker_config("127.0.3.1", {peer("127.0.3.2")}));
  Speaker b(io, speaker_config("127.0.3.2", {peer("127.0.3.1")}));
  ASSERT_TRUE(establish(io, a, "127.0.3.1", b, "127.0.3.2", 8s));
  run_for(io, 1s);  // a losing connection still in flight would show now
  EXPECT_EQ(a.established.size(), 1u);
  EXPECT_EQ(b.established.size(), 1u);
  EXPECT_TRUE(a.downs.empty());
  EXPECT_TRUE(b.downs.empty());
  // Both ends of the same connection.
  const PeerStatus sa = *a.status("127.0.3.2");
  const PeerStatus sb = *b.status("127.0.3.1");
  EXPECT_EQ(sa.local_port, sb.remote_port);
  EXPECT_EQ(sa.remote_port, sb.local_port);
}

// Shut-down speakers leave no work in the io_context: the timer a
// Connection armed for its FSM's next deadline (here the KeepaliveTimer,
// 20 s away) is cancelled when the FSM has none left, so a daemon's
// io_context.run() returns on SIGTERM once the connections have closed
// instead of waiting out the timer (nwbpfd took 93 s to stop, the rest of
// a ConnectRetryTime, when it was connecting to a route reflector that had
// gone).
TEST(BgpSession, ShutDownLeavesNoTimerArmed) {
  asio::io_context io;
  auto config = [](const char* address, PeerConfig peer) {
    SessionManagerConfig c = speaker_config(address, {std::move(peer)});
    c.hold_time = 60;
    return c;
  };
  Speaker a(io, config("127.0.22.1", peer("127.0.22.2")));
  Speaker b(io, config("127.0.22.2", peer("127.0.22.1", /*passive=*/true)));
  ASSERT_TRUE(establish(io, a, "127.0.22.1", b, "127.0.22.2"));
  a.manager.shutdown();
  b.manager.shutdown();
  io.restart();
  // Closing waits for the peer's FIN, at most TcpLink::kLinger.
  io.run_for(TcpLink::kLinger + 2s);
  EXPECT_TRUE(io.stopped());
  EXPECT_EQ(a.status("127.0.22.2")->state, State::idle);
  EXPECT_EQ(b.status("127.0.22.1")->state, State::idle);
}

}  // namespace
}  // namespace nwbpf::bgp::session_test
