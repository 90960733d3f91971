// SPDX-License-Identifier: Apache-2.0
// The config server's kick: GET /update-kick to a real listener on
// loopback, retries to a closed port, coalescing, and where a CE is reached.
#include <gtest/gtest.h>

#include <algorithm>

#include "central/kicker.h"
#include "central_http_test_support.h"

namespace nwbpf::central {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using test::TestHttpServer;

const Ipv4 kLoopback = *Ipv4::parse("127.0.0.1");

// A port nothing listens on: bound, then closed.
uint16_t closed_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

TestHttpServer::Request kick_request(const std::string& host) {
  return {"GET", "/update-kick", host};
}

class KickerTest : public ::testing::Test {
 protected:
  void make(KickOptions options) { kicker.emplace(io, std::move(options)); }
  bool settle() {
    return test::run_until(io, [&] { return kicker->pending() == 0; });
  }
  // Short waits: nothing here depends on them but the test's duration.
  static KickOptions fast(unsigned tries) {
    KickOptions options;
    options.timeout = 10s;  // generous: loopback answers or refuses at once
    options.tries = tries;
    options.backoff = {10ms, 20ms};
    return options;
  }

  asio::io_context io;
  TestHttpServer ce{io};
  std::optional<Kicker> kicker;
};

TEST_F(KickerTest, AKickReachesTheListener) {
  make(fast(3));
  kicker->kick({kLoopback, ce.port()});
  ASSERT_TRUE(settle());
  EXPECT_EQ(ce.requests, std::vector{kick_request("127.0.0.1:" + std::to_string(ce.port()))});
  EXPECT_EQ(kicker->counters(), (KickCounters{.requested = 1, .tries = 1, .succeeded = 1}));
}

TEST_F(KickerTest, AClosedPortIsRetriedThenGivenUp) {
  make(fast(3));
  kicker->kick({kLoopback, closed_port()});
  ASSERT_TRUE(settle());
  EXPECT_EQ(kicker->counters(),
            (KickCounters{.requested = 1, .tries = 3, .failed = 3, .given_up = 1}));
}

TEST_F(KickerTest, AnErrorAnswerIsAFailure) {
  ce.status = boost::beast::http::status::internal_server_error;
  make(fast(2));
  kicker->kick({kLoopback, ce.port()});
  ASSERT_TRUE(settle());
  EXPECT_EQ(ce.requests.size(), 2u);
  EXPECT_EQ(kicker->counters(),
            (KickCounters{.requested = 1, .tries = 2, .failed = 2, .given_up = 1}));
}

TEST_F(KickerTest, ATimeoutIsAFailure) {
  ce.mode = TestHttpServer::Mode::hang;
  auto options = fast(1);
  options.timeout = 100ms;
  make(options);
  kicker->kick({kLoopback, ce.port()});
  ASSERT_TRUE(settle());
  EXPECT_EQ(kicker->counters(),
            (KickCounters{.requested = 1, .tries = 1, .failed = 1, .given_up = 1}));
}

TEST_F(KickerTest, ChangesWhileInFlightGiveOneMoreKick) {
  ce.mode = TestHttpServer::Mode::hold;
  make(fast(3));
  KickTarget target{kLoopback, ce.port()};
  kicker->kick(target);
  ASSERT_TRUE(test::run_until(io, [&] { return ce.held() == 1; }));
  kicker->kick(target);
  kicker->kick(target);
  ce.mode = TestHttpServer::Mode::answer;
  ce.release();
  ASSERT_TRUE(settle());
  EXPECT_EQ(ce.requests.size(), 2u);
  EXPECT_EQ(kicker->counters(),
            (KickCounters{.requested = 3, .coalesced = 2, .tries = 2, .succeeded = 2}));
}

TEST_F(KickerTest, ChangesWhileWaitingToRetryAreFolded) {
  auto options = fast(2);
  options.backoff = {10s};  // the second try waits: kicks meanwhile fold in
  make(options);
  KickTarget target{kLoopback, closed_port()};
  kicker->kick(target);
  ASSERT_TRUE(test::run_until(io, [&] { return kicker->counters().failed == 1; }));
  kicker->kick(target);
  EXPECT_EQ(kicker->counters(),
            (KickCounters{.requested = 2, .coalesced = 1, .tries = 1, .failed = 1}));
  EXPECT_EQ(kicker->pending(), 1u);
}

TEST_F(KickerTest, TargetsAreIndependentAndResolved) {
  auto options = fast(1);
  options.resolve = [](Ipv4 overlay) -> KickAddress {
    if (overlay == *Ipv4::parse("10.0.0.1")) return kLoopback;
    return overlay.str() + " is not registered with NHRP";
  };
  std::vector<std::pair<KickTarget, KickTry>> reports;
  options.report = [&](const KickTarget& target, const KickTry& t) {
    reports.emplace_back(target, t);
  };
  make(options);
  kicker->kick({*Ipv4::parse("10.0.0.1"), ce.port()});
  kicker->kick({*Ipv4::parse("10.0.0.2"), ce.port()});
  ASSERT_TRUE(settle());
  EXPECT_EQ(ce.requests, std::vector{kick_request("10.0.0.1:" + std::to_string(ce.port()))});
  EXPECT_EQ(kicker->counters(),
            (KickCounters{.requested = 2, .tries = 2, .succeeded = 1, .failed = 1, .given_up = 1}));
  ASSERT_EQ(reports.size(), 2u);
  std::sort(reports.begin(), reports.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  EXPECT_EQ(reports[0].second.error, "");
  EXPECT_EQ(reports[0].second.tries, 1u);
  EXPECT_TRUE(reports[0].second.last);
  EXPECT_EQ(reports[1].second.error, "10.0.0.2 is not registered with NHRP");
  EXPECT_TRUE(reports[1].second.last);
}

TEST_F(KickerTest, PendingKicksSayWhyTheyWait) {
  auto options = fast(3);
  options.backoff = {10s};
  options.resolve = [](Ipv4 overlay) -> KickAddress {
    return overlay.str() + " is not registered with NHRP";
  };
  std::vector<KickTry> reports;
  options.report = [&](const KickTarget&, const KickTry& t) { reports.push_back(t); };
  make(options);
  KickTarget target{*Ipv4::parse("10.0.0.7"), 8080};
  kicker->kick(target);
  ASSERT_TRUE(test::run_until(io, [&] { return kicker->counters().failed == 1; }));
  auto pending = kicker->pending_kicks();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].target, target);
  EXPECT_EQ(pending[0].tries, 1u);
  EXPECT_FALSE(pending[0].in_flight);
  EXPECT_EQ(pending[0].last_error, "10.0.0.7 is not registered with NHRP");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].error, "10.0.0.7 is not registered with NHRP");
  EXPECT_FALSE(reports[0].last);
}

}  // namespace
}  // namespace nwbpf::central
