// SPDX-License-Identifier: Apache-2.0
// [bgp] and [[bgp.vni]]: defaults, every key, every bad value with its exact
// message and position, the keys each role calls for, and relations to the
// other tables.
#include <string>
#include <vector>

#include "config_test_support.h"

namespace nwbpf {
namespace {

using test::errors_of;
using test::expect_errors;
using test::with;

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }
evpn::RouteTarget rt(const char* text) { return evpn::RouteTarget::parse(text).value(); }

// A CE with one port and the smallest [bgp], lines 1-9; a tail starts on
// line 10, still inside [bgp].
constexpr std::string_view kCe = R"([node]
overlay_address = "10.0.0.1"
nbma_address = "192.168.0.1"
[[port]]
name = "vetha"
vlans = [99, 100]
[bgp]
as = 65000
route_reflectors = ["192.168.0.10"]
)";

// A route server, lines 1-7; a tail starts on line 8, inside [bgp].
constexpr std::string_view kRouteServer = R"([agent]
roles = ["route-server"]
[node]
overlay_address = "10.0.0.100"
[bgp]
as = 65000
listen_range = "10.0.0.0/16"
)";

std::string ce(std::string_view tail) { return std::string(kCe) + std::string(tail); }
std::string route_server(std::string_view tail) {
  return std::string(kRouteServer) + std::string(tail);
}

BgpConfig bgp_of(const std::string& text) {
  Config c = parse_config(text, "t.toml");
  EXPECT_TRUE(c.bgp);
  return c.bgp.value_or(BgpConfig{});
}

TEST(ConfigBgp, AbsentTableIsStaticMode) {
  EXPECT_FALSE(parse_config(test::kMinimal, "t.toml").bgp);
}

TEST(ConfigBgp, CeGetsEveryDefault) {
  BgpConfig b = bgp_of(ce(""));
  EXPECT_EQ(b.as, 65000u);
  EXPECT_EQ(b.router_id, ip("10.0.0.1"));  // node.overlay_address
  EXPECT_EQ(b.port, 179);
  EXPECT_EQ(b.hold_time_s, 90);
  EXPECT_EQ(b.connect_retry_s, 120);
  EXPECT_FALSE(b.password);
  EXPECT_EQ(b.route_reflectors, std::vector<Ipv4>{ip("192.168.0.10")});
  EXPECT_FALSE(b.listen_range);
  EXPECT_EQ(b.cluster_id, ip("10.0.0.1"));  // router_id
  EXPECT_TRUE(b.graceful_restart);
  EXPECT_EQ(b.restart_time_s, 120);
  EXPECT_TRUE(b.vnis.empty());
}

