// SPDX-License-Identifier: Apache-2.0
// nante-wan.conf as an nwbpf config: the seed file unchanged, the role a
// node takes from it, each bad key or value with its exact error at the
// INI's line and name, the choice of format by file name, and the round trip
// through `nwbpf config import` (TOML that loads back to the same Config).
#include <gtest/gtest.h>

#include <string>

#include "config/config.h"
#include "config/nante_wan_conf.h"
#include "config_test_support.h"

namespace nwbpf {
namespace {

using test::TempFile;
using test::with;

// The seed's nante-wan.conf, unchanged (config/nante-wan/nante-wan.conf is a copy).
std::string seed() { return read_config_file(NWBPF_SOURCE_DIR "/config/nante-wan/nante-wan.conf"); }

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

std::string ini_errors(std::string_view text) {
  return test::errors_of(text, parse_nante_wan_conf, "n.conf");
}

// The import printed as TOML, loaded back, is the same Config.
void expect_round_trip(std::string_view text) {
  Config direct = parse_nante_wan_conf(text, "n.conf");
  std::string toml = nante_wan_conf_to_toml(text, "n.conf");
  Config loaded = parse_config(toml, "n.conf");
  direct.unused.clear();
  EXPECT_EQ(loaded, direct) << toml;
}

TEST(ConfigNanteWan, SeedFileIsACe) {
  Config c = parse_nante_wan_conf(seed(), "nante-wan.conf");
  Config expected;
  expected.path = "nante-wan.conf";
  expected.agent.roles = {Role::ce};
  expected.node.overlay_address = ip("10.0.0.10");
  expected.node.wan_interface = "eth0";
  expected.dataplane.ttl = 64;
  BgpConfig bgp;
  bgp.as = 65000;
  bgp.router_id = ip("10.0.0.10");
  bgp.cluster_id = ip("10.0.0.10");
  bgp.password = "bgp_password";
  bgp.route_reflectors = {ip("10.0.0.100"), ip("10.0.0.101")};
  expected.bgp = bgp;
  NhrpConfig nhrp;
  nhrp.overlay_range = {ip("10.0.0.0"), 16};
  nhrp.servers = {ip("192.168.0.10"), ip("192.168.0.11")};
  nhrp.gre_key = 1;
  expected.nhrp = nhrp;
  FetchConfig fetch;
  fetch.timeout_s = 5;
  fetch.interval_s = 3600;
  fetch.failed_interval_s = 5;
  fetch.portconfig = FetchSourceConfig{.json_url_prefix = "http://10.0.0.100/portconfig",
                                       .server = ip("10.0.0.100"),
                                       .server_port = 80,
                                       .path = "/portconfig",
                                       .bind_port = 8080};
  // ebconfig's bind_addr is dmvpn_addr, Nante-WAN's default: not carried.
  fetch.ebconfig = FetchSourceConfig{.json_url_prefix = "http://10.0.0.0/ebconfig",
                                     .server = ip("10.0.0.0"),
                                     .server_port = 80,
                                     .path = "/ebconfig",
                                     .bind_port = 8081};
  expected.fetch = fetch;
  // Nante-WAN encrypts: so does the import, on the path XFRM applies to.
  expected.ipsec.mode = IpsecConfig::Mode::psk;
  expected.ipsec.secret = "hogehogemogamoga";
  expected.dataplane.mode = DataplaneMode::kernel_tunnel;
  expected.unused = {
      "nante-wan.conf:27: routing.dmvpn_interface: not used: nwbpf needs no GRE device (NHRP runs "
      "on raw GRE sockets, VXLAN goes straight between NBMA addresses)",
      "nante-wan.conf:60: portconfig.br_interface: not used: nwbpf needs no bridge (BPF forwards "
      "between the ports the portconfig names)",
      "nante-wan.conf:78: ebconfig.br_interface: not used: nwbpf needs no bridge (BPF forwards "
      "between the ports the portconfig names)",
      "nante-wan.conf:84: ebconfig.bind_addr: not used: it is dmvpn_addr, Nante-WAN's default; "
      "nwbpf listens on the NBMA address (there is no overlay device)",
  };
  EXPECT_EQ(c, expected);
}

TEST(ConfigNanteWan, ANodeThatIsOneOfTheRouteReflectorsIsARouteServer) {
  Config c = parse_nante_wan_conf(with(seed(), "10.0.0.10\n", "10.0.0.101\n"), "rs.conf");
  EXPECT_EQ(c.agent.roles, std::vector<Role>{Role::route_server});
  ASSERT_TRUE(c.bgp);
  EXPECT_TRUE(c.bgp->route_reflectors.empty());
  EXPECT_EQ(c.bgp->listen_range, (bgp::Prefix4{ip("10.0.0.0"), 16}));
  ASSERT_TRUE(c.nhrp);
  EXPECT_TRUE(c.nhrp->servers.empty());
  EXPECT_EQ(c.nhrp->gre_key, 1u);
  EXPECT_FALSE(c.fetch) << "a route server fetches no portconfig or ebconfig";
  std::string unused;
  for (const auto& line : c.unused) unused += line + "\n";
  for (const char* s : {"rs.conf:31: routing.nhs_nbma_addr1: not used: a route server is an NHS",
                        "rs.conf:39: routing.rr_addr2: not used: a route server connects to no",
                        "rs.conf:15: config_fetch.timeout: not used: a route server fetches no",
                        "rs.conf:84: ebconfig.bind_addr: not used: a route server fetches no"})
    EXPECT_NE(unused.find(s), std::string::npos) << s << "\n" << unused;
}

// The example of Nante-WAN's README (its test topology: CE1-3 at 10.0.0.1-3,
// the route and config server at 10.0.0.10), with its unnumbered list keys.
std::string readme_example(std::string_view dmvpn_addr) {
  return "[general]\ndmvpn_addr\t= " + std::string(dmvpn_addr) +
         "\n\n[config_fetch]\ntimeout\t\t= 5\ninterval\t= 3600\nfailed_interval\t= 5\n\n"
         "[routing]\nwan_interface\t= eth0\ndmvpn_interface\t= gre1\nas_number\t= 65000\n"
         "nhs_nbma_addr\t= 192.168.0.10\nrr_addr\t\t= 10.0.0.10\nbgp_range\t= 10.0.0.0/16\n"
         "ipsec_secret\t= hogehogemogamoga\ngre_key\t\t= 1\ngre_ttl\t\t= 64\n\n\n"
         "[portconfig]\nbr_interface\t= bridge\njson_url_prefix\t= http://10.0.0.10/portconfig\n"
         "bind_port\t= 8080\n\n[ebconfig]\nbr_interface    = bridge\n"
         "json_url_prefix = http://10.0.0.10/ebconfig\nbind_port       = 8081\n";
}

TEST(ConfigNanteWan, NanteWansReadmeExample) {
  Config ce = parse_nante_wan_conf(readme_example("10.0.0.1"), "ce1.conf");
  EXPECT_EQ(ce.agent.roles, std::vector<Role>{Role::ce});
  EXPECT_EQ(ce.bgp->route_reflectors, std::vector<Ipv4>{ip("10.0.0.10")});
  EXPECT_EQ(ce.nhrp->servers, std::vector<Ipv4>{ip("192.168.0.10")});
  EXPECT_EQ(ce.fetch->ebconfig->path, "/ebconfig");
  Config rs = parse_nante_wan_conf(readme_example("10.0.0.10"), "rs.conf");
  EXPECT_EQ(rs.agent.roles, std::vector<Role>{Role::route_server});
  EXPECT_EQ(rs.bgp->listen_range, (bgp::Prefix4{ip("10.0.0.0"), 16}));
  // The README's placeholder is not an address.
  EXPECT_EQ(ini_errors(readme_example("10.0.0.X")),
            "n.conf:2:14: general.dmvpn_addr: \"10.0.0.X\" is not an IPv4 address (expected a "
            "dotted quad such as 10.0.0.1)");
}

TEST(ConfigNanteWan, ImportRoundTrips) {
  expect_round_trip(seed());
  expect_round_trip(with(seed(), "10.0.0.10\n", "10.0.0.100\n"));  // route server
  expect_round_trip(readme_example("10.0.0.2"));
  expect_round_trip(
      "[DEFAULT]\n"
      "server = 10.0.0.100\n"
      "[general]\n"
      "dmvpn_addr = 10.0.0.1\n"
      "[routing]\n"
      "as_number = 4200000001\n"
      "rr_addrs1 = %(server)s\n"
      "nhs_nbma_addr = 192.168.0.10\n"
      "bgp_range = 10.0.0.0/24\n"
      "bgp_password = a 'quoted' \"secret\" %% sign\n"
      "ipsec_secret = psk with spaces\n"
      "[portconfig]\n"
      "json_url_prefix = http://%(server)s:8000/files/portconfig\n"
      "bind_port = 9000\n"
      "bind_addr = 192.168.0.1\n");
}

TEST(ConfigNanteWan, ImportPrintsTomlWithUnusedSettingsAsComments) {
  std::string toml = nante_wan_conf_to_toml(seed(), "nante-wan.conf");
  EXPECT_TRUE(toml.starts_with(
      "# nwbpf config imported from nante-wan.conf (nwbpf config import)\n"
      "# nante-wan.conf:27: routing.dmvpn_interface: not used: nwbpf needs no GRE device"))
      << toml;
  // The secret is a value of [ipsec], never in a comment.
  auto secret = toml.find("hogehogemogamoga");
  ASSERT_NE(secret, std::string::npos);
  EXPECT_EQ(toml.find("hogehogemogamoga", secret + 1), std::string::npos);
  EXPECT_NE(toml.find("[ipsec]\nmode = 'psk'\nsecret = 'hogehogemogamoga'\n"), std::string::npos)
      << toml;
  EXPECT_NE(toml.find("[dataplane]\nmode = 'kernel-tunnel'\n"), std::string::npos) << toml;
  for (const char* s : {"[agent]\nroles = [ 'ce' ]\n",
                        "route_reflectors = [ '10.0.0.100', "
                        "'10.0.0.101' ]",
                        "[fetch.portconfig]", "json_url_prefix = 'http://10.0.0.100/portconfig'"})
    EXPECT_NE(toml.find(s), std::string::npos) << s << "\n" << toml;
}

TEST(ConfigNanteWan, BadValuesAreReportedAtTheIniLineUnderTheIniName) {
  const std::string base = seed();
  test::expect_errors(
      {
          {with(base, "= 65000", "= 65k"),
           "n.conf:37:13: routing.as_number: \"65k\" is not an integer"},
          {with(base, "= 65000", "= 0"),
           "n.conf:37:13: routing.as_number: AS 0 out of range 1..4294967294"},
          {with(base, "= 5\ninterval", "= 5 # seconds\ninterval"),
           "n.conf:15:12: config_fetch.timeout: \"5 # seconds\" is not an integer (a comment must "
           "be "
           "on a line of its own: a '#' or ';' after a value is part of it)"},
          {with(base, "= 10.0.0.10\n", "= 10.0.0.300\n"),
           "n.conf:6:14: general.dmvpn_addr: \"10.0.0.300\" is not an IPv4 address (expected a "
           "dotted "
           "quad such as 10.0.0.1)"},
          {with(base, "= 10.0.0.101", "= 10.0.0.100"),
           "n.conf:39:12: routing.rr_addr2: 10.0.0.100 is already routing.rr_addr1"},
          {with(base, "= 10.0.0.0/16", "= 10.1.0.0/16"),
           "n.conf:51:13: routing.bgp_range: 10.1.0.0/16 does not hold general.dmvpn_addr "
           "10.0.0.10"},
          {with(base, "= 64", "= 300"), "n.conf:48:12: routing.gre_ttl: 300 out of range 1..255"},
          {with(base, "= bgp_password", "= " + std::string(81, 'x')),
           "n.conf:40:16: routing.bgp_password: the TCP-MD5 key is 81 bytes; at most 80 (RFC 2385, "
           "Linux TCP_MD5SIG_MAXKEYLEN)"},
          {with(base, "http://10.0.0.100/portconfig", "https://10.0.0.100/portconfig"),
           "n.conf:61:19: portconfig.json_url_prefix: \"https://10.0.0.100/portconfig\" is not an "
           "http:// URL (expected http://A.B.C.D[:port]/path, such as "
           "http://10.0.0.100/portconfig)"},
          {with(base, "= 8081", "= 8080"),
           "n.conf:83:19: ebconfig.bind_port: 8080 is also portconfig.bind_port on the same "
           "address; "
           "each kick listener needs its own port"},
          {with(base, "#json_config\t= /tmp/portconfig", "json_config\t= /tmp/portconfig"),
           "n.conf:69:15: portconfig.json_config: Nante-WAN's test setting (a local file in place "
           "of "
           "json_url_prefix) is not supported"},
          {with(base, "as_number\t=", "as_numbr\t="),
           "n.conf:22:1: routing.as_number: required key is missing\n"
           "n.conf:37:1: routing.as_numbr: unknown key; did you mean \"as_number\"?"},
          {with(base, "[general]", "[generall]"),
           "n.conf:1:1: general.dmvpn_addr: required key is missing\n"
           "n.conf:4:1: [generall]: unknown section; did you mean \"general\"?"},
      },
      parse_nante_wan_conf, "n.conf");
}

TEST(ConfigNanteWan, MissingKeysPointAtTheirSection) {
  EXPECT_EQ(ini_errors("[general]\ndmvpn_addr = 10.0.0.1\n[routing]\nwan_interface = eth0\n"),
            "n.conf:3:1: routing.ipsec_secret: required key is missing: Nante-WAN encrypts the "
            "overlay with this pre-shared key (nwbpfd --plaintext runs without encryption)\n"
            "n.conf:3:1: routing.rr_addr*: required key is missing: role \"ce\" peers with these "
            "route servers\n"
            "n.conf:3:1: routing.as_number: required key is missing\n"
            "n.conf:3:1: routing.nhs_nbma_addr*: required key is missing: role \"ce\" registers "
            "with these NHSes (NBMA addresses)\n"
            "n.conf:3:1: routing.bgp_range: required key is missing");
}

TEST(ConfigNanteWan, DefaultKeysMustBeUsedBySomeSection) {
  // portconfig has no bind_addr of its own, so it inherits this one; every
  // section that knows bind_port has its own; no section knows "stray".
  std::string text = "[DEFAULT]\nbind_addr = 10.0.0.10\nbind_port = 1\nstray = 1\n" + seed();
  EXPECT_EQ(ini_errors(text),
            "n.conf:3:1: DEFAULT.bind_port: no section uses this key (it is inherited only by keys "
            "a section knows)\n"
            "n.conf:4:1: DEFAULT.stray: no section uses this key (it is inherited only by keys a "
            "section knows)");
}

TEST(ConfigNanteWan, LoadConfigChoosesTheFormatByName) {
  for (const char* name : {"nante-wan.conf", "node.ini"}) {
    TempFile file(name, seed());
    Config c = load_config(file.path());
    EXPECT_EQ(c.path, file.path());
    EXPECT_EQ(c.node.overlay_address, ip("10.0.0.10"));
  }
  TempFile toml("ce1.toml", std::string(test::kMinimal));
  EXPECT_EQ(load_config(toml.path()).node.overlay_address, ip("10.0.0.1"));
  // An INI file named .toml is read as TOML (and fails as TOML).
  TempFile misnamed("ce1.toml", seed());
  EXPECT_THROW(load_config(misnamed.path()), ConfigError);
  TempFile other("nante-wan.cfg", seed());
  try {
    load_config(other.path());
    ADD_FAILURE() << "accepted " << other.path();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              other.path() +
                  ": unknown config format: name nwbpf's TOML *.toml, or Nante-WAN's "
                  "nante-wan.conf (INI) *.conf or *.ini");
  }
}

}  // namespace
}  // namespace nwbpf
