// SPDX-License-Identifier: Apache-2.0
// Our speaker against a scripted raw peer over loopback TCP: the hold timer
// ends a session whose peer falls silent, a malformed message gets the
// NOTIFICATION its error calls for and the session resets and comes back,
// and connect retries against a closed port back off.
#include "bgp_session_test_support.h"

namespace nwbpf::bgp::session_test {
namespace {

struct Ending {
  std::optional<Notification> notification;
  Clock::duration after{};  // from the raw peer's last message
  bool closed = false;
};

TEST(BgpSession, HoldTimerExpiresWhenThePeerFallsSilent) {
  asio::io_context io;
  RawSocket listener = RawSocket::listen("127.0.4.2");
  Speaker a(io, speaker_config("127.0.4.1", {peer("127.0.4.2")}));
  a.manager.start();
  auto script = std::async(std::launch::async, [&] {
    Ending e;
    RawSocket c = listener.accept(3s);
    if (!open_session(c, "127.0.4.2")) return e;
    const auto silent_since = Clock::now();  // nothing more from us
    e.notification = c.read_until<Notification>(6s);
    e.after = Clock::now() - silent_since;
    e.closed = c.eof(2s);
    return e;
  });
  ASSERT_TRUE(run_until(io, ready(script), 12s));
  const Ending e = script.get();
  ASSERT_TRUE(e.notification);
  EXPECT_EQ(*e.notification, (Notification{ErrorCode::hold_timer_expired, kUnspecific, {}}));
  EXPECT_GE(e.after, 2800ms);  // hold time 3 s
  EXPECT_LE(e.after, 4s);
  EXPECT_TRUE(e.closed);
  ASSERT_EQ(a.established.size(), 1u);
  ASSERT_EQ(a.downs.size(), 1u);
  EXPECT_EQ(a.downs[0].reason.cause, DownCause::hold_timer_expired);
  // A peer gone silent may be restarting: its routes are kept (RFC 4724).
  ASSERT_TRUE(a.downs[0].retain);
  EXPECT_EQ(a.downs[0].retain->restart_time, 90);
}

TEST(BgpSession, MalformedUpdateGetsItsNotificationAndTheSessionResets) {
  asio::io_context io;
  RawSocket listener = RawSocket::listen("127.0.5.2");
  Speaker a(io, speaker_config("127.0.5.1", {peer("127.0.5.2")}));
  a.manager.start();
  auto script = std::async(std::launch::async, [&] {
    Ending e;
    RawSocket c = listener.accept(3s);
    if (!open_session(c, "127.0.5.2")) return e;
    // An UPDATE whose NLRI is a /33 (RFC 4271 §6.3, a reset per RFC 7606 §5.3).
    c.send_bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x1c, 0x02, 0x00,
                  0x00, 0x00, 0x00, 0x21, 0x0a, 0x00, 0x00, 0x01});
    e.notification = c.read_until<Notification>(3s);
    e.closed = c.eof(2s);
    // The speaker starts over after its backoff (1 s).
    RawSocket again = listener.accept(4s);
    if (!again.read_until<Open>(2s)) e.closed = false;
    return e;
  });
  ASSERT_TRUE(run_until(io, ready(script), 12s));
  const Ending e = script.get();
  ASSERT_TRUE(e.notification);
  EXPECT_EQ(e.notification->code, ErrorCode::update_message);
  EXPECT_EQ(e.notification->subcode, uint8_t(UpdateError::invalid_network_field));
  EXPECT_TRUE(e.closed);
  ASSERT_EQ(a.downs.size(), 1u);
  EXPECT_EQ(a.downs[0].reason.cause, DownCause::error_sent);
  EXPECT_FALSE(a.downs[0].retain);
  EXPECT_TRUE(a.updates.empty());
}

TEST(BgpSession, BadHeaderOnAPassiveSessionGetsMessageHeaderError) {
  asio::io_context io;
  Speaker a(io, speaker_config("127.0.6.1", {peer("127.0.6.2", /*passive=*/true)}));
  a.manager.start();
  auto script = std::async(std::launch::async, [&] {
    Ending e;
    RawSocket c = RawSocket::connect("127.0.6.2", "127.0.6.1");
    if (!c.read_until<Open>(3s)) return e;
    // Length 18: below the header (RFC 4271 §6.1, Bad Message Length).
    c.send_bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                  0xff, 0xff, 0xff, 0x00, 0x12, 0x04});
    e.notification = c.read_until<Notification>(3s);
    e.closed = c.eof(2s);
    return e;
  });
  ASSERT_TRUE(run_until(io, ready(script), 8s));
  const Ending e = script.get();
  ASSERT_TRUE(e.notification);
  EXPECT_EQ(*e.notification, (Notification{ErrorCode::message_header,
                                           uint8_t(HeaderError::bad_message_length),
                                           {0x00, 0x12}}));
  EXPECT_TRUE(e.closed);
  EXPECT_TRUE(a.established.empty());
  const PeerStatus s = *a.status("127.0.6.2");
  ASSERT_TRUE(s.last_down);
  EXPECT_EQ(s.last_down->cause, DownCause::error_sent);
  EXPECT_EQ(s.last_down->text, "message header: length 18 is below the 19-byte header");
}

TEST(BgpSession, ConnectRetriesAgainstAClosedPortBackOff) {
  asio::io_context io;
  Speaker a(io, speaker_config("127.0.9.1", {peer("127.0.9.2")}));  // nothing listens there
  const auto start = Clock::now();
  a.manager.start();
  auto counter_at = [&](Clock::duration t) {
    run_until(
        io, [&] { return Clock::now() >= start + t; }, t + 1s);
    return a.status("127.0.9.2")->connect_retry_counter;
  };
  // Refused at once, then retried after 1 s, 2 s, 4 s (backoff.h).
  EXPECT_EQ(counter_at(500ms), 1u);
  EXPECT_EQ(counter_at(2s), 2u);
  EXPECT_EQ(counter_at(3500ms), 3u);
  EXPECT_EQ(counter_at(6s), 3u);
  const PeerStatus s = *a.status("127.0.9.2");
  EXPECT_EQ(s.state, State::idle);
  ASSERT_TRUE(s.last_down);
  EXPECT_EQ(s.last_down->cause, DownCause::connection_lost);
  EXPECT_TRUE(a.downs.empty());  // never up, so never down
}

}  // namespace
}  // namespace nwbpf::bgp::session_test