TEST(ConfigBgp, EveryKeyOfACe) {
  BgpConfig b = bgp_of(ce(R"(router_id = "10.255.0.1"
port = 1179
hold_time = 0
connect_retry = 5
password = "bgp_password"
graceful_restart = true
restart_time = 4095
[[bgp.vni]]
vni = 100
route_targets = ["65000:1100", "RT:10.0.0.1:7", "4200000000:100"]
[[bgp.vni]]
vni = 99
route_targets = ["65000:99"]
)"));
  EXPECT_EQ(b.router_id, ip("10.255.0.1"));
  EXPECT_EQ(b.cluster_id, ip("10.255.0.1"));  // follows router_id
  EXPECT_EQ(b.port, 1179);
  EXPECT_EQ(b.hold_time_s, 0);
  EXPECT_EQ(b.connect_retry_s, 5);
  EXPECT_EQ(b.password, "bgp_password");
  EXPECT_EQ(b.restart_time_s, 4095);
  ASSERT_EQ(b.vnis.size(), 2u);
  EXPECT_EQ(b.vnis[0].vni, 100u);
  EXPECT_EQ(
      b.vnis[0].route_targets,
      (std::vector<evpn::RouteTarget>{rt("65000:1100"), rt("10.0.0.1:7"), rt("4200000000:100")}));
  EXPECT_EQ(b.vnis[0].source, "t.toml:17:1");
  EXPECT_EQ(b.vnis[1].vni, 99u);  // its own automatic route target, named: allowed
  EXPECT_EQ(b.vnis[1].route_targets, std::vector<evpn::RouteTarget>{rt("65000:99")});
}

TEST(ConfigBgp, RouteReflectorsKeepFileOrder) {
  // Nante-WAN's rr_addr1..N, in that order.
  BgpConfig b = bgp_of(with(kCe, R"(["192.168.0.10"])", R"(["192.168.0.11", "192.168.0.10"])"));
  EXPECT_EQ(b.route_reflectors, (std::vector<Ipv4>{ip("192.168.0.11"), ip("192.168.0.10")}));
}

TEST(ConfigBgp, GracefulRestartOff) {
  BgpConfig b = bgp_of(ce("graceful_restart = false\n"));
  EXPECT_FALSE(b.graceful_restart);
}

TEST(ConfigBgp, RouteServer) {
  BgpConfig b = bgp_of(route_server(""));
  EXPECT_EQ(b.router_id, ip("10.0.0.100"));
  EXPECT_EQ(b.listen_range, (bgp::Prefix4{ip("10.0.0.0"), 16}));
  EXPECT_EQ(b.cluster_id, ip("10.0.0.100"));
  EXPECT_TRUE(b.route_reflectors.empty());
  b = bgp_of(route_server("cluster_id = \"192.0.2.1\"\nrouter_id = \"10.0.0.101\"\n"));
  EXPECT_EQ(b.router_id, ip("10.0.0.101"));
  EXPECT_EQ(b.cluster_id, ip("192.0.2.1"));
}

TEST(ConfigBgp, CeAndRouteServerOnOneNode) {
  // It reflects its own routes, so route servers to peer with are optional.
  auto both = with(kRouteServer, "[\"route-server\"]", "[\"ce\", \"route-server\"]");
  EXPECT_TRUE(bgp_of(both).route_reflectors.empty());
  EXPECT_EQ(bgp_of(both + "route_reflectors = [\"192.168.0.11\"]\n").route_reflectors,
            std::vector<Ipv4>{ip("192.168.0.11")});
}

TEST(ConfigBgp, RangeBoundsAreInclusive) {
  EXPECT_EQ(bgp_of(with(kCe, "65000", "1")).as, 1u);
  EXPECT_EQ(bgp_of(with(kCe, "65000", "4294967294")).as, 4294967294u);
  for (auto as : {"23455", "23457", "65534", "65536"})
    EXPECT_NO_THROW(parse_config(with(kCe, "65000", as), "t.toml")) << as;
  EXPECT_EQ(bgp_of(ce("router_id = \"255.255.255.255\"\n")).router_id, ip("255.255.255.255"));
  EXPECT_EQ(bgp_of(ce("port = 1\n")).port, 1);
  EXPECT_EQ(bgp_of(ce("port = 65535\n")).port, 65535);
  EXPECT_EQ(bgp_of(ce("hold_time = 3\n")).hold_time_s, 3);
  EXPECT_EQ(bgp_of(ce("hold_time = 65535\n")).hold_time_s, 65535);
  EXPECT_EQ(bgp_of(ce("connect_retry = 1\n")).connect_retry_s, 1);
  EXPECT_EQ(bgp_of(ce("connect_retry = 65535\n")).connect_retry_s, 65535);
  EXPECT_EQ(bgp_of(ce("restart_time = 1\n")).restart_time_s, 1);
  EXPECT_EQ(bgp_of(ce("password = \"" + std::string(80, 'k') + "\"\n")).password->size(), 80u);
  auto range = [](std::string_view prefix) {
    return bgp_of(with(kRouteServer, "10.0.0.0/16", prefix)).listen_range;
  };
  EXPECT_EQ(range("0.0.0.0/0"), (bgp::Prefix4{ip("0.0.0.0"), 0}));
  EXPECT_EQ(range("10.0.0.1/32"), (bgp::Prefix4{ip("10.0.0.1"), 32}));
  EXPECT_EQ(range("192.168.0.0/24"), (bgp::Prefix4{ip("192.168.0.0"), 24}));
}

TEST(ConfigBgp, SameFileInOtherTomlSpellings) {
  Config c = parse_config(R"(node.overlay_address = "10.0.0.1"
port = [ { name = "p", vlans = [99] } ]
bgp = { as = 65000, route_reflectors = ["192.168.0.10"], vni = [ { vni = 99, route_targets = ["65000:1"] } ] }
)",
                          "t.toml");
  ASSERT_TRUE(c.bgp);
  EXPECT_EQ(c.bgp->as, 65000u);
  ASSERT_EQ(c.bgp->vnis.size(), 1u);
  EXPECT_EQ(c.bgp->vnis[0].route_targets, std::vector<evpn::RouteTarget>{rt("65000:1")});
}

