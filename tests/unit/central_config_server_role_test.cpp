// SPDX-License-Identifier: Apache-2.0
// The config-server role's pieces together, as the daemon wires them: a
// file written into the directory kicks its CE, which then fetches it.
#include <gtest/gtest.h>

#include "central/config_server.h"
#include "central/dir_watch.h"
#include "central/kicker.h"
#include "central_http_test_support.h"
#include "central_io_test_support.h"

namespace nwbpf::central {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

TEST(ConfigServerRole, AWrittenFileKicksItsCeWhichFetchesIt) {
  test::TempDir dir;
  fs::create_directory(dir.path() / "portconfig");
  asio::io_context io;
  test::TestHttpServer ce(io);
  const std::vector<std::string> folders{"portconfig"};
  // The CE's overlay address is 10.0.0.1; NHRP would give its NBMA address.
  KickOptions options;
  options.resolve = [](Ipv4) -> KickAddress { return *Ipv4::parse("127.0.0.1"); };
  ConfigServer server(io, dir.path(), folders);
  server.listen({asio::ip::make_address("127.0.0.1"), 0});
  Kicker kicker(io, options);
  DirWatch watch(io, dir.path(), folders, [&](const Change& c) { kicker.kick({c.ce, ce.port()}); });

  test::write_file(dir.path() / "portconfig" / "10.0.0.1.json", R"({"name": "br", "ports": []})");
  ASSERT_TRUE(test::run_until(io, [&] { return !ce.requests.empty(); }));
  EXPECT_EQ(ce.requests, (std::vector<test::TestHttpServer::Request>{
                             {"GET", "/update-kick", "10.0.0.1:" + std::to_string(ce.port())}}));
  EXPECT_EQ(test::http_call(io, server.local_endpoint().port(), http::verb::get,
                            "/portconfig/10.0.0.1.json")
                .body,
            R"({"name": "br", "ports": []})");
  ASSERT_TRUE(test::run_until(io, [&] { return kicker.pending() == 0; }));
  EXPECT_EQ(kicker.counters(), (KickCounters{.requested = 1, .tries = 1, .succeeded = 1}));
}

}  // namespace
}  // namespace nwbpf::central
