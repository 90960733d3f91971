// SPDX-License-Identifier: Apache-2.0
// [config_server]: defaults, every key, every bad value with its exact
// message and position, the role, and the folders taken from [fetch].
#include <string>

#include "config_test_support.h"

namespace nwbpf {
namespace {

using test::errors_of;
using test::expect_errors;
using test::with;

// A config server with Nante-WAN's two folders, lines 1-11; a tail starts
// on line 12, inside [config_server].
constexpr std::string_view kServer = R"([agent]
roles = ["config-server"]
[node]
overlay_address = "10.0.0.100"
[fetch.portconfig]
json_url_prefix = "http://10.0.0.100/portconfig"
[fetch.ebconfig]
json_url_prefix = "http://10.0.0.100/ebconfig"
bind_port = 9081
[config_server]
directory = "/srv/nwbpf"
)";

std::string server(std::string_view tail) { return std::string(kServer) + std::string(tail); }

ConfigServerConfig server_of(const std::string& text) {
  Config c = parse_config(text, "t.toml");
  EXPECT_TRUE(c.config_server);
  return c.config_server.value_or(ConfigServerConfig{});
}

TEST(ConfigConfigServer, AbsentTableMeansNoServer) {
  EXPECT_FALSE(parse_config(test::kMinimal, "t.toml").config_server);
}

TEST(ConfigConfigServer, Defaults) {
  EXPECT_EQ(server_of(server("")),
            (ConfigServerConfig{.directory = "/srv/nwbpf",
                                .listen_address = std::nullopt,
                                .listen_port = 80,
                                .kick_retries = 4,
                                .folders = {{"portconfig", 8080}, {"ebconfig", 9081}}}));
}

TEST(ConfigConfigServer, EveryKeySet) {
  auto s =
      server_of(server("listen_address = \"192.168.0.10\"\nlisten_port = 8000\n"
                       "kick_retries = 0\n"));
  EXPECT_EQ(s.listen_address, Ipv4::parse("192.168.0.10"));
  EXPECT_EQ(s.listen_port, 8000);
  EXPECT_EQ(s.kick_retries, 0u);
  EXPECT_EQ(server_of(server("kick_retries = 20\n")).kick_retries, 20u);
}

TEST(ConfigConfigServer, FolderIsTheLastPathComponent) {
  auto s = server_of(with(kServer, "http://10.0.0.100/portconfig", "http://10.0.0.100/a/b/pc"));
  EXPECT_EQ(s.folders[0].name, "pc");
  // Only one kind of file fetched: one folder.
  auto one = server_of(with(kServer,
                            "[fetch.ebconfig]\njson_url_prefix = \"http://10.0.0.100/ebconfig\"\n"
                            "bind_port = 9081\n",
                            ""));
  EXPECT_EQ(one.folders, (std::vector<ConfigServerConfig::Folder>{{"portconfig", 8080}}));
}

TEST(ConfigConfigServer, BadValuesAreReportedAtTheirKey) {
  expect_errors({
      {with(kServer, "directory = \"/srv/nwbpf\"\n", ""),
       "t.toml:10:1: config_server.directory: required key is missing"},
      {with(kServer, "\"/srv/nwbpf\"", "\"srv\""),
       "t.toml:11:13: config_server.directory: \"srv\" is not an absolute path"},
      {server("listen_address = \"x\"\n"),
       "t.toml:12:18: config_server.listen_address: \"x\" is not an IPv4 address (expected a "
       "dotted quad such as 10.0.0.1)"},
      {server("listen_port = 0\n"),
       "t.toml:12:15: config_server.listen_port: 0 out of range 1..65535"},
      {server("kick_retries = 21\n"),
       "t.toml:12:16: config_server.kick_retries: 21 out of range 0..20"},
      {server("folders = []\n"),
       "t.toml:12:1: config_server.folders: unknown key (valid here: directory, listen_address, "
       "listen_port, kick_retries)"},
  });
}

TEST(ConfigConfigServer, FoldersComeFromFetch) {
  EXPECT_EQ(
      errors_of(with(kServer, "http://10.0.0.100/ebconfig", "http://10.0.0.100/a/portconfig")),
      "t.toml:10:1: config_server: fetch.ebconfig.json_url_prefix names the folder "
      "\"portconfig\" again: the two kinds of file would share their names");
  EXPECT_EQ(errors_of(with(kServer, "http://10.0.0.100/ebconfig", "http://10.0.0.100")),
            "t.toml:10:1: config_server: fetch.ebconfig.json_url_prefix \"http://10.0.0.100\" "
            "names no folder; the config server serves <directory>/<folder>/<overlay "
            "address>.json, the folder being the URL path's last part");
  EXPECT_EQ(errors_of(R"([agent]
roles = ["config-server"]
[node]
overlay_address = "10.0.0.100"
[config_server]
directory = "/srv/nwbpf"
)"),
            "t.toml:5:1: config_server: the folders served are named by [fetch.portconfig] and "
            "[fetch.ebconfig] (each json_url_prefix's path); add [fetch]");
}

TEST(ConfigConfigServer, TheRoleNeedsTheTable) {
  EXPECT_EQ(errors_of(R"([agent]
roles = ["config-server"]
[node]
overlay_address = "10.0.0.100"
)"),
            "t.toml:2:9: agent.roles: role \"config-server\" needs a [config_server] table (its "
            "directory, at least)");
}

TEST(ConfigConfigServer, OnlyForTheRole) {
  EXPECT_EQ(errors_of(with(kServer, "[\"config-server\"]", "[\"ce\"]")),
            "t.toml:10:1: config_server: [config_server] is for the role \"config-server\", which "
            "agent.roles does not list");
}

}  // namespace
}  // namespace nwbpf