TEST(ConfigBgp, ReferenceFileIsAnEvpnCe) {
  Config c = load_config(NWBPF_SOURCE_DIR "/config/nwbpf.toml");
  ASSERT_TRUE(c.bgp);
  EXPECT_EQ(c.bgp->as, 65000u);
  EXPECT_EQ(c.bgp->router_id, c.node.overlay_address);
  EXPECT_EQ(c.bgp->route_reflectors, (std::vector<Ipv4>{ip("192.168.0.10"), ip("192.168.0.11")}));
  EXPECT_FALSE(c.bgp->password);
  ASSERT_EQ(c.bgp->vnis.size(), 1u);
  EXPECT_EQ(c.bgp->vnis[0].vni, 100u);
}

TEST(ConfigBgpValues, As) {
  const std::string allowed = "; allowed: 1..4294967294 except 23456 and 65535";
  expect_errors({
      {with(kCe, "65000", "0"), "t.toml:8:6: bgp.as: AS 0 out of range 1..4294967294"},
      {with(kCe, "65000", "-1"), "t.toml:8:6: bgp.as: AS -1 out of range 1..4294967294"},
      {with(kCe, "65000", "4294967295"),
       "t.toml:8:6: bgp.as: AS 4294967295 out of range 1..4294967294"},
      {with(kCe, "65000", "23456"),
       "t.toml:8:6: bgp.as: AS 23456 is AS_TRANS, which stands for a 4-octet AS in 2-octet fields "
       "(RFC 6793)" +
           allowed},
      {with(kCe, "65000", "65535"),
       "t.toml:8:6: bgp.as: AS 65535 is reserved (RFC 7300)" + allowed},
      {with(kCe, "65000", "\"65000\""), "t.toml:8:6: bgp.as: expected an integer, found a string"},
      {with(kCe, "as = 65000\n", ""), "t.toml:7:1: bgp.as: required key is missing"},
  });
}

TEST(ConfigBgpValues, Identifiers) {
  const std::string expected = " (expected a dotted quad other than 0.0.0.0, such as 10.0.0.1)";
  expect_errors({
      {ce("router_id = \"0.0.0.0\"\n"),
       R"(t.toml:10:13: bgp.router_id: "0.0.0.0" is not a BGP Identifier)" + expected},
      {ce("router_id = \"10.0.0\"\n"),
       R"(t.toml:10:13: bgp.router_id: "10.0.0" is not a BGP Identifier)" + expected},
      {ce("router_id = 167772161\n"),
       "t.toml:10:13: bgp.router_id: expected a string, found an integer"},
      {route_server("cluster_id = \"0.0.0.0\"\n"),
       R"(t.toml:8:14: bgp.cluster_id: "0.0.0.0" is not a cluster ID)" + expected},
      {route_server("cluster_id = \"10.0.0.1 \"\n"),
       R"(t.toml:8:14: bgp.cluster_id: "10.0.0.1 " is not a cluster ID)" + expected},
  });
}

TEST(ConfigBgpValues, SessionTimersAndPort) {
  const std::string hold =
      " is not a hold time: 0 (no KEEPALIVEs) or 3..65535 seconds (RFC 4271 §4.2)";
  expect_errors({
      {ce("port = 0\n"), "t.toml:10:8: bgp.port: 0 out of range 1..65535"},
      {ce("port = 65536\n"), "t.toml:10:8: bgp.port: 65536 out of range 1..65535"},
      {ce("port = \"bgp\"\n"), "t.toml:10:8: bgp.port: expected an integer, found a string"},
      {ce("hold_time = 1\n"), "t.toml:10:13: bgp.hold_time: 1" + hold},
      {ce("hold_time = 2\n"), "t.toml:10:13: bgp.hold_time: 2" + hold},
      {ce("hold_time = -1\n"), "t.toml:10:13: bgp.hold_time: -1 out of range 0..65535"},
      {ce("hold_time = 65536\n"), "t.toml:10:13: bgp.hold_time: 65536 out of range 0..65535"},
      {ce("hold_time = 9.5\n"),
       "t.toml:10:13: bgp.hold_time: expected an integer, found a floating-point number"},
      {ce("connect_retry = 0\n"), "t.toml:10:17: bgp.connect_retry: 0 out of range 1..65535"},
      {ce("connect_retry = 65536\n"),
       "t.toml:10:17: bgp.connect_retry: 65536 out of range 1..65535"},
  });
}

