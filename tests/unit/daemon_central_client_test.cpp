// SPDX-License-Identifier: Apache-2.0
// CentralClient (daemon/central_client.h) against a real HTTP server on
// loopback: a good file is applied and saved, a bad one is rejected with
// its problems while the last good one stays, a kick fetches at once, the
// saved copy is in force at the next start before any fetch; and the
// `show portconfig` JSON (daemon/central_views.h) of what it holds.
#include <gtest/gtest.h>

#include <fstream>

#include "central_http_test_support.h"
#include "central_io_test_support.h"
#include "daemon/central_client.h"
#include "daemon/central_views.h"
#include "daemon/portconfig_apply.h"

namespace nwbpf::daemon {
namespace {

using namespace std::chrono_literals;
using central::test::run_until;
using central::test::TempDir;
using central::test::TestHttpServer;

constexpr char kGood[] = R"({"name": "bridge", "ports": [{"name": "vetha", "tagged": false,
  "vlans": [10, 11]}, {"name": "vethc", "tagged": true, "vlans": [20]}]})";
constexpr char kBad[] = R"({"name": "bridge", "ports": [{"name": "vetha", "tagged": "no",
  "vlans": [5000]}]})";

class CentralClientTest : public ::testing::Test {
 protected:
  Config config() const {
    Config c;
    c.path = "ce.toml";
    c.node.overlay_address = *Ipv4::parse("10.0.0.1");
    c.fetch = FetchConfig{};
    c.fetch->failed_interval_s = 1;
    FetchSourceConfig& source = c.fetch->portconfig.emplace();
    source.server = *Ipv4::parse("127.0.0.1");
    source.server_port = server.port();
    source.path = "/portconfig";
    source.bind_port = 0;  // any free port: see the source's kick_port
    return c;
  }
  std::unique_ptr<CentralClient> make() {
    CentralClient::Callbacks cb;
    cb.portconfig_changed = [this] { ++changed; };
    Config c = config();
    return std::make_unique<CentralClient>(
        io, dir.path().string(),
        [c](const central::PortConfig& f, const std::string& url) {
          return edge_ports(f, url, c).problems;
        },
        cb);
  }
  const central::FetchStatus& status(const CentralClient& client) const {
    return *client.sources().at(0).fetch;
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server.port()) + "/portconfig/10.0.0.1.json";
  }

  boost::asio::io_context io;
  TestHttpServer server{io};
  TempDir dir;
  int changed = 0;
};

TEST_F(CentralClientTest, GoodFileAppliedAndSavedBadOneRejected) {
  server.body = kGood;
  auto client = make();
  client->configure(config(), *Ipv4::parse("127.0.0.1"));
  ASSERT_TRUE(run_until(io, [&] { return changed == 1; }));
  ASSERT_TRUE(client->portconfig());
  EXPECT_EQ(client->portconfig()->ports.size(), 2u);
  EXPECT_EQ(client->portconfig_url(), url());
  std::ifstream saved(dir.path() / "portconfig.json");
  std::string text((std::istreambuf_iterator<char>(saved)), {});
  EXPECT_EQ(text, kGood);

  // A bad file, kicked: rejected with every problem, the good one stays.
  server.body = kBad;
  const uint16_t kick_port = client->sources().at(0).kick_port;
  ASSERT_NE(kick_port, 0);
  EXPECT_EQ(client->sources().at(0).kick_error, "");
  auto reply = central::test::http_call(io, kick_port, central::test::http::verb::get,
                                        "/update-kick");
  EXPECT_EQ(reply.status, 200u) << reply.error;
  ASSERT_TRUE(run_until(io, [&] { return client->sources().at(0).file->result == "rejected"; }));
  const FileStatus& file = *client->sources().at(0).file;
  EXPECT_EQ(file.problems,
            (std::vector<std::string>{"ports[0].tagged: expected true or false, found \"no\"",
                                      "ports[0].vlans[0]: 5000 is not a VLAN ID (1..4094)"}));
  EXPECT_EQ(file.origin, "server");
  EXPECT_EQ(changed, 1);
  ASSERT_TRUE(client->portconfig());
  EXPECT_EQ(client->portconfig()->ports.size(), 2u);
  EXPECT_EQ(status(*client).kicks, 1u);

  // The view: the file in force, its ports as the data plane has them.
  std::vector<PortView> applied(1);
  applied[0].name = "vetha";
  applied[0].state = "up";
  applied[0].ifindex = 5;
  auto now = std::chrono::system_clock::now();
  nlohmann::json view = portconfig_json(*client, applied, now);
  EXPECT_EQ(view["bridge"], "bridge");
  EXPECT_EQ(view["ports"], nlohmann::json::parse(R"([
    {"name": "vetha", "tagged": false, "vlans": [10, 11], "pvid": 11, "state": "up", "ifindex": 5},
    {"name": "vethc", "tagged": true, "vlans": [20], "pvid": null, "state": "not applied",
     "ifindex": 0}])"));
  const auto& source = view["sources"].at(0);
  EXPECT_EQ(source["source"], "portconfig");
  EXPECT_EQ(source["url"], url());
  EXPECT_EQ(source["kick"]["address"], "127.0.0.1");
  EXPECT_EQ(source["fetch"]["connect_address"], "127.0.0.1");
  EXPECT_EQ(source["fetch"]["last_result"], "ok");  // the fetch was fine, the file was not
  EXPECT_EQ(source["file"]["result"], "rejected");
  EXPECT_EQ(source["file"]["problems"].size(), 2u);
  EXPECT_TRUE(source["file"]["applied_at"].is_object());
  client->stop();
  central::test::run_for(io, 50ms);
}

