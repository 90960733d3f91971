// SPDX-License-Identifier: Apache-2.0
// Connection collisions (RFC 4271 §6.8) played out by a raw peer: our
// speaker has connected to it and sent its OPEN, the raw peer connects back
// and sends its OPEN on one of the two connections. The higher BGP
// Identifier keeps the connection it opened; the other gets Cease /
// Connection Collision Resolution. A peer with graceful restart that comes
// back while its old session looks Established replaces that session.
#include "bgp_session_test_support.h"

namespace nwbpf::bgp::session_test {
namespace {

const Notification kCollision{
    ErrorCode::cease, uint8_t(CeaseError::connection_collision_resolution), {}};

struct Race {
  RawSocket ours;                       // the connection our speaker opened
  RawSocket theirs;                     // the one the raw peer opened
  std::optional<Notification> closing;  // sent on the losing connection
  bool loser_closed = false;
  bool keepalive = false;  // our speaker's answer to the winning OPEN
};

// Both connections up, both OPENs of ours read; then the raw peer's OPEN
// (identifier `raw_id`) on `theirs`, and on `ours` too if that one is kept.
Race race(const char* us, const char* raw, const char* raw_id, bool theirs_wins) {
  Race r;
  RawSocket listener = RawSocket::listen(raw);
  r.ours = listener.accept(3s);
  if (!r.ours.read_until<Open>(3s)) return r;
  r.theirs = RawSocket::connect(raw, us);
  if (!r.theirs.read_until<Open>(3s)) return r;
  r.theirs.send(raw_open(raw_id));
  RawSocket& winner = theirs_wins ? r.theirs : r.ours;
  RawSocket& loser = theirs_wins ? r.ours : r.theirs;
  r.closing = loser.read_until<Notification>(3s);
  r.loser_closed = loser.eof(2s);
  if (!theirs_wins) r.ours.send(raw_open(raw_id));
  r.keepalive = winner.read_until<Keepalive>(3s).has_value();
  winner.send(Keepalive{});
  return r;
}

// Our speaker at `us` connects to the raw peer at `raw`, which races it;
// the connection that stays must be the one the higher identifier opened.
void expect_race(const char* us, const char* raw, const char* raw_id, bool theirs_wins) {
  asio::io_context io;
  Speaker a(io, speaker_config(us, {peer(raw)}));
  a.manager.start();
  auto script = std::async(std::launch::async, [&] { return race(us, raw, raw_id, theirs_wins); });
  ASSERT_TRUE(run_until(io, ready(script), 10s));
  Race r = script.get();
  EXPECT_EQ(r.closing, kCollision);
  EXPECT_TRUE(r.loser_closed);
  EXPECT_TRUE(r.keepalive);
  ASSERT_TRUE(run_until(
      io, [&] { return a.up(raw); }, 2s));
  const RawSocket& winner = theirs_wins ? r.theirs : r.ours;
  EXPECT_EQ(a.status(raw)->local_port, winner.remote_port());
  EXPECT_EQ(a.established.size(), 1u);
  EXPECT_TRUE(a.downs.empty());
}

TEST(BgpSessionCollision, ThePeersConnectionStaysWhenItsIdentifierIsHigher) {
  expect_race("127.0.7.1", "127.0.7.2", "200.0.0.1", /*theirs_wins=*/true);
}

TEST(BgpSessionCollision, OurConnectionStaysWhenOurIdentifierIsHigher) {
  expect_race("127.0.8.1", "127.0.8.2", "1.0.0.1", /*theirs_wins=*/false);
}

TEST(BgpSessionCollision, APeerWithGracefulRestartComingBackReplacesItsSession) {
  asio::io_context io;
  Speaker a(io, speaker_config("127.0.13.1", {peer("127.0.13.2", /*passive=*/true)}));
  a.manager.start();
  auto connect = [] {
    RawSocket c = RawSocket::connect("127.0.13.2", "127.0.13.1");
    open_session(c, "127.0.13.2");
    return c;
  };
  auto first = std::async(std::launch::async, connect);
  ASSERT_TRUE(run_until(
      io, [&] { return a.up("127.0.13.2"); }, 5s));
  RawSocket old = first.get();  // kept open: the speaker sees no failure
  // The peer restarted without closing: a new connection and OPEN.
  auto second = std::async(std::launch::async, connect);
  ASSERT_TRUE(run_until(
      io, [&] { return a.established.size() == 2; }, 5s));
  RawSocket now = second.get();
  ASSERT_EQ(a.downs.size(), 1u);
  EXPECT_EQ(a.downs[0].reason.cause, DownCause::connection_lost);
  ASSERT_TRUE(a.downs[0].retain);  // routes kept as stale (RFC 4724 §4.2)
  EXPECT_EQ(a.status("127.0.13.2")->remote_port, now.local_port());
  EXPECT_TRUE(old.eof(2s));
}

}  // namespace
}  // namespace nwbpf::bgp::session_test