TEST(ConfigBgpValues, PasswordIsNeverShown) {
  expect_errors({
      {ce("password = \"\"\n"),
       "t.toml:10:12: bgp.password: the TCP-MD5 key is empty; leave password out for sessions "
       "without one"},
      {ce("password = \"" + std::string(81, 'k') + "\"\n"),
       "t.toml:10:12: bgp.password: the TCP-MD5 key is 81 bytes; at most 80 (RFC 2385, Linux "
       "TCP_MD5SIG_MAXKEYLEN)"},
      {ce("password = 1234\n"), "t.toml:10:12: bgp.password: expected a string, found an integer"},
  });
  // Bytes, not characters: 41 two-byte characters are 82 bytes.
  std::string utf8;
  for (int i = 0; i < 41; ++i) utf8 += "\xc3\xa9";  // é
  EXPECT_EQ(errors_of(ce("password = \"" + utf8 + "\"\n")),
            "t.toml:10:12: bgp.password: the TCP-MD5 key is 82 bytes; at most 80 (RFC 2385, Linux "
            "TCP_MD5SIG_MAXKEYLEN)");
}

TEST(ConfigBgpValues, RouteReflectors) {
  auto rr = [](std::string_view value) { return with(kCe, R"(["192.168.0.10"])", value); };
  expect_errors({
      {rr("[]"), "t.toml:9:20: bgp.route_reflectors: at least one route server is required"},
      {rr("\"192.168.0.10\""),
       "t.toml:9:20: bgp.route_reflectors: expected an array, found a string"},
      {rr(R"(["192.168.0.10", "192.168.0.10"])"),
       "t.toml:9:37: bgp.route_reflectors[1]: 192.168.0.10 is already bgp.route_reflectors[0]"},
      {rr(R"(["224.0.0.1"])"),
       "t.toml:9:21: bgp.route_reflectors[0]: 224.0.0.1 is a multicast address; expected a "
       "unicast host address"},
      {rr(R"(["rs1"])"),
       R"(t.toml:9:21: bgp.route_reflectors[0]: "rs1" is not an IPv4 address (expected a dotted quad such as 10.0.0.1))"},
      {rr(R"(["192.168.0.10:179"])"),
       R"(t.toml:9:21: bgp.route_reflectors[0]: "192.168.0.10:179" is not an IPv4 address (expected a dotted quad such as 10.0.0.1))"},
  });
}

TEST(ConfigBgpValues, ListenRange) {
  auto range = [](std::string_view value) { return with(kRouteServer, "\"10.0.0.0/16\"", value); };
  auto not_prefix = [](std::string_view text) {
    return "t.toml:7:16: bgp.listen_range: \"" + std::string(text) +
           "\" is not an IPv4 prefix (expected address/length with a length of 0..32, such as "
           "10.0.0.0/16)";
  };
  std::vector<test::ErrorCase> cases;
  for (auto bad : {"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/016", "10.0.0.0/+16",
                   "10.0.0.0/-1", "10.0.0.0/16/1", "10.0.0.0/ 16", "10.0.0/16", "/16", ""})
    cases.push_back({range("\"" + std::string(bad) + "\""), not_prefix(bad)});
  cases.push_back(
      {range("\"10.0.1.0/16\""),
       R"(t.toml:7:16: bgp.listen_range: "10.0.1.0/16" has bits set past its length; did you mean "10.0.0.0/16"?)"});
  cases.push_back(
      {range("\"10.0.0.1/0\""),
       R"(t.toml:7:16: bgp.listen_range: "10.0.0.1/0" has bits set past its length; did you mean "0.0.0.0/0"?)"});
  cases.push_back(
      {range("16"), "t.toml:7:16: bgp.listen_range: expected a string, found an integer"});
  expect_errors(cases);
}

