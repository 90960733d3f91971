// SPDX-License-Identifier: Apache-2.0
// Document shape: unknown keys and tables, tables of the wrong kind, TOML
// syntax errors, and many problems reported together.
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "config_test_support.h"

namespace nwbpf {
namespace {

using test::errors_of;

std::string after_node(std::string_view tail) {
  return std::string(test::kMinimal) + std::string(tail);
}

constexpr const char* kAgentKeys =
    "(valid here: instance, roles, bpffs, control_socket, log_level, bpf_object, detach_on_exit)";

TEST(ConfigStructure, UnknownKeysAreRejectedAtTheKey) {
  EXPECT_EQ(errors_of("instance = \"ce1\"\n[node]\noverlay_address = \"10.0.0.1\"\n"),
            "t.toml:1:1: instance: unknown key (valid here: agent, node, dataplane, ipsec, port, peer, "
            "flood, fdb, bgp, nhrp, fetch, config_server)");
  EXPECT_EQ(errors_of(after_node("[agent]\nname = \"ce1\"\n")),
            std::string("t.toml:4:1: agent.name: unknown key ") + kAgentKeys);
  EXPECT_EQ(errors_of(after_node("  vxlan_port = 4789\n")),
            "t.toml:3:3: node.vxlan_port: unknown key (valid here: overlay_address, nbma_address, "
            "wan_interface)");
  EXPECT_EQ(errors_of(after_node(
                "[[peer]]\noverlay = \"10.0.0.2\"\nnbma = \"192.168.0.2\"\nnbma_port = 4789\n")),
            "t.toml:6:1: peer[0].nbma_port: unknown key (valid here: overlay, nbma)");
}

TEST(ConfigStructure, CloseTyposGetASuggestion) {
  EXPECT_EQ(errors_of(after_node("[agnet]\ninstance = \"x\"\n")),
            "t.toml:3:2: agnet: unknown table; did you mean \"agent\"?");
  EXPECT_EQ(errors_of(after_node("[[peers]]\noverlay = \"10.0.0.2\"\n")),
            "t.toml:3:3: peers: unknown table; did you mean \"peer\"?");
  EXPECT_EQ(errors_of(after_node("[dataplane]\nmac_aging = 300\n")),
            "t.toml:4:1: dataplane.mac_aging: unknown key; did you mean \"mac_ageing\"?");
  EXPECT_EQ(errors_of(after_node("[[port]]\nname = \"p\"\nvlan = 2\nvlans = [1]\n")),
            "t.toml:5:1: port[0].vlan: unknown key; did you mean \"vlans\"?");
  // A key that is not a bare key is shown quoted in the path.
  EXPECT_EQ(errors_of(after_node("[agent]\n\"log.level\" = \"info\"\n")),
            "t.toml:4:1: agent.\"log.level\": unknown key; did you mean \"log_level\"?");
  // Too far from every key (2 edits from "df", but "df" is only 2 long).
  EXPECT_EQ(
      errors_of(after_node("[dataplane]\nab = 1\n")),
      "t.toml:4:1: dataplane.ab: unknown key (valid here: mode, learn_remote, mac_ageing, ttl, df, "
      "udp_src_port, tcp_mss, fdb_size, tunnel_device)");
}

TEST(ConfigStructure, UnknownSubTables) {
  EXPECT_EQ(errors_of(after_node("[agent.extra]\nx = 1\n")),
            std::string("t.toml:3:8: agent.extra: unknown table ") + kAgentKeys);
  EXPECT_EQ(errors_of(after_node("[[port]]\nname = \"p\"\nvlans = [1]\nacl.in = \"x\"\n")),
            "t.toml:6:1: port[0].acl: unknown table (valid here: name, tagged, vlans, path)");
}

TEST(ConfigStructure, TablesOfTheWrongKind) {
  EXPECT_EQ(errors_of("agent = 5\n" + std::string(test::kMinimal)),
            "t.toml:1:9: agent: expected a table ([agent]), found an integer");
  EXPECT_EQ(errors_of("node = \"10.0.0.1\"\n"),
            "t.toml:1:8: node: expected a table ([node]), found a string");
  EXPECT_EQ(errors_of(after_node("[port]\nname = \"p\"\nvlans = [1]\n")),
            "t.toml:3:1: port: expected an array of tables ([[port]]), found a table");
  EXPECT_EQ(errors_of("peer = [1, { overlay = \"10.0.0.2\", nbma = \"192.168.0.2\" }]\n" +
                      std::string(test::kMinimal)),
            "t.toml:1:9: peer[0]: expected a table, found an integer");
  EXPECT_EQ(errors_of("flood = \"99\"\n" + std::string(test::kMinimal)),
            "t.toml:1:9: flood: expected an array of tables ([[flood]]), found a string");
}

TEST(ConfigStructure, MissingNodeTable) {
  EXPECT_EQ(errors_of(""),
            "t.toml:1:1: node.overlay_address: required key is missing (no [node] table)");
  EXPECT_EQ(errors_of("# only a comment\n\n[agent]\ninstance = \"x\"\n"),
            "t.toml:1:1: node.overlay_address: required key is missing (no [node] table)");
}

TEST(ConfigStructure, SyntaxErrorsKeepTomlPlusPlusPosition) {
  EXPECT_EQ(errors_of(after_node("[agent]\ninstance = \"a\"\ninstance = \"b\"\n")),
            "t.toml:5:12: TOML syntax error: Error while parsing key-value pair: cannot redefine "
            "existing string 'instance'");
  EXPECT_EQ(
      errors_of("[node]\noverlay_address = \"10.0.0.1\n"),
      "t.toml:2:28: TOML syntax error: Error while parsing string: unescaped control characters "
      "other than TAB (U+0009) are explicitly prohibited");
  EXPECT_EQ(
      errors_of(after_node("[agent]\ninstance = \"a\\q\"\n")),
      "t.toml:4:15: TOML syntax error: Error while parsing string: unknown escape sequence '\\q'");
  EXPECT_EQ(errors_of(after_node("[[port]]\nname = \"p\"\nvlans = [1 2]\n")),
            "t.toml:5:12: TOML syntax error: Error while parsing array: expected comma or closing "
            "']', saw '2'");
  EXPECT_EQ(
      errors_of(after_node("[node]\n")),
      "t.toml:3:1: TOML syntax error: Error while parsing table header: cannot redefine existing "
      "table 'node'");
  // toml++ quotes what it saw verbatim; a line break in it is escaped.
  EXPECT_EQ(
      errors_of(after_node("[agent]\ndetach_on_exit = f\n")),
      "t.toml:4:19: TOML syntax error: Error while parsing boolean: expected 'false', saw 'f\\n'");
  // toml++ 3.3 places this one on the character before the bad byte (col 6).
  EXPECT_EQ(errors_of(after_node("x = \"\xff\"\n")),
            "t.toml:3:5: TOML syntax error: Encountered invalid utf-8 sequence");
}

TEST(ConfigStructure, EveryProblemIsReportedInFileOrder) {
  // Problems of both passes (single values and relations between tables)
  // and unknown keys, interleaved in the file: all reported, sorted by
  // position, one per line.
  EXPECT_EQ(
      errors_of(R"([agent]
instance = "ce/1"
colour = "blue"

[node]
overlay_address = "10.0.0.1"
nbma_address = "192.168.0.1"

[dataplane]
mode = "tc"
ttl = 300

[[port]]
name = "vetha"
vlans = [99, 4095]
path = "xdp"

[[port]]
name = "vetha"
vlans = [100]

[[peer]]
overlay = "10.0.0.1"
nbma = "192.168.0.2"

[[flood]]
vni = 100
vteps = ["10.0.0.3"]

[[fdb]]
vni = 99
mac = "0a:00:00:00:00:01"
)"),
      R"(t.toml:2:12: agent.instance: "ce/1" is not a valid instance name (1-32 characters of A-Z a-z 0-9 _ -)
t.toml:3:1: agent.colour: unknown key (valid here: instance, roles, bpffs, control_socket, log_level, bpf_object, detach_on_exit)
t.toml:11:7: dataplane.ttl: 300 out of range 1..255
t.toml:15:14: port[0].vlans[1]: VLAN 4095 out of range 1..4094
t.toml:16:8: port[0].path: "xdp" needs dataplane.mode = "xdp" (only that mode attaches XDP programs)
t.toml:19:8: port[1].name: "vetha" is already port[0].name
t.toml:23:11: peer[0].overlay: 10.0.0.1 is node.overlay_address (this node)
t.toml:28:10: flood[0].vteps[0]: 10.0.0.3 is not the overlay address of any [[peer]]
t.toml:30:1: fdb[0]: needs port (a local port) or vtep (a peer) to say where the MAC is)");
}

// Every prefix of the reference file, and every byte of it replaced by a
// character that upsets TOML: parse_config accepts or throws ConfigError
// (nothing else escapes), and every line of the error has the position form.
TEST(ConfigStructure, DamagedFilesOnlyEverGiveConfigErrors) {
  std::ifstream in(NWBPF_SOURCE_DIR "/config/nwbpf.toml");
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string good = buf.str();
  ASSERT_GT(good.size(), 1000u);
  const std::regex line(R"(t\.toml:[1-9][0-9]*:[1-9][0-9]*: [^\n]+)");
  auto check = [&](const std::string& text) {
    try {
      parse_config(text, "t.toml");
    } catch (const ConfigError& e) {
      std::stringstream lines(e.what());
      for (std::string l; std::getline(lines, l);)
        ASSERT_TRUE(std::regex_match(l, line)) << l << "\nfrom:\n" << text;
    }
  };
  for (size_t n = 0; n < good.size(); ++n) check(good.substr(0, n));
  for (size_t i = 0; i < good.size(); ++i)
    for (char c : {'"', '[', '\n', '\xc3'}) {
      std::string text = good;
      text[i] = c;
      check(text);
    }
}

}  // namespace
}  // namespace nwbpf