// The next start, with the server down: the saved copy is in force before
// any fetch, and no callback is called for it.
TEST_F(CentralClientTest, SavedCopyInForceAtStart) {
  {
    std::ofstream out(dir.path() / "portconfig.json");
    out << kGood;
  }
  server.close();
  auto client = make();
  client->load_saved(config());
  ASSERT_TRUE(client->portconfig());
  EXPECT_EQ(client->portconfig()->ports.at(1).name, "vethc");
  EXPECT_EQ(client->sources().at(0).file->origin, "saved copy");
  EXPECT_EQ(changed, 0);
  client->configure(config(), *Ipv4::parse("127.0.0.1"));
  ASSERT_TRUE(run_until(io, [&] { return status(*client).failures >= 2; }));
  EXPECT_EQ(status(*client).last_result, "connect: Connection refused");
  EXPECT_TRUE(client->portconfig());
  // Back with the same file: nothing changes.
  server.reopen();
  server.body = kGood;
  ASSERT_TRUE(run_until(io, [&] { return status(*client).changed == 1; }));
  EXPECT_EQ(client->sources().at(0).file->origin, "server");
  EXPECT_EQ(changed, 0);
  client->stop();
  central::test::run_for(io, 50ms);
}

// A kick port held by another socket: the error is shown, the source
// fetches anyway, and once the port is free the listener comes up on the
// next retry (no reload) and a kick fetches.
TEST_F(CentralClientTest, BusyKickPortRetriedUntilFree) {
  namespace asio = boost::asio;
  asio::ip::tcp::acceptor holder(io, {asio::ip::make_address_v4("127.0.0.1"), 0});
  const uint16_t busy = holder.local_endpoint().port();
  server.body = kGood;
  auto client = make();
  Config c = config();
  c.fetch->portconfig->bind_port = busy;
  client->configure(c, *Ipv4::parse("127.0.0.1"));
  ASSERT_TRUE(run_until(io, [&] { return changed == 1; }));
  EXPECT_EQ(client->sources().at(0).kick_error,
            "update-kick on 127.0.0.1:" + std::to_string(busy) + ": Address already in use");

  holder.close();
  ASSERT_TRUE(run_until(io, [&] { return client->sources().at(0).kick_error.empty(); },
                        CentralClient::kKickRetry + 5s));
  EXPECT_EQ(client->sources().at(0).kick_port, busy);
  auto reply = central::test::http_call(io, busy, central::test::http::verb::get, "/update-kick");
  EXPECT_EQ(reply.status, 200u) << reply.error;
  ASSERT_TRUE(run_until(io, [&] { return status(*client).kicks == 1; }));
  client->stop();
  central::test::run_for(io, 50ms);
}

// A source no longer configured stops, and its file goes (callback).
TEST_F(CentralClientTest, UnconfiguredSourceDropsItsFile) {
  server.body = kGood;
  auto client = make();
  client->configure(config(), *Ipv4::parse("127.0.0.1"));
  ASSERT_TRUE(run_until(io, [&] { return changed == 1; }));
  Config without = config();
  without.fetch.reset();
  client->configure(without, *Ipv4::parse("127.0.0.1"));
  EXPECT_EQ(changed, 2);
  EXPECT_FALSE(client->portconfig());
  EXPECT_TRUE(client->sources().empty());
  central::test::run_for(io, 50ms);
}

}  // namespace
}  // namespace nwbpf::daemon
