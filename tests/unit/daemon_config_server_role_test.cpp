// SPDX-License-Identifier: Apache-2.0
// The config-server role as nwbpfd runs it: where a CE is kicked (NHRP's
// registration cache), a written file kicked and shown in the status, and a
// port that is taken at start retried until it is free.
#include <gtest/gtest.h>

#include "central_http_test_support.h"
#include "central_io_test_support.h"
#include "daemon/config_server_role.h"

namespace nwbpf::daemon {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using tcp = boost::asio::ip::tcp;

const Ipv4 kCe = *Ipv4::parse("10.0.0.1");

NhrpConfig overlay(std::string_view network, uint8_t length) {
  NhrpConfig nhrp;
  nhrp.overlay_range = {*Ipv4::parse(network), length};
  return nhrp;
}

std::string text(const central::KickAddress& a) {
  return a ? "connect " + a.value().str() : "fail: " + a.error();
}

TEST(KickDestination, TheNbmaAddressTheRouteServerHasForTheCe) {
  NhrpInstall registered;
  registered.peers[kCe] = {*Ipv4::parse("192.168.0.1")};
  EXPECT_EQ(text(kick_destination(kCe, overlay("10.0.0.0", 24), registered)),
            "connect 192.168.0.1");
  EXPECT_EQ(text(kick_destination(*Ipv4::parse("10.0.0.2"), overlay("10.0.0.0", 24), registered)),
            "fail: 10.0.0.2 is not registered with NHRP");
  // Outside the overlay, or without NHRP: an underlay address, used as is.
  EXPECT_EQ(text(kick_destination(kCe, overlay("10.1.0.0", 24), registered)), "connect 10.0.0.1");
  EXPECT_EQ(text(kick_destination(kCe, std::nullopt, registered)), "connect 10.0.0.1");
}

// A port free now (bound, then closed).
uint16_t free_port() {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

class ConfigServerRoleTest : public ::testing::Test {
 protected:
  ConfigServerRoleTest() {
    fs::create_directory(dir.path() / "portconfig");
    config.directory = dir.path().string();
    config.listen_address = *Ipv4::parse("127.0.0.1");
    config.listen_port = free_port();
    config.folders = {{"portconfig", ce.port()}};
  }
  void start() {
    role.emplace(io, config,
                 [](Ipv4) -> central::KickAddress { return *Ipv4::parse("127.0.0.1"); });
    role->start();
  }
  bool run_until(const std::function<bool()>& done,
                 std::chrono::seconds limit = std::chrono::seconds(30)) {
    return central::test::run_until(io, done, limit);
  }

  central::test::TempDir dir;
  boost::asio::io_context io;
  central::test::TestHttpServer ce{io};
  ConfigServerConfig config;
  std::optional<ConfigServerRole> role;
};

TEST_F(ConfigServerRoleTest, AWrittenFileIsServedKickedAndShown) {
  start();
  central::test::write_file(dir.path() / "portconfig" / "10.0.0.1.json", "{}");
  ASSERT_TRUE(run_until([&] {
    json changes = role->status()["changes"];
    return changes.size() == 1 && changes[0]["kick"] == "kicked";
  }));
  EXPECT_EQ(ce.requests, (std::vector<central::test::TestHttpServer::Request>{
                             {"GET", "/update-kick", "10.0.0.1:" + std::to_string(ce.port())}}));
  EXPECT_EQ(central::test::http_call(io, config.listen_port, central::test::http::verb::get,
                                     "/portconfig/10.0.0.1.json")
                .body,
            "{}");
  json s = role->status();
  std::string time = s["changes"][0]["time"];
  EXPECT_EQ(time.size(), std::string("2026-11-22T16:20:01.123Z").size()) << time;
  s["changes"][0].erase("time");
  std::string port = std::to_string(config.listen_port);
  std::string kick_port = std::to_string(ce.port());
  EXPECT_EQ(s, json::parse(R"({"listen": "127.0.0.1:)" + port + R"(", "listening": true,
    "listen_error": "", "directory": ")" +
                           config.directory + R"(", "watching": true,
    "watch_error": "", "kick_tries": 5,
    "folders": [{"name": "portconfig", "kick_port": )" +
                           kick_port + R"(}],
    "kicks": {"requested": 1, "coalesced": 0, "tries": 1, "succeeded": 1, "failed": 0,
              "given_up": 0},
    "pending": [],
    "changes": [{"folder": "portconfig", "file": "10.0.0.1.json", "ce": "10.0.0.1",
                 "kick_port": )" +
                           kick_port + R"(, "kick": "kicked", "tries": 1, "error": ""}]})"));
}

TEST_F(ConfigServerRoleTest, ATakenPortIsRetriedUntilFree) {
  auto taken = std::make_unique<tcp::acceptor>(
      io, tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), config.listen_port});
  start();
  json s = role->status();
  EXPECT_FALSE(s["listening"]);
  EXPECT_EQ(s["listen_error"], "bind: Address already in use");
  EXPECT_TRUE(s["watching"]);  // the watch does not wait for the port
  taken.reset();
  ASSERT_TRUE(run_until([&] { return role->status()["listening"] == true; },
                        2 * ConfigServerRole::kRetry + std::chrono::seconds(10)));
  EXPECT_EQ(role->status()["listen_error"], "");
}

TEST_F(ConfigServerRoleTest, AMissingDirectoryIsRetried) {
  config.directory = (dir.path() / "later").string();
  start();
  json s = role->status();
  EXPECT_FALSE(s["listening"]);
  EXPECT_FALSE(s["watching"]);
  EXPECT_EQ(s["watch_error"],
            "inotify_add_watch " + config.directory + ": No such file or directory");
  fs::create_directory(config.directory);
  ASSERT_TRUE(run_until(
      [&] { return role->status()["listening"] == true && role->status()["watching"] == true; },
      2 * ConfigServerRole::kRetry + std::chrono::seconds(10)));
}

}  // namespace
}  // namespace nwbpf::daemon
