// SPDX-License-Identifier: Apache-2.0
// Fetcher (agent/central/fetcher.h) against a real HTTP server on loopback:
// when it fetches, what it hands over, how it fails and retries. Waits are
// on conditions with generous bounds; no duration is asserted.
#include "central/fetcher.h"

#include <gtest/gtest.h>

#include "central_http_test_support.h"

namespace nwbpf::central {
namespace {

using namespace std::chrono_literals;
using test::run_until;
using test::TestHttpServer;
namespace http = test::http;

// A source on 127.0.0.1:port with `path`.
FetchSourceConfig local_source(uint16_t port, std::string path) {
  FetchSourceConfig source;
  source.server = *Ipv4::parse("127.0.0.1");
  source.server_port = port;
  source.path = std::move(path);
  return source;
}

struct Handed {
  Source source;
  std::string body;
};

class CentralFetcher : public ::testing::Test {
 protected:
  // interval: long, so that only failed_interval and kicks fetch again
  // unless a test shortens it.
  std::shared_ptr<Fetcher> make(FetchTimes times = {1s, 3600s, 1s}) {
    fetcher = std::make_shared<Fetcher>(io, Source::portconfig,
                                        fetch_target(local_source(server.port(), "/portconfig"),
                                                     *Ipv4::parse("10.0.0.1")),
                                        times,
                                        [this](Source source, const std::string& body) {
                                          handed.push_back({source, body});
                                        });
    return fetcher;
  }
  const FetchStatus& status() const { return fetcher->status(); }
  bool idle_after(uint64_t attempts) const {
    return status().attempts >= attempts && !status().in_flight;
  }

  void TearDown() override {
    if (fetcher) fetcher->stop();
    test::run_for(io, 50ms);  // lets the cancelled handlers release the fetcher
  }

