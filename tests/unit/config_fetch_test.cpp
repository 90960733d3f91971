// SPDX-License-Identifier: Apache-2.0
// [fetch] (Nante-WAN's config_fetch, portconfig, ebconfig): defaults, every
// key, every bad value with its exact message and position, the roles it
// is for, and the relations between its two files.
#include <string>
#include <vector>

#include "config_test_support.h"

namespace nwbpf {
namespace {

using test::expect_errors;
using test::with;

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

// A CE fetching its portconfig, lines 1-5; a tail starts on line 6, still
// inside [fetch.portconfig].
constexpr std::string_view kCe = R"([node]
overlay_address = "10.0.0.1"
[fetch]
[fetch.portconfig]
json_url_prefix = "http://10.0.0.100/portconfig"
)";

std::string ce(std::string_view tail) { return std::string(kCe) + std::string(tail); }

TEST(ConfigFetch, AbsentTableFetchesNothing) {
  EXPECT_FALSE(parse_config(test::kMinimal, "t.toml").fetch);
}

TEST(ConfigFetch, DefaultsAreNanteWansSeedValues) {
  Config c = parse_config(ce(""), "t.toml");
  ASSERT_TRUE(c.fetch);
  EXPECT_EQ(c.fetch->timeout_s, 5u);
  EXPECT_EQ(c.fetch->interval_s, 3600u);
  EXPECT_EQ(c.fetch->failed_interval_s, 5u);
  EXPECT_FALSE(c.fetch->ebconfig);
  ASSERT_TRUE(c.fetch->portconfig);
  EXPECT_EQ(*c.fetch->portconfig,
            (FetchSourceConfig{.json_url_prefix = "http://10.0.0.100/portconfig",
                               .server = ip("10.0.0.100"),
                               .server_port = 80,
                               .path = "/portconfig",
                               .bind_port = 8080}));
  Config eb = parse_config(with(ce(""), "[fetch.portconfig]", "[fetch.ebconfig]"), "t.toml");
  ASSERT_TRUE(eb.fetch && eb.fetch->ebconfig);
  EXPECT_EQ(eb.fetch->ebconfig->bind_port, 8081);
}

TEST(ConfigFetch, EveryKey) {
  Config c = parse_config(R"([agent]
roles = ["ce"]
[node]
overlay_address = "10.0.0.100"
[fetch]
timeout = 10
interval = 600
failed_interval = 2
[fetch.portconfig]
json_url_prefix = "http://192.168.0.10:8000"
bind_port = 9000
bind_address = "192.168.0.1"
[fetch.ebconfig]
json_url_prefix = "http://10.0.0.100/a/b"
bind_port = 9000
)",
                          "t.toml");
  ASSERT_TRUE(c.fetch);
  EXPECT_EQ(c.fetch->timeout_s, 10u);
  EXPECT_EQ(c.fetch->interval_s, 600u);
  EXPECT_EQ(c.fetch->failed_interval_s, 2u);
  EXPECT_EQ(c.fetch->portconfig->server, ip("192.168.0.10"));
  EXPECT_EQ(c.fetch->portconfig->server_port, 8000);
  EXPECT_EQ(c.fetch->portconfig->path, "");
  EXPECT_EQ(c.fetch->portconfig->bind_address, ip("192.168.0.1"));
  EXPECT_EQ(c.fetch->ebconfig->path, "/a/b");
  // One port on two addresses is two listeners.
  EXPECT_EQ(c.fetch->ebconfig->bind_port, 9000);
}

