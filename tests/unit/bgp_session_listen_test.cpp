// SPDX-License-Identifier: Apache-2.0
// The route server's listen range (Nante-WAN's bgp_range): a source inside
// it becomes a dynamic peer for as long as its session lasts; a source
// outside it, and not configured, is refused.
#include "bgp_session_test_support.h"

namespace nwbpf::bgp::session_test {
namespace {

SessionManagerConfig route_server(const char* address, const char* range) {
  SessionManagerConfig c = speaker_config(address, {});
  c.listen_ranges = {ListenRange{Prefix4{ip(range), 24}, kAs, {}}};
  return c;
}

TEST(BgpSessionListen, PeerInTheRangeIsAcceptedAndRemovedWhenItsSessionEnds) {
  asio::io_context io;
  Speaker rs(io, route_server("127.0.10.1", "127.0.10.0"));
  Speaker ce(io, speaker_config("127.0.10.2", {peer("127.0.10.1")}));
  ASSERT_TRUE(establish(io, rs, "127.0.10.1", ce, "127.0.10.2"));
  const auto peers = rs.manager.peers();
  ASSERT_EQ(peers.size(), 1u);
  EXPECT_EQ(peers[0].address, ip("127.0.10.2"));
  EXPECT_TRUE(peers[0].dynamic);
  EXPECT_TRUE(peers[0].passive);
  ASSERT_EQ(rs.established.size(), 1u);
  EXPECT_EQ(rs.established[0].first, ip("127.0.10.2"));
  EXPECT_TRUE(rs.manager.send_update(ip("127.0.10.2"), make_end_of_rib(kL2vpnEvpn)));
  ASSERT_TRUE(run_until(
      io, [&] { return !ce.updates.empty(); }, 2s));

  ce.manager.stop_peer(ip("127.0.10.1"), "leaving");
  ASSERT_TRUE(run_until(
      io, [&] { return !rs.downs.empty() && rs.manager.peers().empty(); }, 3s));
  EXPECT_EQ(rs.downs[0].peer, ip("127.0.10.2"));
}

TEST(BgpSessionListen, SourceOutsideTheRangesIsRefused) {
  asio::io_context io;
  Speaker rs(io, route_server("127.0.11.1", "127.0.11.0"));
  rs.manager.start();
  // 127.0.12.2 is outside 127.0.11.0/24.
  auto script = std::async(std::launch::async, [] {
    RawSocket c = RawSocket::connect("127.0.12.2", "127.0.11.1");
    return c.eof(3s) && !c.read(0s);
  });
  ASSERT_TRUE(run_until(io, ready(script), 5s));
  EXPECT_TRUE(script.get());  // closed at once, without an OPEN
  EXPECT_TRUE(rs.manager.peers().empty());
  EXPECT_TRUE(rs.established.empty());
}

TEST(BgpSessionListen, ConfiguredPeerAndRangePeerSideBySide) {
  asio::io_context io;
  SessionManagerConfig config = route_server("127.0.14.1", "127.0.14.0");
  config.peers = {peer("127.0.14.2", /*passive=*/true)};
  Speaker rs(io, config);
  Speaker configured(io, speaker_config("127.0.14.2", {peer("127.0.14.1")}));
  Speaker dynamic(io, speaker_config("127.0.14.3", {peer("127.0.14.1")}));
  rs.manager.start();
  configured.manager.start();
  dynamic.manager.start();
  ASSERT_TRUE(run_until(
      io, [&] { return rs.up("127.0.14.2") && rs.up("127.0.14.3"); }, 5s));
  const auto peers = rs.manager.peers();
  ASSERT_EQ(peers.size(), 2u);
  EXPECT_EQ(peers[0].address, ip("127.0.14.2"));  // configured first
  EXPECT_FALSE(peers[0].dynamic);
  EXPECT_EQ(peers[1].address, ip("127.0.14.3"));
  EXPECT_TRUE(peers[1].dynamic);
}

}  // namespace
}  // namespace nwbpf::bgp::session_test