TEST(ConfigBgpValues, GracefulRestart) {
  expect_errors({
      {ce("graceful_restart = \"yes\"\n"),
       "t.toml:10:20: bgp.graceful_restart: expected a boolean (true or false), found a string"},
      {ce("restart_time = 0\n"), "t.toml:10:16: bgp.restart_time: 0 out of range 1..4095"},
      {ce("restart_time = 4096\n"), "t.toml:10:16: bgp.restart_time: 4096 out of range 1..4095"},
      {ce("graceful_restart = false\nrestart_time = 60\n"),
       "t.toml:11:16: bgp.restart_time: has no effect with graceful_restart = false"},
  });
}

TEST(ConfigBgpValues, VniTables) {
  // [[bgp.vni]] starts on line 10.
  auto vni = [](std::string_view body) { return ce("[[bgp.vni]]\n" + std::string(body)); };
  expect_errors({
      {vni("vni = 0\nroute_targets = [\"65000:1\"]\n"),
       "t.toml:11:7: bgp.vni[0].vni: VNI 0 out of range 1..4094"},
      {vni("vni = 4095\nroute_targets = [\"65000:1\"]\n"),
       "t.toml:11:7: bgp.vni[0].vni: VNI 4095 out of range 1..4094"},
      {vni("route_targets = [\"65000:1\"]\n"),
       "t.toml:10:1: bgp.vni[0].vni: required key is missing"},
      {vni("vni = 99\n"), "t.toml:10:1: bgp.vni[0].route_targets: required key is missing"},
      {vni("vni = 99\nroute_targets = []\n"),
       "t.toml:12:17: bgp.vni[0].route_targets: at least one route target is required"},
      {vni("vni = 99\nroute_targets = \"65000:1\"\n"),
       "t.toml:12:17: bgp.vni[0].route_targets: expected an array, found a string"},
      {vni("vni = 99\nroute_targets = [65000]\n"),
       "t.toml:12:18: bgp.vni[0].route_targets[0]: expected a string, found an integer"},
      {vni("vni = 99\nroute_targets = [\"65000\"]\n"),
       "t.toml:12:18: bgp.vni[0].route_targets[0]: route target '65000': expected ADMIN:NUMBER "
       "(AS:number or IPv4:number)"},
      {vni("vni = 99\nroute_targets = [\"65000:x\"]\n"),
       "t.toml:12:18: bgp.vni[0].route_targets[0]: route target '65000:x': 'x' is not a decimal "
       "number"},
      {vni("vni = 99\nroute_targets = [\"4200000000:65536\"]\n"),
       "t.toml:12:18: bgp.vni[0].route_targets[0]: route target '4200000000:65536': number 65536 "
       "is out of range for a 4-byte AS (0..65535)"},
      {vni("vni = 99\nroute_targets = [\"10.0.0.1:65536\"]\n"),
       "t.toml:12:18: bgp.vni[0].route_targets[0]: route target '10.0.0.1:65536': number 65536 is "
       "out of range for an IPv4 administrator (0..65535)"},
      // Messages stay on one line.
      {vni("vni = 99\nroute_targets = [\"a\\nb\"]\n"),
       "t.toml:12:18: bgp.vni[0].route_targets[0]: route target 'a\\nb': expected ADMIN:NUMBER "
       "(AS:number or IPv4:number)"},
      // The same route target in two spellings.
      {vni("vni = 99\nroute_targets = [\"65000:1\", \"RT:65000:1\"]\n"),
       "t.toml:12:29: bgp.vni[0].route_targets[1]: route target 65000:1 is already "
       "bgp.vni[0].route_targets[0]"},
      {vni("vni = 99\nroute_targets = [\"65000:1\"]\nrt = \"65000:2\"\n"),
       "t.toml:13:1: bgp.vni[0].rt: unknown key (valid here: vni, route_targets)"},
  });
}

