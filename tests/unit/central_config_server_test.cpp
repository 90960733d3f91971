// SPDX-License-Identifier: Apache-2.0
// The config server: what decide() serves or refuses, and the same over
// real HTTP on loopback.
#include <gtest/gtest.h>

#include "central/config_server.h"
#include "central_http_test_support.h"
#include "central_io_test_support.h"

namespace nwbpf::central {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::write_file;

const std::vector<std::string> kFolders{"portconfig", "ebconfig"};

class ConfigServerTest : public ::testing::Test {
 protected:
  ConfigServerTest() {
    fs::create_directory(dir.path() / "portconfig");
    fs::create_directory(dir.path() / "ebconfig");
    write_file(dir.path() / "portconfig" / "10.0.0.1.json", R"({"name": "bridge", "ports": []})");
    write_file(dir.path() / "secret.json", "{}");
    write_file(dir.path() / "portconfig" / "notes.txt", "x");
  }
  ServeDecision decide_get(std::string_view target) {
    return decide("GET", target, fs::canonical(dir.path()), kFolders);
  }
  TempDir dir;
};

TEST_F(ConfigServerTest, ServesAFileOfAConfiguredFolder) {
  auto d = decide_get("/portconfig/10.0.0.1.json");
  EXPECT_EQ(d.status, 200u) << d.reason;
  EXPECT_EQ(d.file, fs::canonical(dir.path() / "portconfig" / "10.0.0.1.json"));
}

TEST_F(ConfigServerTest, MissingFileIs404) {
  EXPECT_EQ(decide_get("/portconfig/10.0.0.2.json").status, 404u);
  EXPECT_EQ(decide_get("/ebconfig/10.0.0.1.json").status, 404u);
  // A folder named like a file is not a file.
  fs::create_directory(dir.path() / "portconfig" / "dir.json");
  EXPECT_EQ(decide_get("/portconfig/dir.json").status, 404u);
}

TEST_F(ConfigServerTest, OtherMethodsAre405) {
  for (std::string_view method : {"POST", "PUT", "DELETE", "HEAD", "OPTIONS"}) {
    auto d = decide(method, "/portconfig/10.0.0.1.json", fs::canonical(dir.path()), kFolders);
    EXPECT_EQ(d.status, 405u) << method;
    EXPECT_EQ(d.reason, "only GET is served");
  }
}

TEST_F(ConfigServerTest, OddTargetsAre400) {
  struct Case {
    std::string_view target, reason;
  };
  const Case cases[] = {
      {"portconfig/10.0.0.1.json", "the target is not an absolute path"},
      {"http://x/portconfig/10.0.0.1.json", "the target is not an absolute path"},
      {"/secret.json", "the target is not /<folder>/<file>.json"},
      {"/", "the target is not /<folder>/<file>.json"},
      {"/other/10.0.0.1.json", "no such folder"},
      {"/../portconfig/10.0.0.1.json", "no such folder"},
      {"//portconfig/10.0.0.1.json", "no such folder"},
      {"/portconfig/../secret.json", "the file name is not a plain name"},
      {"/portconfig/..", "the file name is not a plain name"},
      {"/portconfig/sub/10.0.0.1.json", "the file name is not a plain name"},
      {"/portconfig//10.0.0.1.json", "the file name is not a plain name"},
      {"/portconfig/%2e%2e/secret.json", "the file name is not a plain name"},
      {"/portconfig/10.0.0.1.json?x=1", "the file name is not a plain name"},
      {"/portconfig/.hidden.json", "the file name is not a plain name"},
      {"/portconfig/", "the file name is not a plain name"},
      {"/portconfig/notes.txt", "only .json files are served"},
      {"/portconfig/.json", "the file name is not a plain name"},
      {"/portconfig/x.json.bak", "only .json files are served"},
  };
  for (const auto& c : cases) {
    auto d = decide_get(c.target);
    EXPECT_EQ(d.status, 400u) << c.target;
    EXPECT_EQ(d.reason, c.reason) << c.target;
  }
}

TEST_F(ConfigServerTest, SymlinksLeadingOutAreNotServed) {
  fs::create_symlink(dir.path() / "secret.json", dir.path() / "portconfig" / "out.json");
  fs::create_symlink("10.0.0.1.json", dir.path() / "portconfig" / "in.json");
  EXPECT_EQ(decide_get("/portconfig/out.json").status, 404u);
  EXPECT_EQ(decide_get("/portconfig/in.json").status, 200u);
  // A folder that is itself a symlink out of the directory.
  TempDir elsewhere;
  write_file(elsewhere.path() / "10.0.0.1.json", "{}");
  fs::create_directory_symlink(elsewhere.path(), dir.path() / "ebconfig-out");
  auto d =
      decide("GET", "/ebconfig-out/10.0.0.1.json", fs::canonical(dir.path()), {"ebconfig-out"});
  EXPECT_EQ(d.status, 404u);
}

class ConfigServerHttpTest : public ConfigServerTest {
 protected:
  ConfigServerHttpTest() : server(io, dir.path(), kFolders) {
    server.listen({boost::asio::ip::make_address("127.0.0.1"), 0});
    port = server.local_endpoint().port();
  }
  test::Reply get(const std::string& target) {
    return test::http_call(io, port, boost::beast::http::verb::get, target);
  }
  boost::asio::io_context io;
  ConfigServer server;
  uint16_t port = 0;
};

TEST_F(ConfigServerHttpTest, ServesTheFileAsJson) {
  auto reply = get("/portconfig/10.0.0.1.json");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.content_type, "application/json");
  EXPECT_EQ(reply.body, R"({"name": "bridge", "ports": []})");
}

TEST_F(ConfigServerHttpTest, RefusesOverHttp) {
  EXPECT_EQ(get("/portconfig/10.0.0.9.json").status, 404u);
  EXPECT_EQ(get("/portconfig/../secret.json").status, 400u);
  EXPECT_EQ(get("/secret.json").status, 400u);
  auto post = test::http_call(io, port, boost::beast::http::verb::post, "/portconfig/10.0.0.1.json");
  EXPECT_EQ(post.status, 405u);
  EXPECT_EQ(post.body, "only GET is served\n");
}

TEST_F(ConfigServerHttpTest, ServesTheFileAsItIsNow) {
  write_file(dir.path() / "portconfig" / "10.0.0.1.json", "[]");
  EXPECT_EQ(get("/portconfig/10.0.0.1.json").body, "[]");
}

}  // namespace
}  // namespace nwbpf::central
