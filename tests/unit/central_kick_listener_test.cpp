// SPDX-License-Identifier: Apache-2.0
// KickListener (agent/central/kick_listener.h) over real HTTP on loopback:
// GET and POST /update-kick answered 200 at once, everything else refused,
// and, wired to a Fetcher, an immediate fetch.
#include "central/kick_listener.h"

#include <gtest/gtest.h>

#include "central/fetcher.h"
#include "central_http_test_support.h"

namespace nwbpf::central {
namespace {

using namespace std::chrono_literals;
using test::http_call;
using test::run_until;
using test::TestHttpServer;
namespace http = test::http;

class CentralKickListener : public ::testing::Test {
 protected:
  void SetUp() override {
    listener = std::make_shared<KickListener>(io, *Ipv4::parse("127.0.0.1"), 0,
                                              [this] { ++kicks; });
    listener->start();
  }
  void TearDown() override {
    listener->stop();
    test::run_for(io, 50ms);
  }

  boost::asio::io_context io;
  std::shared_ptr<KickListener> listener;
  int kicks = 0;
};

TEST_F(CentralKickListener, GetAndPostKick) {
  auto reply = http_call(io, listener->port(), http::verb::get, "/update-kick");
  EXPECT_EQ(reply.error, "");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body, "ok\n");
  EXPECT_EQ(kicks, 1);
  reply = http_call(io, listener->port(), http::verb::post, "/update-kick");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(kicks, 2);
  reply = http_call(io, listener->port(), http::verb::get, "/update-kick?source=server");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(kicks, 3);
}

TEST_F(CentralKickListener, OtherPathNotFound) {
  for (const char* target : {"/", "/update-kick/", "/update", "/portconfig/10.0.0.1.json"}) {
    auto reply = http_call(io, listener->port(), http::verb::get, target);
    EXPECT_EQ(reply.status, 404u) << target;
    EXPECT_EQ(reply.body, "not found\n") << target;
  }
  EXPECT_EQ(kicks, 0);
}

TEST_F(CentralKickListener, OtherMethodNotAllowed) {
  for (auto method : {http::verb::put, http::verb::delete_, http::verb::head}) {
    auto reply = http_call(io, listener->port(), method, "/update-kick");
    EXPECT_EQ(reply.status, 405u) << method;
    EXPECT_EQ(reply.allow, "GET, POST") << method;
  }
  EXPECT_EQ(kicks, 0);
}

TEST_F(CentralKickListener, PortInUse) {
  try {
    KickListener second(io, *Ipv4::parse("127.0.0.1"), listener->port(), [] {});
    FAIL() << "bound twice";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "update-kick on 127.0.0.1:" + std::to_string(listener->port()) +
                  ": Address already in use");
  }
}

// The kick is answered while the fetch it started is still waiting for the
// config server: the answer does not wait on the fetch.
TEST_F(CentralKickListener, AnswersBeforeTheFetch) {
  TestHttpServer server(io);
  server.body = "A";
  FetchSourceConfig source;
  source.server = *Ipv4::parse("127.0.0.1");
  source.server_port = server.port();
  std::vector<std::string> handed;
  auto fetcher = std::make_shared<Fetcher>(
      io, Source::ebconfig, fetch_target(source, *Ipv4::parse("10.0.0.1")),
      FetchTimes{20s, 3600s, 3600s},
      [&](Source, const std::string& body) { handed.push_back(body); });
  fetcher->start();
  ASSERT_TRUE(run_until(io, [&] { return handed.size() == 1 && !fetcher->status().in_flight; }));

  auto kicker = std::make_shared<KickListener>(io, *Ipv4::parse("127.0.0.1"), 0,
                                               [&] { fetcher->kick(); });
  kicker->start();
  server.mode = TestHttpServer::Mode::hold;
  server.body = "B";
  auto reply = http_call(io, kicker->port(), http::verb::post, "/update-kick");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(fetcher->status().kicks, 1u);
  ASSERT_TRUE(run_until(io, [&] { return server.held() == 1; }));
  EXPECT_TRUE(fetcher->status().in_flight);
  server.release();
  ASSERT_TRUE(run_until(io, [&] { return handed.size() == 2; }));
  EXPECT_EQ(handed[1], "B");
  kicker->stop();
  fetcher->stop();
  test::run_for(io, 50ms);
}

}  // namespace
}  // namespace nwbpf::central
