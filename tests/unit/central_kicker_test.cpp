// SPDX-License-Identifier: Apache-2.0
// The config server's kick: GET /update-kick to a real listener on
// loopback, retries to a closed port, and coalescing.
#include <gtest/gtest.h>

#include "central/kicker.h"
#include "central_io_test_support.h"

namespace nwbpf::central {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using tcp = asio::ip::tcp;

const Ipv4 kLoopback = *Ipv4::parse("127.0.0.1");
using test::KickListener;

// A port nothing listens on: bound, then closed.
uint16_t closed_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

class KickerTest : public ::testing::Test {
 protected:
  void make(KickOptions options) {
    io.on_io([&] { kicker.emplace(io.io(), std::move(options)); });
  }
  ~KickerTest() override {
    io.on_io([&] { kicker.reset(); });
  }
  void kick(KickTarget target) {
    io.on_io([&] { kicker->kick(target); });
  }
  KickCounters counters() {
    return io.on_io([&] { return kicker->counters(); });
  }
  size_t pending() {
    return io.on_io([&] { return kicker->pending(); });
  }
  // Short waits: nothing here depends on them but the test's duration.
  static KickOptions fast(unsigned tries) {
    KickOptions options;
    options.timeout = 10s;  // generous: loopback answers or refuses at once
    options.tries = tries;
    options.backoff = {10ms, 20ms};
    return options;
  }

  test::IoThread io;
  std::optional<Kicker> kicker;
};

TEST_F(KickerTest, AKickReachesTheListener) {
  KickListener ce;
  make(fast(3));
  kick({kLoopback, ce.port()});
  ASSERT_TRUE(test::wait_for([&] { return pending() == 0; }));
  EXPECT_EQ(ce.requests(), std::vector<std::string>{"GET /update-kick Host: 127.0.0.1:" +
                                                    std::to_string(ce.port())});
  EXPECT_EQ(counters(), (KickCounters{.requested = 1, .tries = 1, .succeeded = 1}));
}

TEST_F(KickerTest, AClosedPortIsRetriedThenGivenUp) {
  make(fast(3));
  kick({kLoopback, closed_port()});
  ASSERT_TRUE(test::wait_for([&] { return pending() == 0; }));
  EXPECT_EQ(counters(), (KickCounters{.requested = 1, .tries = 3, .failed = 3, .given_up = 1}));
}

TEST_F(KickerTest, AnErrorAnswerIsAFailure) {
  KickListener ce(500);
  make(fast(2));
  kick({kLoopback, ce.port()});
  ASSERT_TRUE(test::wait_for([&] { return pending() == 0; }));
  EXPECT_EQ(ce.requests().size(), 2u);
  EXPECT_EQ(counters(), (KickCounters{.requested = 1, .tries = 2, .failed = 2, .given_up = 1}));
}

TEST_F(KickerTest, ATimeoutIsAFailure) {
  KickListener ce(200, /*hold=*/true);  // never answers until released
  auto options = fast(1);
  options.timeout = 100ms;
  make(options);
  kick({kLoopback, ce.port()});
  ASSERT_TRUE(test::wait_for([&] { return pending() == 0; }));
  EXPECT_EQ(counters(), (KickCounters{.requested = 1, .tries = 1, .failed = 1, .given_up = 1}));
}

TEST_F(KickerTest, ChangesWhileInFlightGiveOneMoreKick) {
  KickListener ce(200, /*hold=*/true);
  make(fast(3));
  KickTarget target{kLoopback, ce.port()};
  kick(target);
  ASSERT_TRUE(test::wait_for([&] { return ce.requests().size() == 1; }));
  kick(target);
  kick(target);
  ce.release();
  ASSERT_TRUE(test::wait_for([&] { return pending() == 0; }));
  EXPECT_EQ(ce.requests().size(), 2u);
  EXPECT_EQ(counters(), (KickCounters{.requested = 3, .coalesced = 2, .tries = 2, .succeeded = 2}));
}

TEST_F(KickerTest, ChangesWhileWaitingToRetryAreFolded) {
  auto options = fast(2);
  options.backoff = {10s};  // the second try waits: kicks meanwhile fold in
  make(options);
  KickTarget target{kLoopback, closed_port()};
  kick(target);
  ASSERT_TRUE(test::wait_for([&] { return counters().failed == 1; }));
  kick(target);
  EXPECT_EQ(counters(), (KickCounters{.requested = 2, .coalesced = 1, .tries = 1, .failed = 1}));
  EXPECT_EQ(pending(), 1u);
}

TEST_F(KickerTest, TargetsAreIndependentAndResolved) {
  KickListener ce;
  auto options = fast(1);
  options.resolve = [](Ipv4 overlay) -> std::optional<Ipv4> {
    if (overlay == *Ipv4::parse("10.0.0.1")) return kLoopback;
    return std::nullopt;
  };
  make(options);
  kick({*Ipv4::parse("10.0.0.1"), ce.port()});
  kick({*Ipv4::parse("10.0.0.2"), ce.port()});
  ASSERT_TRUE(test::wait_for([&] { return pending() == 0; }));
  EXPECT_EQ(ce.requests(), std::vector<std::string>{"GET /update-kick Host: 10.0.0.1:" +
                                                    std::to_string(ce.port())});
  EXPECT_EQ(counters(),
            (KickCounters{.requested = 2, .tries = 2, .succeeded = 1, .failed = 1, .given_up = 1}));
}

}  // namespace
}  // namespace nwbpf::central
