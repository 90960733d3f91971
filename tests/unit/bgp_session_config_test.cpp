// SPDX-License-Identifier: Apache-2.0
// The session manager's config checks, with their exact messages, and a
// listener that cannot bind.
#include <system_error>

#include "bgp_session_test_support.h"

namespace nwbpf::bgp::session_test {
namespace {

SessionManagerConfig valid() {
  SessionManagerConfig c = speaker_config("127.0.19.1", {peer("10.0.0.2"), peer("10.0.0.3")});
  c.listen_ranges = {ListenRange{Prefix4{ip("10.1.0.0"), 16}, std::nullopt, "range-secret"}};
  return c;
}

void expect_refused(const SessionManagerConfig& c, const std::string& text) {
  try {
    validate(c);
    ADD_FAILURE() << "accepted; expected: " << text;
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(e.what(), "bgp session config: " + text);
  }
}

TEST(BgpSessionConfig, ValidConfigPasses) { EXPECT_NO_THROW(validate(valid())); }

TEST(BgpSessionConfig, EverySessionGetsTheGracefulRestartSettings) {
  auto c = valid();
  c.graceful_restart_time = 90;
  c.forwarding_preserved = true;
  FsmConfig fsm = fsm_config(c, 65001);
  EXPECT_EQ(fsm.graceful_restart_time, std::optional<uint16_t>(90));
  EXPECT_TRUE(fsm.forwarding_preserved);
  EXPECT_EQ(fsm.peer_as, std::optional<uint32_t>(65001));
}

TEST(BgpSessionConfig, FsmChecksApply) {
  auto c = valid();
  c.hold_time = 2;
  expect_refused(c, "hold time 2 s: must be 0 or at least 3");
  c = valid();
  c.peers[1].remote_as = 0;
  expect_refused(c, "peer AS 0 is reserved (RFC 7607)");
}

TEST(BgpSessionConfig, PeersAreDistinctAddressesWithAPort) {
  auto c = valid();
  c.peers[1].address = ip("10.0.0.2");
  expect_refused(c, "peer 10.0.0.2 is listed twice");
  c = valid();
  c.peers[0].address = Ipv4{};
  expect_refused(c, "peer address 0.0.0.0");
  c = valid();
  c.peers[0].port = 0;
  expect_refused(c, "peer 10.0.0.2: port 0");
}

TEST(BgpSessionConfig, PasswordsFitTheKernel) {
  auto c = valid();
  c.peers[0].password = std::string(80, 'x');
  EXPECT_NO_THROW(validate(c));
  c.peers[0].password = std::string(81, 'x');
  expect_refused(c, "peer 10.0.0.2: TCP-MD5 password of 81 bytes, over the kernel's 80");
  c = valid();
  c.listen_ranges[0].password = std::string(81, 'x');
  expect_refused(c, "listen range 10.1.0.0/16: TCP-MD5 password of 81 bytes, over the kernel's 80");
}

TEST(BgpSessionConfig, RangesAreDistinctPrefixes) {
  auto c = valid();
  c.listen_ranges[0].prefix.length = 33;
  expect_refused(c, "listen range 10.1.0.0/33: prefix length over 32");
  c = valid();
  c.listen_ranges[0].prefix.address = ip("10.1.0.1");
  expect_refused(c, "listen range 10.1.0.1/16 has host bits set");
  c = valid();
  c.listen_ranges.push_back(c.listen_ranges[0]);
  expect_refused(c, "listen range 10.1.0.0/16 is listed twice");
  c = valid();
  c.listen_ranges[0] = ListenRange{Prefix4{Ipv4{}, 0}, std::nullopt, {}};  // every source
  EXPECT_NO_THROW(validate(c));
}

TEST(BgpSessionConfig, PeerInsideARangeSharesItsPassword) {
  auto c = valid();
  c.peers[0].address = ip("10.1.2.3");
  expect_refused(c,
                 "peer 10.1.2.3 is inside listen range 10.1.0.0/16 with another TCP-MD5 "
                 "password: the kernel would require the range's");
  c.peers[0].password = "range-secret";
  EXPECT_NO_THROW(validate(c));
}

TEST(BgpSessionConfig, ListenerThatCannotBindNamesItsEndpoint) {
  asio::io_context io;
  SessionManager first(io, speaker_config("127.0.19.1", {}), {});
  try {
    SessionManager second(io, speaker_config("127.0.19.1", {}), {});
    ADD_FAILURE() << "two listeners on one endpoint";
  } catch (const std::system_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("BGP listener on 127.0.19.1:17900: ", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace nwbpf::bgp::session_test
