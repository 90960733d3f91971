// SPDX-License-Identifier: Apache-2.0
// portconfig (agent/central/portconfig.h): the seed's file, every rule of
// agent/central/README.md, and the exact text of every problem.
#include <gtest/gtest.h>

#include "central/portconfig.h"
#include "central_test_support.h"

namespace nwbpf::central {
namespace {

using test::ErrorCase;

Result<Parsed<PortConfig>> parse(std::string_view text) { return parse_portconfig(text); }

// A file whose "ports" is `ports` (the inside of the array).
std::string with_ports(std::string_view ports) {
  return R"({"name": "bridge", "ports": [)" + std::string(ports) + "]}";
}

TEST(CentralPortconfig, SeedExampleUnchanged) {
  std::string text = test::source_file("config/nante-wan/docker_portconfig_example.json");
  auto result = parse(text);
  EXPECT_EQ(test::value_of(result, text),
            (PortConfig{"bridge", {{"vetha", false, {10, 11}}, {"vethc", false, {10}}}}));
  EXPECT_EQ(test::warnings_of(result, text), "");
}

// The file Nante-WAN's README puts on the config server for every CE.
TEST(CentralPortconfig, ReadmeExample) {
  std::string_view text =
      R"({ "name" : "bridge", "ports" : [ { "name": "vetha", "tagged": false, )"
      R"("vlans": [ 99 ] } ] })";
  EXPECT_EQ(test::value_of(parse(text), text), (PortConfig{"bridge", {{"vetha", false, {99}}}}));
}

TEST(CentralPortconfig, VlansKeepFileOrderAndRange) {
  std::string text = with_ports(R"({"name": "eth1", "tagged": true, "vlans": [4094, 1, 200]})");
  EXPECT_EQ(test::value_of(parse(text), text),
            (PortConfig{"bridge", {{"eth1", true, {4094, 1, 200}}}}));
}

// No ports: every port leaves the overlay. No VLANs: the port carries none.
TEST(CentralPortconfig, EmptyListsAreValid) {
  std::string none = with_ports("");
  EXPECT_EQ(test::value_of(parse(none), none), (PortConfig{"bridge", {}}));
  std::string parked = with_ports(R"({"name": "eth1", "tagged": false, "vlans": []})");
  EXPECT_EQ(test::value_of(parse(parked), parked), (PortConfig{"bridge", {{"eth1", false, {}}}}));
}

// Nante-WAN ignored keys it did not look up; so do we, with a warning.
TEST(CentralPortconfig, UnknownKeysAreWarnedAboutAndIgnored) {
  std::string text = R"({"comment": "ce1", "name": "bridge", "ports": [)"
                     R"({"name": "eth1", "tagged": true, "vlans": [10], "pvid": 10}]})";
  auto result = parse(text);
  EXPECT_EQ(test::value_of(result, text), (PortConfig{"bridge", {{"eth1", true, {10}}}}));
  EXPECT_EQ(test::warnings_of(result, text),
            "top level: unknown key \"comment\" ignored (known here: name, ports)\n"
            "ports[0]: unknown key \"pvid\" ignored (known here: name, tagged, vlans)");
}

// As in Python's json module: the last of a repeated key counts.
TEST(CentralPortconfig, RepeatedKeyTakesTheLastValue) {
  std::string_view text = R"({"name": "old", "ports": [], "name": "bridge"})";
  EXPECT_EQ(test::value_of(parse(text), text), (PortConfig{"bridge", {}}));
}

TEST(CentralPortconfig, InvalidJson) {
  test::expect_errors(parse, {
      {"", "top level: invalid JSON at byte 1: parse error at line 1, column 1: syntax error "
           "while parsing value - unexpected end of input; expected '[', '{', or a literal"},
      {R"({"name": "bridge", "ports": [],})",
       "top level: invalid JSON at byte 32: parse error at line 1, column 32: syntax error "
       "while parsing object key - unexpected '}'; expected string literal"},
      {"{\"name\": \"br\xff\"}",
       "top level: invalid JSON at byte 13: parse error at line 1, column 13: syntax error "
       "while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"br\\xFF'"},
      {R"({"name": "bridge", "ports": [1e400]})",
       "top level: invalid JSON: number overflow parsing '1e400'"},
  });
}

TEST(CentralPortconfig, TopLevel) {
  test::expect_errors(parse, {
      {"[]", "top level: expected an object, found an array"},
      {"{}", "name: required key is missing\nports: required key is missing"},
      {R"({"name": 1, "ports": {}})",
       "name: expected a string, found 1\nports: expected an array, found an object"},
      {R"({"name": "br/0", "ports": []})", "name: interface name \"br/0\" contains '/'"},
      {R"({"name": null, "ports": null})",
       "name: expected a string, found null\nports: expected an array, found null"},
  });
}

TEST(CentralPortconfig, PortKeys) {
  test::expect_errors(parse, {
      {with_ports(R"("vetha")"), "ports[0]: expected an object, found \"vetha\""},
      {with_ports("{}"),
       "ports[0].name: required key is missing\nports[0].tagged: required key is missing\n"
       "ports[0].vlans: required key is missing"},
      // Nante-WAN's docstring says "vlan": that leaves "vlans" missing.
      {with_ports(R"({"name": "eth1", "tagged": true, "vlan": 10})"),
       "ports[0].vlans: required key is missing"},
      {with_ports(R"({"name": "", "tagged": true, "vlans": [10]})"),
       "ports[0].name: interface name is empty"},
      {with_ports(R"({"name": "a-very-long-name", "tagged": true, "vlans": [10]})"),
       "ports[0].name: interface name \"a-very-long-name\" is longer than 15 bytes"},
      {with_ports(R"({"name": "eth1:0", "tagged": true, "vlans": [10]})"),
       "ports[0].name: interface name \"eth1:0\" contains ':'"},
      {with_ports(R"({"name": ["eth1"], "tagged": true, "vlans": [10]})"),
       "ports[0].name: expected a string, found an array"},
  });
}

TEST(CentralPortconfig, TaggedIsABoolean) {
  test::expect_errors(parse, {
      {with_ports(R"({"name": "eth1", "tagged": "yes", "vlans": [10]})"),
       "ports[0].tagged: expected true or false, found \"yes\""},
      {with_ports(R"({"name": "eth1", "tagged": 1, "vlans": [10]})"),
       "ports[0].tagged: expected true or false, found 1"},
      {with_ports(R"({"name": "eth1", "tagged": null, "vlans": [10]})"),
       "ports[0].tagged: expected true or false, found null"},
      {with_ports(R"({"name": "eth1", "tagged": "false", "vlans": [10]})"),
       "ports[0].tagged: expected true or false, found \"false\""},
  });
}

TEST(CentralPortconfig, VlanIds) {
  auto port = [](std::string_view vlans) {
    return with_ports(R"({"name": "eth1", "tagged": true, "vlans": )" + std::string(vlans) + "}");
  };
  test::expect_errors(parse, {
      {port("10"), "ports[0].vlans: expected an array, found 10"},
      {port("[0]"), "ports[0].vlans[0]: 0 is not a VLAN ID (1..4094)"},
      {port("[4095]"), "ports[0].vlans[0]: 4095 is not a VLAN ID (1..4094)"},
      {port("[10, 5000]"), "ports[0].vlans[1]: 5000 is not a VLAN ID (1..4094)"},
      {port("[-1]"), "ports[0].vlans[0]: -1 is not a VLAN ID (1..4094)"},
      {port("[18446744073709551615]"),
       "ports[0].vlans[0]: 18446744073709551615 is not a VLAN ID (1..4094)"},
      {port("[-9223372036854775808]"),
       "ports[0].vlans[0]: -9223372036854775808 is not a VLAN ID (1..4094)"},
      {port("[10.0]"), "ports[0].vlans[0]: expected a VLAN ID (an integer 1..4094), found 10.0"},
      {port("[1e1]"), "ports[0].vlans[0]: expected a VLAN ID (an integer 1..4094), found 10.0"},
      {port(R"(["10"])"),
       "ports[0].vlans[0]: expected a VLAN ID (an integer 1..4094), found \"10\""},
      {port("[true]"), "ports[0].vlans[0]: expected a VLAN ID (an integer 1..4094), found true"},
      {port("[[10]]"),
       "ports[0].vlans[0]: expected a VLAN ID (an integer 1..4094), found an array"},
      {port("[10, 11, 10]"), "ports[0].vlans[2]: VLAN 10 is already ports[0].vlans[0]"},
  });
}

// The same VLAN on several ports is what a VLAN is for; a port twice is not.
TEST(CentralPortconfig, PortNamesAreDistinct) {
  std::string shared = with_ports(R"({"name": "eth1", "tagged": true, "vlans": [10]},)"
                                  R"({"name": "eth2", "tagged": false, "vlans": [10]})");
  EXPECT_EQ(test::value_of(parse(shared), shared).ports.size(), 2u);
  test::expect_errors(parse, {
      {with_ports(R"({"name": "vetha", "tagged": false, "vlans": [10]},)"
                  R"({"name": "vethc", "tagged": false, "vlans": [10]},)"
                  R"({"name": "vetha", "tagged": true, "vlans": [11]})"),
       "ports[2].name: \"vetha\" is already ports[0]"},
  });
}

// Every problem of a file at once, in file order.
TEST(CentralPortconfig, EveryProblemIsReported) {
  test::expect_errors(parse, {
      {R"({"name": "bridge", "ports": [)"
       R"({"name": "eth1", "tagged": "no", "vlans": [10, 0]},)"
       R"({"name": "eth1", "tagged": true, "vlans": [10, 10]}], "extra": 1})",
       "ports[0].tagged: expected true or false, found \"no\"\n"
       "ports[0].vlans[1]: 0 is not a VLAN ID (1..4094)\n"
       "ports[1].vlans[1]: VLAN 10 is already ports[1].vlans[0]\n"
       "ports[1].name: \"eth1\" is already ports[0]"},
  });
}

}  // namespace
}  // namespace nwbpf::central
