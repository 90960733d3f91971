// SPDX-License-Identifier: Apache-2.0
// The config-server role's pieces together, as the daemon wires them: a
// file written into the directory kicks its CE, which then fetches it.
#include <gtest/gtest.h>

#include "central/config_server.h"
#include "central/dir_watch.h"
#include "central/kicker.h"
#include "central_io_test_support.h"

namespace nwbpf::central {
namespace {

namespace fs = std::filesystem;

TEST(ConfigServerRole, AWrittenFileKicksItsCeWhichFetchesIt) {
  test::TempDir dir;
  fs::create_directory(dir.path() / "portconfig");
  test::KickListener ce;
  test::IoThread io;
  const std::vector<std::string> folders{"portconfig"};
  // The CE's overlay address is 10.0.0.1; NHRP would give its NBMA address.
  KickOptions options;
  options.resolve = [](Ipv4) { return Ipv4::parse("127.0.0.1"); };
  std::optional<ConfigServer> server;
  std::optional<Kicker> kicker;
  std::optional<DirWatch> watch;
  uint16_t port = io.on_io([&] {
    server.emplace(io.io(), dir.path(), folders);
    server->listen({boost::asio::ip::make_address("127.0.0.1"), 0});
    kicker.emplace(io.io(), options);
    watch.emplace(io.io(), dir.path(), folders, [&](const Change& c) {
      kicker->kick({c.ce, ce.port()});
    });
    return server->local_endpoint().port();
  });

  test::write_file(dir.path() / "portconfig" / "10.0.0.1.json", R"({"name": "br", "ports": []})");
  ASSERT_TRUE(test::wait_for([&] { return !ce.requests().empty(); }));
  EXPECT_EQ(ce.requests(), std::vector<std::string>{"GET /update-kick Host: 10.0.0.1:" +
                                                    std::to_string(ce.port())});
  EXPECT_EQ(test::http_get(port, "/portconfig/10.0.0.1.json").body,
            R"({"name": "br", "ports": []})");
  ASSERT_TRUE(test::wait_for([&] { return io.on_io([&] { return kicker->pending() == 0; }); }));
  EXPECT_EQ(io.on_io([&] { return kicker->counters(); }),
            (KickCounters{.requested = 1, .tries = 1, .succeeded = 1}));
  io.on_io([&] {
    watch.reset();
    kicker.reset();
    server.reset();
  });
}

}  // namespace
}  // namespace nwbpf::central