TEST(ConfigBgpStructure, UnknownKeys) {
  expect_errors({
      // Nante-WAN's names are not keys here; the list shows nwbpf's.
      {ce("as_number = 65000\n"),
       "t.toml:10:1: bgp.as_number: unknown key (valid here: as, router_id, port, hold_time, "
       "connect_retry, password, route_reflectors, listen_range, cluster_id, graceful_restart, "
       "restart_time, vni)"},
      {ce("router-id = \"10.0.0.1\"\n"),
       "t.toml:10:1: bgp.router-id: unknown key; did you mean \"router_id\"?"},
      {ce("hold_timer = 90\n"),
       "t.toml:10:1: bgp.hold_timer: unknown key; did you mean \"hold_time\"?"},
      {ce("[[bgp.vnis]]\nvni = 99\n"),
       "t.toml:10:7: bgp.vnis: unknown table; did you mean \"vni\"?"},
      {"bgp = 65000\n" + std::string(test::kMinimal),
       "t.toml:1:7: bgp: expected a table ([bgp]), found an integer"},
  });
}

TEST(ConfigBgpRoles, KeysOfTheOtherRoleAreRefused) {
  const std::string rs_only = ", which agent.roles does not list";
  expect_errors({
      {ce("listen_range = \"10.0.0.0/16\"\n"),
       "t.toml:10:16: bgp.listen_range: only for role \"route-server\"" + rs_only},
      {ce("cluster_id = \"10.0.0.1\"\n"),
       "t.toml:10:14: bgp.cluster_id: only for role \"route-server\"" + rs_only},
      {route_server("route_reflectors = [\"192.168.0.10\"]\n"),
       "t.toml:8:20: bgp.route_reflectors: only for role \"ce\"" + rs_only},
      // Only the role is reported, not also that no port carries the VNI.
      {route_server("[[bgp.vni]]\nvni = 99\nroute_targets = [\"65000:1\"]\n"),
       "t.toml:8:1: bgp.vni: only for role \"ce\"" + rs_only},
  });
}

TEST(ConfigBgpRoles, KeysTheRoleNeeds) {
  expect_errors({
      {with(kCe, "route_reflectors = [\"192.168.0.10\"]\n", ""),
       "t.toml:7:1: bgp.route_reflectors: required key is missing: role \"ce\" peers with these "
       "route servers"},
      {with(kRouteServer, "listen_range = \"10.0.0.0/16\"\n", ""),
       "t.toml:5:1: bgp.listen_range: required key is missing: role \"route-server\" accepts "
       "sessions from this prefix"},
      {with(with(kRouteServer, "[\"route-server\"]", "[\"route-server\", \"ce\"]"),
            "listen_range = \"10.0.0.0/16\"\n", ""),
       "t.toml:5:1: bgp.listen_range: required key is missing: role \"route-server\" accepts "
       "sessions from this prefix"},
      {with(kRouteServer, "[\"route-server\"]", "[\"config-server\"]"),
       "t.toml:2:9: agent.roles: role \"config-server\" needs a [config_server] table (its "
       "directory, at least)\n"
       "t.toml:5:1: bgp: [bgp] is for the roles \"ce\" and \"route-server\"; agent.roles has "
       "neither"},
  });
}

TEST(ConfigBgpRoles, UnknownRolesCheckNoKeys) {
  // agent.roles is invalid: only that is reported, whatever [bgp] holds.
  for (auto roles : {"[\"route-server\", \"router\"]", "[]", "\"ce\""}) {
    std::string text = with(kRouteServer, "[\"route-server\"]", roles) +
                       "route_reflectors = [\"192.168.0.10\"]\ncluster_id = \"10.0.0.1\"\n";
    std::string error = errors_of(text);
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    EXPECT_EQ(error.rfind("t.toml:2:", 0), 0u) << error;
  }
}

TEST(ConfigBgpRelations, AddressesOfThisNodeAndItsPeers) {
  auto rr = [](std::string_view value) { return with(kCe, R"(["192.168.0.10"])", value); };
  expect_errors({
      {rr(R"(["192.168.0.1"])"),
       "t.toml:9:21: bgp.route_reflectors[0]: 192.168.0.1 is node.nbma_address (this node)"},
      {rr(R"(["192.168.0.10", "10.0.0.1"])"),
       "t.toml:9:37: bgp.route_reflectors[1]: 10.0.0.1 is node.overlay_address (this node)"},
      {ce("router_id = \"10.0.0.2\"\n[[peer]]\noverlay = \"10.0.0.2\"\nnbma = \"192.168.0.2\"\n"),
       "t.toml:10:13: bgp.router_id: 10.0.0.2 is peer[0].overlay, that node's router_id by "
       "default; BGP Identifiers must be unique in the AS (RFC 6286)"},
  });
  // A route server may also be a static peer (a node that is both), and the
  // router_id may differ from the overlay address.
  EXPECT_NO_THROW(parse_config(
      ce("router_id = \"10.0.0.9\"\n[[peer]]\noverlay = \"10.0.0.10\"\nnbma = \"192.168.0.10\"\n"),
      "t.toml"));
}

