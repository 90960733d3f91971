// SPDX-License-Identifier: Apache-2.0
// [nhrp]: defaults, every key, every bad value with its exact message and
// position, the keys each role calls for, and relations to [node].
#include <string>
#include <vector>

#include "config_test_support.h"

namespace nwbpf {
namespace {

using test::errors_of;
using test::expect_errors;
using test::with;

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

// A CE with the smallest [nhrp], lines 1-6; a tail starts on line 7, still
// inside [nhrp].
constexpr std::string_view kCe = R"([node]
overlay_address = "10.0.0.1"
nbma_address = "192.168.0.1"
[nhrp]
overlay_range = "10.0.0.0/16"
servers = ["192.168.0.10", "192.168.0.11"]
)";

// A route server, lines 1-6; a tail starts on line 7, inside [nhrp].
constexpr std::string_view kRouteServer = R"([agent]
roles = ["route-server"]
[node]
overlay_address = "10.0.0.100"
[nhrp]
overlay_range = "10.0.0.0/16"
)";

std::string ce(std::string_view tail) { return std::string(kCe) + std::string(tail); }
std::string route_server(std::string_view tail) {
  return std::string(kRouteServer) + std::string(tail);
}

NhrpConfig nhrp_of(const std::string& text) {
  Config c = parse_config(text, "t.toml");
  EXPECT_TRUE(c.nhrp);
  return c.nhrp.value_or(NhrpConfig{});
}

TEST(ConfigNhrp, AbsentTableMeansNoNhrp) { EXPECT_FALSE(parse_config(test::kMinimal, "t.toml").nhrp); }

TEST(ConfigNhrp, CeGetsEveryDefault) {
  NhrpConfig n = nhrp_of(ce(""));
  EXPECT_EQ(n.overlay_range, (bgp::Prefix4{ip("10.0.0.0"), 16}));
  EXPECT_EQ(n.servers, (std::vector<Ipv4>{ip("192.168.0.10"), ip("192.168.0.11")}));
  EXPECT_FALSE(n.gre_key);
  EXPECT_EQ(n.holding_time_s, 7200);
  EXPECT_EQ(n.shortcut, NhrpConfig::Shortcut::on_demand);
  EXPECT_FALSE(n.password);
}

TEST(ConfigNhrp, EveryKeySet) {
  NhrpConfig n = nhrp_of(ce("gre_key = 1\nholding_time = 600\nshortcut = \"proactive\"\n"
                            "password = \"secret\"\n"));
  EXPECT_EQ(n.gre_key, 1u);
  EXPECT_EQ(n.holding_time_s, 600);
  EXPECT_EQ(n.shortcut, NhrpConfig::Shortcut::proactive);
  EXPECT_EQ(n.password, "secret");
  EXPECT_EQ(nhrp_of(ce("gre_key = 0\n")).gre_key, 0u);
  EXPECT_EQ(nhrp_of(ce("gre_key = 4294967295\n")).gre_key, 4294967295u);
}

TEST(ConfigNhrp, RouteServerNeedsNoServers) {
  NhrpConfig n = nhrp_of(route_server(""));
  EXPECT_TRUE(n.servers.empty());
  EXPECT_EQ(n.holding_time_s, 7200);
}

TEST(ConfigNhrp, BadValuesAreReportedAtTheirKey) {
  expect_errors({
      {with(kCe, "10.0.0.0/16", "10.0.0.0/33"),
       "t.toml:5:17: nhrp.overlay_range: \"10.0.0.0/33\" is not an IPv4 prefix (expected "
       "address/length with a length of 0..32, such as 10.0.0.0/16)"},
      {with(kCe, "10.0.0.0/16", "10.0.1.0/16"),
       "t.toml:5:17: nhrp.overlay_range: \"10.0.1.0/16\" has bits set past its length; did you "
       "mean \"10.0.0.0/16\"?"},
      {with(kCe, "\"192.168.0.10\", \"192.168.0.11\"", "\"192.168.0.10\", \"192.168.0.10\""),
       "t.toml:6:28: nhrp.servers[1]: 192.168.0.10 is already nhrp.servers[0]"},
      {with(kCe, "[\"192.168.0.10\", \"192.168.0.11\"]", "[]"),
       "t.toml:6:11: nhrp.servers: at least one NHS is required"},
      {ce("gre_key = -1\n"),
       "t.toml:7:11: nhrp.gre_key: -1 out of range 0..4294967295"},
      {ce("gre_key = 4294967296\n"),
       "t.toml:7:11: nhrp.gre_key: 4294967296 out of range 0..4294967295"},
      {ce("holding_time = 0\n"),
       "t.toml:7:16: nhrp.holding_time: 0 out of range 1..65535"},
      {ce("holding_time = 65536\n"),
       "t.toml:7:16: nhrp.holding_time: 65536 out of range 1..65535"},
      {ce("shortcut = \"always\"\n"),
       "t.toml:7:12: nhrp.shortcut: \"always\" is not one of \"on-demand\", \"proactive\""},
      {ce("password = \"\"\n"),
       "t.toml:7:12: nhrp.password: the password is empty; leave password out for packets "
       "without authentication"},
      {ce("password = \"123456789\"\n"),
       "t.toml:7:12: nhrp.password: the password is 9 bytes; at most 8 (Cisco's and FRR "
       "nhrpd's limit)"},
      {ce("nhs = [\"192.168.0.10\"]\n"),
       "t.toml:7:1: nhrp.nhs: unknown key (valid here: overlay_range, servers, gre_key, "
       "holding_time, shortcut, password)"},
  });
}

TEST(ConfigNhrp, RolesDecideTheKeys) {
  EXPECT_EQ(errors_of(with(kCe, "servers = [\"192.168.0.10\", \"192.168.0.11\"]\n", "")),
            "t.toml:4:1: nhrp.servers: required key is missing: role \"ce\" registers with these "
            "NHSes (NBMA addresses)");
  EXPECT_EQ(errors_of(route_server("servers = [\"192.168.0.10\"]\n")),
            "t.toml:7:11: nhrp.servers: only for role \"ce\", which agent.roles does not list");
  EXPECT_EQ(errors_of(route_server("shortcut = \"proactive\"\n")),
            "t.toml:7:12: nhrp.shortcut: only for role \"ce\", which agent.roles does not list");
  EXPECT_EQ(errors_of(with(kRouteServer, "\"route-server\"", "\"config-server\"")),
            "t.toml:2:9: agent.roles: role \"config-server\" needs a [config_server] table (its "
            "directory, at least)\n"
            "t.toml:5:1: nhrp: [nhrp] is for the roles \"ce\" and \"route-server\"; agent.roles "
            "has neither");
  EXPECT_EQ(errors_of(with(kRouteServer, "overlay_range = \"10.0.0.0/16\"\n", "")),
            "t.toml:5:1: nhrp.overlay_range: required key is missing");
}

TEST(ConfigNhrp, AddressesMustFitTheNode) {
  EXPECT_EQ(errors_of(with(kCe, "10.0.0.0/16", "10.1.0.0/16")),
            "t.toml:5:17: nhrp.overlay_range: 10.1.0.0/16 does not hold node.overlay_address 10.0.0.1");
  EXPECT_EQ(errors_of(with(kCe, "\"192.168.0.11\"]", "\"192.168.0.1\"]")),
            "t.toml:6:28: nhrp.servers[1]: 192.168.0.1 is node.nbma_address (this node)");
}

}  // namespace
}  // namespace nwbpf
