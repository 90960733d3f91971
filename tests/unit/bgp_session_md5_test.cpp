// SPDX-License-Identifier: Apache-2.0
// TCP-MD5 (RFC 2385) between two speakers: the same password gives a
// session, for a configured peer (TCP_MD5SIG) and a listen range
// (TCP_MD5SIG_EXT with a prefix); another password, or one on one side
// only, gives none, since the kernel drops the unsigned or badly signed
// segments.
#include <sys/socket.h>

#include <system_error>

#include "bgp/tcp_md5.h"
#include "bgp_session_test_support.h"

namespace nwbpf::bgp::session_test {
namespace {

// A kernel built without CONFIG_TCP_MD5SIG cannot run these at all; no
// privilege is needed.
class BgpSessionMd5 : public ::testing::Test {
 protected:
  void SetUp() override {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    try {
      set_tcp_md5_key(fd, Prefix4{ip("127.0.0.1"), 32}, "probe");
    } catch (const std::system_error& e) {
      ::close(fd);
      GTEST_SKIP() << "the kernel refuses TCP-MD5 keys: " << e.what();
    }
    ::close(fd);
  }
};

// Whether a and b reach Established within 4 s (a few 2 s connect retries).
bool established_with(const char* a_password, const char* b_password, const char* a,
                      const char* b) {
  asio::io_context io;
  Speaker sa(io, speaker_config(a, {peer(b, false, a_password)}));
  Speaker sb(io, speaker_config(b, {peer(a, false, b_password)}));
  const bool up = establish(io, sa, a, sb, b, 4s);
  EXPECT_TRUE(up || (sa.established.empty() && sb.established.empty()));
  return up;
}

TEST_F(BgpSessionMd5, SamePasswordEstablishes) {
  EXPECT_TRUE(established_with("nwbpf-secret", "nwbpf-secret", "127.0.15.1", "127.0.15.2"));
}

TEST_F(BgpSessionMd5, OtherPasswordNeverEstablishes) {
  EXPECT_FALSE(established_with("nwbpf-secret", "other-secret", "127.0.16.1", "127.0.16.2"));
}

TEST_F(BgpSessionMd5, PasswordOnOneSideOnlyNeverEstablishes) {
  EXPECT_FALSE(established_with("nwbpf-secret", "", "127.0.17.1", "127.0.17.2"));
}

TEST_F(BgpSessionMd5, ListenRangePasswordCoversItsPrefix) {
  asio::io_context io;
  SessionManagerConfig config = speaker_config("127.0.18.1", {});
  config.listen_ranges = {ListenRange{Prefix4{ip("127.0.18.0"), 24}, kAs, "range-secret"}};
  Speaker rs(io, config);
  Speaker good(io, speaker_config("127.0.18.2", {peer("127.0.18.1", false, "range-secret")}));
  Speaker bad(io, speaker_config("127.0.18.3", {peer("127.0.18.1", false, "wrong")}));
  rs.manager.start();
  good.manager.start();
  bad.manager.start();
  ASSERT_TRUE(run_until(
      io, [&] { return rs.up("127.0.18.2") && good.up("127.0.18.1"); }, 4s));
  run_for(io, 1s);
  EXPECT_FALSE(rs.status("127.0.18.3"));  // its SYNs never got through
  EXPECT_TRUE(bad.established.empty());
}

}  // namespace
}  // namespace nwbpf::bgp::session_test