TEST(ConfigBgpRelations, VnisAndTheirRouteTargets) {
  auto vni = [](std::string_view number, std::string_view targets) {
    return "[[bgp.vni]]\nvni = " + std::string(number) +
           "\nroute_targets = " + std::string(targets) + "\n";
  };
  const std::string shared = "; a route target of two VNIs would put one's MACs in the other";
  expect_errors({
      {ce(vni("200", R"(["65000:1"])")),
       "t.toml:11:7: bgp.vni[0].vni: no [[port]] carries VLAN 200, so this VNI is never "
       "advertised"},
      {ce(vni("99", R"(["65000:1"])") + vni("99", R"(["65000:2"])")),
       "t.toml:14:7: bgp.vni[1].vni: VNI 99 is already bgp.vni[0].vni"},
      {ce(vni("99", R"(["65000:1", "65000:7"])") + vni("100", R"(["65000:2", "65000:7"])")),
       "t.toml:15:29: bgp.vni[1].route_targets[1]: route target 65000:7 is already "
       "bgp.vni[0].route_targets[1]" +
           shared},
      // VNI 100 has no table: its route target is the automatic 65000:100.
      {ce(vni("99", R"(["65000:100"])")),
       "t.toml:12:18: bgp.vni[0].route_targets[0]: route target 65000:100 is the automatic one "
       "of VNI 100 (AS:VNI)" +
           shared},
      // FRR's automatic route target of a 4-octet AS keeps its low 16 bits:
      // 4200000001 = 0xfa56ea01 -> 59905.
      {with(ce(vni("99", R"(["59905:100"])")), "65000", "4200000001"),
       "t.toml:12:18: bgp.vni[0].route_targets[0]: route target 59905:100 is the automatic one "
       "of VNI 100 (AS:VNI)" +
           shared},
  });
  // A repeat inside one list is reported once, by the first pass.
  EXPECT_EQ(errors_of(ce(vni("99", R"(["65000:1", "65000:1"])"))),
            "t.toml:12:29: bgp.vni[0].route_targets[1]: route target 65000:1 is already "
            "bgp.vni[0].route_targets[0]");
}

TEST(ConfigBgpRelations, NoFollowOnErrors) {
  // The AS, a VNI and a route target are invalid: the automatic route
  // targets and the other VNI's cannot be compared, and are not.
  EXPECT_EQ(errors_of(with(kCe, "65000", "23456") +
                      "[[bgp.vni]]\nvni = 99\nroute_targets = [\"23456:100\"]\n"),
            "t.toml:8:6: bgp.as: AS 23456 is AS_TRANS, which stands for a 4-octet AS in 2-octet "
            "fields (RFC 6793); allowed: 1..4294967294 except 23456 and 65535");
  EXPECT_EQ(errors_of(ce("[[bgp.vni]]\nvni = 0\nroute_targets = [\"65000:100\"]\n")),
            "t.toml:11:7: bgp.vni[0].vni: VNI 0 out of range 1..4094");
  EXPECT_EQ(errors_of(ce("[[bgp.vni]]\nvni = 99\nroute_targets = [\"65000:100\", \"x\"]\n")),
            "t.toml:12:31: bgp.vni[0].route_targets[1]: route target 'x': expected ADMIN:NUMBER "
            "(AS:number or IPv4:number)");
  // An invalid router_id is not compared with the peers.
  EXPECT_EQ(errors_of(ce("router_id = \"0.0.0.0\"\n")),
            "t.toml:10:13: bgp.router_id: \"0.0.0.0\" is not a BGP Identifier (expected a dotted "
            "quad other than 0.0.0.0, such as 10.0.0.1)");
}

}  // namespace
}  // namespace nwbpf