  boost::asio::io_context io;
  TestHttpServer server{io};
  std::shared_ptr<Fetcher> fetcher;
  std::vector<Handed> handed;
};

TEST(CentralFetchTarget, UrlFromConfig) {
  FetchSourceConfig source;
  source.server = *Ipv4::parse("10.0.0.100");
  source.path = "/a/b";
  auto target = fetch_target(source, *Ipv4::parse("10.0.0.1"));
  EXPECT_EQ(target.target, "/a/b/10.0.0.1.json");
  EXPECT_EQ(target.url(), "http://10.0.0.100/a/b/10.0.0.1.json");
  source.server_port = 8000;
  source.path = "";
  EXPECT_EQ(fetch_target(source, *Ipv4::parse("10.0.0.1")).url(),
            "http://10.0.0.100:8000/10.0.0.1.json");
}

TEST(CentralFetchTarget, TimesFromConfig) {
  FetchConfig config;
  config.timeout_s = 7;
  config.interval_s = 60;
  config.failed_interval_s = 3;
  auto times = fetch_times(config);
  EXPECT_EQ(times.timeout, std::chrono::seconds(7));
  EXPECT_EQ(times.interval, std::chrono::seconds(60));
  EXPECT_EQ(times.failed_interval, std::chrono::seconds(3));
}

TEST_F(CentralFetcher, FirstFetchAtStart) {
  server.body = R"({"name": "bridge", "ports": []})";
  make()->start();
  ASSERT_TRUE(run_until(io, [&] { return handed.size() == 1; }));
  EXPECT_EQ(handed[0].source, Source::portconfig);
  EXPECT_EQ(handed[0].body, server.body);
  ASSERT_EQ(server.requests.size(), 1u);
  EXPECT_EQ(server.requests[0].method, "GET");
  EXPECT_EQ(server.requests[0].target, "/portconfig/10.0.0.1.json");
  EXPECT_EQ(server.requests[0].host, "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_TRUE(idle_after(1));
  EXPECT_EQ(status().url,
            "http://127.0.0.1:" + std::to_string(server.port()) + "/portconfig/10.0.0.1.json");
  EXPECT_EQ(status().last_result, "ok");
  EXPECT_TRUE(status().last_attempt && status().last_success);
  EXPECT_EQ(status().changed, 1u);
  EXPECT_EQ(status().failures, 0u);
}

// Every interval after a success; the same body is not handed over again,
// a changed one is.
TEST_F(CentralFetcher, UnchangedNotHandedOverChangedIs) {
  server.body = "A";
  make({5s, 200ms, 5s})->start();
  ASSERT_TRUE(run_until(io, [&] { return status().unchanged >= 2; }));
  ASSERT_EQ(handed.size(), 1u);
  EXPECT_EQ(status().last_result, "unchanged");
  server.body = "B";
  ASSERT_TRUE(run_until(io, [&] { return handed.size() == 2; }));
  EXPECT_EQ(handed[1].body, "B");
  EXPECT_EQ(status().changed, 2u);
  EXPECT_EQ(status().failures, 0u);
}

// Server down: the error with its reason, retries every failed_interval
// (interval is an hour), the last good body stays; back up with the same
// body, nothing is handed over again.
TEST_F(CentralFetcher, ServerDownRetriedLastGoodKept) {
  server.body = "A";
  make()->start();
  ASSERT_TRUE(run_until(io, [&] { return handed.size() == 1 && idle_after(1); }));
  server.close();
  fetcher->kick();
  ASSERT_TRUE(run_until(io, [&] { return status().failures >= 2; }));
  EXPECT_EQ(status().last_result, "connect: Connection refused");
  EXPECT_EQ(handed.size(), 1u);
  server.reopen();
  ASSERT_TRUE(run_until(io, [&] { return status().unchanged == 1; }));
  EXPECT_EQ(status().last_result, "unchanged");
  EXPECT_EQ(handed.size(), 1u);
}

TEST_F(CentralFetcher, FirstFetchFailsThenSucceeds) {
  server.status = http::status::service_unavailable;
  server.body = "A";
  make()->start();
  ASSERT_TRUE(run_until(io, [&] { return status().failures == 1; }));
  EXPECT_EQ(status().last_result, "HTTP 503 Service Unavailable");
  EXPECT_FALSE(status().last_success);
  EXPECT_TRUE(handed.empty());
  server.status = http::status::ok;
  ASSERT_TRUE(run_until(io, [&] { return handed.size() == 1; }));
  EXPECT_EQ(status().last_result, "ok");
}

TEST_F(CentralFetcher, NotFoundIsAnError) {
  server.status = http::status::not_found;
  server.body = "no such file";
  make()->start();
  ASSERT_TRUE(run_until(io, [&] { return status().failures == 1; }));
  EXPECT_EQ(status().last_result, "HTTP 404 Not Found");
  EXPECT_TRUE(handed.empty());
}

// A server that accepts and reads the request but never answers.
TEST_F(CentralFetcher, TimeoutOnSilentServer) {
  server.mode = TestHttpServer::Mode::hang;
  make({1s, 3600s, 3600s})->start();
  ASSERT_TRUE(run_until(io, [&] { return status().failures == 1; }));
  EXPECT_EQ(status().last_result, "read response: timed out (timeout 1 s)");
  EXPECT_EQ(server.requests.size(), 1u);
  EXPECT_TRUE(handed.empty());
}

TEST_F(CentralFetcher, BodyTooLarge) {
  server.body = "A";
  make()->start();
  ASSERT_TRUE(run_until(io, [&] { return handed.size() == 1 && idle_after(1); }));
  server.body.assign(kMaxBodyBytes + 1, ' ');
  fetcher->kick();
  ASSERT_TRUE(run_until(io, [&] { return status().failures == 1; }));
  EXPECT_EQ(status().last_result, "read response: body larger than 4194304 bytes");
  EXPECT_EQ(handed.size(), 1u);
  server.body.assign(kMaxBodyBytes, ' ');  // at the limit: taken
  ASSERT_TRUE(run_until(io, [&] { return handed.size() == 2; }));
}

TEST_F(CentralFetcher, KickFetchesAtOnce) {
  server.body = "A";
  make()->start();
  ASSERT_TRUE(run_until(io, [&] { return idle_after(1); }));
  server.body = "B";
  fetcher->kick();
  ASSERT_TRUE(run_until(io, [&] { return handed.size() == 2; }));
  EXPECT_EQ(handed[1].body, "B");
  EXPECT_EQ(status().kicks, 1u);
  EXPECT_EQ(server.requests.size(), 2u);
}

// Kicks while a fetch is in flight: one more fetch right after it, not one
// per kick, and none lost.
TEST_F(CentralFetcher, KicksDuringFetchMakeExactlyOneMore) {
  server.mode = TestHttpServer::Mode::hold;
  server.body = "A";
  make({20s, 3600s, 3600s})->start();
  ASSERT_TRUE(run_until(io, [&] { return server.held() == 1; }));
  server.body = "B";  // what the fetch after the kicks must bring
  fetcher->kick();
  fetcher->kick();
  fetcher->kick();
  server.release();  // answers the first fetch: "B"
  ASSERT_TRUE(run_until(io, [&] { return server.held() == 1; }));
  EXPECT_EQ(server.requests.size(), 2u);
  server.body = "C";
  server.release();
  ASSERT_TRUE(run_until(io, [&] { return idle_after(2); }));
  test::run_for(io, 500ms);
  EXPECT_EQ(server.requests.size(), 2u);
  EXPECT_EQ(status().attempts, 2u);
  EXPECT_EQ(status().kicks, 3u);
  ASSERT_EQ(handed.size(), 2u);
  EXPECT_EQ(handed[0].body, "B");
  EXPECT_EQ(handed[1].body, "C");
}

// A URL naming the server by an address we do not connect to (an overlay
// address): connect_to, asked at every attempt, says where, or why not yet;
// the Host header and the URL stay as configured.
TEST_F(CentralFetcher, ConnectsWhereConnectToSays) {
  server.body = "A";
  std::optional<Ipv4> nbma;
  std::vector<Ipv4> asked;
  FetchSourceConfig source = local_source(server.port(), "/portconfig");
  source.server = *Ipv4::parse("10.0.0.10");
  fetcher = std::make_shared<Fetcher>(
      io, Source::portconfig, fetch_target(source, *Ipv4::parse("10.0.0.1")),
      FetchTimes{1s, 3600s, 200ms},
      [this](Source s, const std::string& body) { handed.push_back({s, body}); },
      [&](Ipv4 host) {
        asked.push_back(host);
        return ConnectAddress{nbma, nbma ? "" : host.str() + " has no NBMA address from NHRP yet"};
      });
  fetcher->start();
  ASSERT_TRUE(run_until(io, [&] { return status().failures == 1; }));
  EXPECT_EQ(status().last_result, "10.0.0.10 has no NBMA address from NHRP yet");
  EXPECT_FALSE(status().connect_address);
  EXPECT_TRUE(server.requests.empty());
  nbma = Ipv4::parse("127.0.0.1");
  ASSERT_TRUE(run_until(io, [&] { return handed.size() == 1; }));  // at failed_interval
  EXPECT_EQ(status().connect_address, nbma);
  EXPECT_EQ(status().url,
            "http://10.0.0.10:" + std::to_string(server.port()) + "/portconfig/10.0.0.1.json");
  ASSERT_EQ(server.requests.size(), 1u);
  EXPECT_EQ(server.requests[0].host, "10.0.0.10:" + std::to_string(server.port()));
  EXPECT_EQ(asked, (std::vector<Ipv4>{*Ipv4::parse("10.0.0.10"), *Ipv4::parse("10.0.0.10")}));
}

TEST_F(CentralFetcher, StopCancelsInFlight) {
  server.mode = TestHttpServer::Mode::hold;
  server.body = "A";
  make({20s, 3600s, 1s})->start();
  ASSERT_TRUE(run_until(io, [&] { return server.held() == 1; }));
  fetcher->stop();
  ASSERT_TRUE(run_until(io, [&] { return !status().in_flight; }));
  server.release();
  test::run_for(io, 300ms);
  EXPECT_TRUE(handed.empty());
  EXPECT_EQ(status().failures, 0u);
  fetcher->kick();
  EXPECT_EQ(status().attempts, 1u);
}

}  // namespace
}  // namespace nwbpf::central
