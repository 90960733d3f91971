// SPDX-License-Identifier: Apache-2.0
// Peers added and removed while the speaker runs (a route reflector whose
// NBMA address NHRP finds late): an added peer connects, a removed one gets
// Cease/Administrative Shutdown and disappears from peers() once closed,
// its address can be added again, and bad additions change nothing.
#include "bgp_session_test_support.h"

namespace nwbpf::bgp::session_test {
namespace {

bool listed(const Speaker& s, const char* address) { return s.status(address).has_value(); }

TEST(BgpSessionRuntimePeers, AnAddedPeerConnectsARemovedOneIsToldAndForgotten) {
  asio::io_context io;
  Speaker a(io, speaker_config("127.0.23.1", {}));
  Speaker b(io, speaker_config("127.0.23.2", {peer("127.0.23.1", /*passive=*/true)}));
  a.manager.start();
  b.manager.start();
  run_for(io, 200ms);
  EXPECT_TRUE(a.manager.peers().empty());

  a.manager.add_peer(peer("127.0.23.2"));
  ASSERT_TRUE(run_until(io, [&] { return a.up("127.0.23.2") && b.up("127.0.23.1"); }, 5s));

  EXPECT_TRUE(a.manager.remove_peer(ip("127.0.23.2"), "route reflector moved"));
  EXPECT_FALSE(listed(a, "127.0.23.2"));  // gone from the view at once
  ASSERT_TRUE(run_until(io, [&] { return !b.downs.empty(); }, 2s));
  EXPECT_EQ(b.downs[0].reason.notification,
            Notification::shutdown(CeaseError::administrative_shutdown, "route reflector moved"));
  ASSERT_EQ(a.downs.size(), 1u);
  EXPECT_EQ(a.downs[0].reason.cause, DownCause::stopped);
  EXPECT_FALSE(a.manager.remove_peer(ip("127.0.23.2")));  // already removed

  // The address is free again: the session comes back.
  a.manager.add_peer(peer("127.0.23.2"));
  ASSERT_TRUE(run_until(io, [&] { return a.up("127.0.23.2") && b.up("127.0.23.1"); }, 5s));
  EXPECT_EQ(a.established.size(), 2u);
}

TEST(BgpSessionRuntimePeers, APeerAddedBeforeStartWaitsForIt) {
  asio::io_context io;
  Speaker a(io, speaker_config("127.0.23.11", {}));
  Speaker b(io, speaker_config("127.0.23.12", {peer("127.0.23.11", /*passive=*/true)}));
  b.manager.start();
  a.manager.add_peer(peer("127.0.23.12"));
  run_for(io, 500ms);
  EXPECT_EQ(a.status("127.0.23.12")->state, State::idle);
  a.manager.start();
  ASSERT_TRUE(run_until(io, [&] { return a.up("127.0.23.12"); }, 5s));
}

TEST(BgpSessionRuntimePeers, ARemovedPeerThatNeverConnectedIsForgotten) {
  asio::io_context io;
  Speaker a(io, speaker_config("127.0.23.21", {peer("127.0.23.22")}));  // nobody there
  a.manager.start();
  run_for(io, 100ms);
  EXPECT_TRUE(a.manager.remove_peer(ip("127.0.23.22")));
  run_for(io, 100ms);
  EXPECT_TRUE(a.manager.peers().empty());
}

TEST(BgpSessionRuntimePeers, BadAdditionsAreRefusedAndChangeNothing) {
  asio::io_context io;
  Speaker a(io, speaker_config("127.0.23.31", {peer("127.0.23.32")}));
  auto refused = [&](const PeerConfig& p) -> std::string {
    try {
      a.manager.add_peer(p);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "added";
  };
  EXPECT_EQ(refused(peer("127.0.23.32")), "bgp session config: peer 127.0.23.32 is listed twice");
  EXPECT_EQ(refused(PeerConfig{Ipv4{}, kPort, kAs, false, {}}),
            "bgp session config: peer address 0.0.0.0");
  EXPECT_EQ(refused(peer("127.0.23.33", false, std::string(81, 'k'))),
            "bgp session config: peer 127.0.23.33: TCP-MD5 password of 81 bytes, over the "
            "kernel's 80");
  ASSERT_EQ(a.manager.peers().size(), 1u);
  EXPECT_EQ(a.manager.peers()[0].address, ip("127.0.23.32"));
}

}  // namespace
}  // namespace nwbpf::bgp::session_test