TEST(ConfigFetch, BadValues) {
  const std::string expected =
      " (expected http://A.B.C.D[:port]/path, such as http://10.0.0.100/portconfig)";
  const std::string url = "\"http://10.0.0.100/portconfig\"";
  expect_errors({
      {ce("bind_port = 0\n"), "t.toml:6:13: fetch.portconfig.bind_port: 0 out of range 1..65535"},
      {ce("bind_address = \"224.0.0.1\"\n"),
       "t.toml:6:16: fetch.portconfig.bind_address: 224.0.0.1 is a multicast address; expected a "
       "unicast host address"},
      {ce("path = \"x\"\n"),
       "t.toml:6:1: fetch.portconfig.path: unknown key (valid here: json_url_prefix, bind_port, "
       "bind_address)"},
      {with(ce(""), "[fetch]\n", "[fetch]\ntimeout = 0\n"),
       "t.toml:4:11: fetch.timeout: 0 out of range 1..86400"},
      {with(ce(""), "[fetch]\n", "[fetch]\ninterval = 86401\n"),
       "t.toml:4:12: fetch.interval: 86401 out of range 1..86400"},
      {with(ce(""), "[fetch]\n", "[fetch]\nfailed_interval = -1\n"),
       "t.toml:4:19: fetch.failed_interval: -1 out of range 1..86400"},
      {with(ce(""), url, "\"https://10.0.0.100/portconfig\""),
       "t.toml:5:19: fetch.portconfig.json_url_prefix: \"https://10.0.0.100/portconfig\" is not an "
       "http:// URL" +
           expected},
      {with(ce(""), url, "\"http://config.example/portconfig\""),
       "t.toml:5:19: fetch.portconfig.json_url_prefix: \"http://config.example/portconfig\": the "
       "host \"config.example\" is not an IPv4 address" +
           expected},
      {with(ce(""), url, "\"http://127.0.0.1/portconfig\""),
       "t.toml:5:19: fetch.portconfig.json_url_prefix: \"http://127.0.0.1/portconfig\": 127.0.0.1 "
       "is a loopback address; expected a unicast host address"},
      {with(ce(""), url, "\"http://10.0.0.100:0/portconfig\""),
       "t.toml:5:19: fetch.portconfig.json_url_prefix: \"http://10.0.0.100:0/portconfig\": the "
       "port \"0\" is not 1..65535"},
      {with(ce(""), url, "\"http://10.0.0.100/port config\""),
       "t.toml:5:19: fetch.portconfig.json_url_prefix: \"http://10.0.0.100/port config\": the path "
       "may not hold spaces, control characters, '?', '#' or '%'"},
      {with(ce(""), url, "\"http://10.0.0.100/portconfig/\""),
       "t.toml:5:19: fetch.portconfig.json_url_prefix: \"http://10.0.0.100/portconfig/\" ends with "
       "'/'; the file name is appended after one"},
      {with(ce(""), "json_url_prefix", "url"),
       "t.toml:4:1: fetch.portconfig.json_url_prefix: required key is missing\n"
       "t.toml:5:1: fetch.portconfig.url: unknown key (valid here: json_url_prefix, bind_port, "
       "bind_address)"},
  });
}

TEST(ConfigFetch, RolesAndFiles) {
  expect_errors({
      {"[agent]\nroles = [\"route-server\"]\n" + ce(""),
       "t.toml:5:1: fetch: [fetch] is for the roles \"ce\" and \"config-server\"; agent.roles has "
       "neither"},
      {"[node]\noverlay_address = \"10.0.0.1\"\n[fetch]\ntimeout = 5\n",
       "t.toml:3:1: fetch: names no file to fetch: add [fetch.portconfig] and/or [fetch.ebconfig]"},
  });
}

TEST(ConfigFetch, TheTwoFilesNeedTheirOwnUrlAndPort) {
  expect_errors({
      {ce("[fetch.ebconfig]\njson_url_prefix = \"http://10.0.0.100/portconfig\"\nbind_port = "
          "8080\n"),
       "t.toml:7:19: fetch.ebconfig.json_url_prefix: is also fetch.portconfig.json_url_prefix; the "
       "two files need their own URLs\n"
       "t.toml:8:13: fetch.ebconfig.bind_port: 8080 is also fetch.portconfig.bind_port on the same "
       "address; each kick listener needs its own port"},
  });
}

}  // namespace
}  // namespace nwbpf
