// SPDX-License-Identifier: Apache-2.0
// ebconfig (agent/central/ebconfig.h): the seed's file, every rule of
// agent/central/README.md, and the exact text of every problem.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "central/ebconfig.h"
#include "central_test_support.h"

namespace nwbpf::central {
namespace {

using test::ErrorCase;

Result<Parsed<Ebconfig>> parse(std::string_view text) { return parse_ebconfig(text); }

bgp::Prefix4 prefix(std::string_view address, uint8_t length) {
  return {*Ipv4::parse(address), length};
}

Mac mac(std::string_view text) { return *Mac::parse(text); }

Protocol proto(uint8_t number) { return {number}; }

// VLAN 10 with an ip-filter (default permit) whose rules are `rules`.
std::string ip_rules(std::string_view rules) {
  return R"([{"vlan": 10, "ip-filter": {"default": "permit", "rules": [)" + std::string(rules) +
         "]}}]";
}

// VLAN 10 with a mac-filter (default deny) whose rules are `rules`.
std::string mac_rules(std::string_view rules) {
  return R"([{"vlan": 10, "mac-filter": {"default": "deny", "rules": [)" + std::string(rules) +
         "]}}]";
}

// The rules of the ip-filter of the only VLAN of an accepted file.
std::vector<IpRule> ip_rules_of(std::string_view text) {
  auto config = test::value_of(parse(text), text);
  if (config.vlans.size() != 1 || !config.vlans[0].ip) {
    ADD_FAILURE() << "not one VLAN with an ip-filter:\n" << text;
    return {};
  }
  return config.vlans[0].ip->rules;
}

TEST(CentralEbconfig, SeedExampleUnchanged) {
  std::string text = test::source_file("config/nante-wan/docker_ebconfig_example.json");
  auto result = parse(text);
  IpFilter ip{Action::permit,
              {{proto(6), prefix("0.0.0.0", 0), {}, prefix("10.0.0.1", 32), {}, Action::deny},
               {proto(6), prefix("1.1.1.1", 32), {}, prefix("2.2.2.2", 32), {}, Action::deny},
               {proto(17), prefix("0.0.0.0", 30), {}, prefix("192.168.0.0", 16), {80, 80},
                Action::permit}}};
  MacFilter macs{Action::deny,
                 {{mac("0a:00:27:00:00:01"), Action::permit},
                  {mac("0a:00:27:00:00:02"), Action::permit},
                  {mac("0a:00:27:00:00:03"), Action::permit}}};
  // The trailing {} has no VLAN and no filter: it does nothing.
  EXPECT_EQ(test::value_of(result, text), (Ebconfig{{{10, ip, macs}}}));
  EXPECT_EQ(test::warnings_of(result, text), "");
}

// Nante-WAN took [] for a failed fetch and kept its rules; here it is the
// way to remove every filter.
TEST(CentralEbconfig, EmptyArrayIsNoFilters) {
  EXPECT_EQ(test::value_of(parse("[]"), "[]"), Ebconfig{});
  EXPECT_EQ(test::value_of(parse("[{}, {}]"), "[{}, {}]"), Ebconfig{});
}

// A VLAN without filters, and filters without rules: only the defaults.
TEST(CentralEbconfig, FiltersAreOptionalAndRulesMayBeEmpty) {
  std::string_view text = R"([{"vlan": 20},
      {"vlan": 30, "mac-filter": {"default": "permit", "rules": []}},
      {"vlan": 40, "ip-filter": {"default": "deny", "rules": []}}])";
  EXPECT_EQ(test::value_of(parse(text), text),
            (Ebconfig{{{20, std::nullopt, std::nullopt},
                       {30, std::nullopt, MacFilter{Action::permit, {}}},
                       {40, IpFilter{Action::deny, {}}, std::nullopt}}}));
}

// Only "proto" is required: any address, any port and "deny" otherwise.
TEST(CentralEbconfig, RuleDefaults) {
  EXPECT_EQ(ip_rules_of(ip_rules(R"({"proto": "icmp"})")),
            (std::vector<IpRule>{{proto(1), prefix("0.0.0.0", 0), {}, prefix("0.0.0.0", 0), {},
                                  Action::deny}}));
  std::string text = mac_rules(R"({"mac": "0A:00:27:00:00:01"})");
  EXPECT_EQ(test::value_of(parse(text), text).vlans.at(0).mac->rules,
            (std::vector<MacRule>{{mac("0a:00:27:00:00:01"), Action::deny}}));
}

TEST(CentralEbconfig, ProtocolForms) {
  auto rules = ip_rules_of(
      ip_rules(R"({"proto": 6}, {"proto": "17"}, {"proto": "TCP"}, {"proto": "any"},)"
               R"({"proto": 0}, {"proto": 255}, {"proto": "Sctp"}, {"proto": "gre"})"));
  std::vector<Protocol> protos;
  for (const auto& rule : rules) protos.push_back(rule.proto);
  EXPECT_EQ(protos, (std::vector<Protocol>{proto(6), proto(17), proto(6), Protocol{}, proto(0),
                                           proto(255), proto(132), proto(47)}));
  EXPECT_TRUE(proto(6).has_ports() && proto(17).has_ports() && proto(33).has_ports() &&
              proto(132).has_ports());
  EXPECT_FALSE(Protocol{}.has_ports() || proto(1).has_ports() || proto(47).has_ports());
}

TEST(CentralEbconfig, PrefixForms) {
  auto rules = ip_rules_of(ip_rules(
      R"({"proto": "tcp", "src-ip": "10.1.0.0/255.255.0.0", "dst-ip": "192.0.2.7"},)"
      R"({"proto": "tcp", "src-ip": "0.0.0.0/0.0.0.0", "dst-ip": "198.51.100.0/24"})"));
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].src, prefix("10.1.0.0", 16));
  EXPECT_EQ(rules[0].dst, prefix("192.0.2.7", 32));
  EXPECT_EQ(rules[1].src, prefix("0.0.0.0", 0));
  EXPECT_EQ(rules[1].dst, prefix("198.51.100.0", 24));
}

// ebtables cleared the bits past the length; so do we, but say so.
TEST(CentralEbconfig, HostBitsAreClearedWithAWarning) {
  std::string text = ip_rules(
      R"({"proto": "tcp", "src-ip": "10.1.2.3/16"},)"
      R"({"proto": "tcp", "dst-ip": "10.1.2.3/255.0.0.0"})");
  auto result = parse(text);
  auto rules = test::value_of(result, text).vlans.at(0).ip->rules;
  EXPECT_EQ(rules.at(0).src, prefix("10.1.0.0", 16));
  EXPECT_EQ(rules.at(1).dst, prefix("10.0.0.0", 8));
  EXPECT_EQ(test::warnings_of(result, text),
            "[0].ip-filter.rules[0].src-ip: \"10.1.2.3/16\" has bits set past its length; it "
            "matches 10.1.0.0/16\n"
            "[0].ip-filter.rules[1].dst-ip: \"10.1.2.3/255.0.0.0\" has bits set past its "
            "length; it matches 10.0.0.0/8");
}

TEST(CentralEbconfig, PortForms) {
  auto rules = ip_rules_of(ip_rules(
      R"({"proto": "tcp", "src-port": 80, "dst-port": "443"},)"
      R"({"proto": "udp", "src-port": "1024:", "dst-port": ":1023"},)"
      R"({"proto": "dccp", "src-port": "1000:2000", "dst-port": "any"},)"
      R"({"proto": "sctp", "src-port": "0:65535", "dst-port": "7:7"},)"
      R"({"proto": "icmp", "src-port": "any", "dst-port": "any"})"));
  std::vector<std::pair<PortRange, PortRange>> ports;
  for (const auto& rule : rules) ports.emplace_back(rule.src_port, rule.dst_port);
  EXPECT_EQ(ports, (std::vector<std::pair<PortRange, PortRange>>{
                       {{80, 80}, {443, 443}},
                       {{1024, 65535}, {0, 1023}},
                       {{1000, 2000}, {0, 65535}},
                       {{0, 65535}, {7, 7}},
                       {{0, 65535}, {0, 65535}}}));
}

TEST(CentralEbconfig, UnknownKeysAreWarnedAboutAndIgnored) {
  std::string_view text = R"([{"vlan": 10, "note": "lab", "ip-filter": {"default": "deny",
      "rules": [{"proto": "tcp", "src_ip": "10.0.0.1"}], "log": true}}, {"comment": "none"}])";
  auto result = parse(text);
  EXPECT_EQ(test::value_of(result, text).vlans.at(0).ip->rules.at(0).src, prefix("0.0.0.0", 0));
  EXPECT_EQ(test::warnings_of(result, text),
            "[0]: unknown key \"note\" ignored (known here: vlan, ip-filter, mac-filter)\n"
            "[0].ip-filter: unknown key \"log\" ignored (known here: default, rules)\n"
            "[0].ip-filter.rules[0]: unknown key \"src_ip\" ignored (known here: proto, src-ip, "
            "src-port, dst-ip, dst-port, action)\n"
            "[1]: unknown key \"comment\" ignored (known here: vlan, ip-filter, mac-filter)");
}

// First match wins: a MAC named again can never decide; kept, so rule
// numbers (and their counters) match the file.
TEST(CentralEbconfig, RepeatedMacIsWarnedAbout) {
  std::string text = mac_rules(R"({"mac": "0a:00:27:00:00:01", "action": "permit"},)"
                               R"({"mac": "0a:00:27:00:00:02"}, {"mac": "0A:00:27:00:00:01"})");
  auto result = parse(text);
  EXPECT_EQ(test::value_of(result, text).vlans.at(0).mac->rules.size(), 3u);
  EXPECT_EQ(test::warnings_of(result, text),
            "[0].mac-filter.rules[2].mac: 0a:00:27:00:00:01 is already "
            "[0].mac-filter.rules[0], so this rule never matches");
}

TEST(CentralEbconfig, InvalidJson) {
  test::expect_errors(parse, {
      {"[{\"vlan\": 10}", "top level: invalid JSON at byte 14: parse error at line 1, column 14: "
                          "syntax error while parsing array - unexpected end of input; expected "
                          "']'"},
      {"[{'vlan': 10}]", "top level: invalid JSON at byte 3: parse error at line 1, column 3: "
                         "syntax error while parsing object key - invalid literal; last read: "
                         "'[{''; expected string literal"},
  });
}

TEST(CentralEbconfig, Entries) {
  test::expect_errors(parse, {
      {R"({"vlan": 10})", "top level: expected an array, found an object"},
      {"[10]", "[0]: expected an object, found 10"},
      {R"([{"vlan": "10"}])", "[0].vlan: expected a VLAN ID (an integer 1..4094), found \"10\""},
      {R"([{"vlan": 5000}])", "[0].vlan: 5000 is not a VLAN ID (1..4094)"},
      {R"([{"vlan": 10}, {}, {"vlan": 10}])", "[2].vlan: VLAN 10 is already [0]"},
      {R"([{"ip-filter": {"default": "deny", "rules": []}}])",
       "[0].vlan: required key is missing (only an entry without filters may leave it out)"},
      {R"([{"vlan": 10, "ip-filter": [], "mac-filter": "deny"}])",
       "[0].ip-filter: expected an object, found an array\n"
       "[0].mac-filter: expected an object, found \"deny\""},
  });
}

TEST(CentralEbconfig, Filters) {
  test::expect_errors(parse, {
      {R"([{"vlan": 10, "ip-filter": {"rules": []}}])",
       "[0].ip-filter.default: required key is missing"},
      {R"([{"vlan": 10, "mac-filter": {"default": "deny"}}])",
       "[0].mac-filter.rules: required key is missing (an empty list [] means no rules)"},
      {R"([{"vlan": 10, "ip-filter": {"default": "deny", "rules": {}}}])",
       "[0].ip-filter.rules: expected an array, found an object"},
      {R"([{"vlan": 10, "ip-filter": {"default": "deny", "rules": ["tcp"]}}])",
       "[0].ip-filter.rules[0]: expected an object, found \"tcp\""},
      {R"([{"vlan": 10, "ip-filter": {"default": "accept", "rules": []}}])",
       "[0].ip-filter.default: \"accept\" is not \"permit\" or \"deny\""},
      {R"([{"vlan": 10, "mac-filter": {"default": "Permit", "rules": []}}])",
       "[0].mac-filter.default: \"Permit\" is not \"permit\" or \"deny\""},
      {R"([{"vlan": 10, "mac-filter": {"default": false, "rules": []}}])",
       "[0].mac-filter.default: expected \"permit\" or \"deny\", found false"},
  });
}

TEST(CentralEbconfig, Protocols) {
  std::string at = "[0].ip-filter.rules[0].proto: ";
  std::string expected =
      " is not a protocol (expected \"any\", a number 0..255 or one of icmp, igmp, tcp, udp, "
      "dccp, gre, esp, ah, ospf, pim, vrrp, l2tp, sctp)";
  test::expect_errors(parse, {
      {ip_rules(R"({"src-ip": "10.0.0.1"})"), at + "required key is missing"},
      {ip_rules(R"({"proto": "ip"})"), at + "\"ip\"" + expected},
      {ip_rules(R"({"proto": "300"})"), at + "\"300\"" + expected},
      {ip_rules(R"({"proto": 256})"), at + "256 is not a protocol number (0..255)"},
      {ip_rules(R"({"proto": -1})"), at + "-1 is not a protocol number (0..255)"},
      {ip_rules(R"({"proto": true})"), at + "expected a protocol name or number, found true"},
      {ip_rules(R"({"proto": 6.0})"), at + "expected a protocol name or number, found 6.0"},
  });
}

TEST(CentralEbconfig, Addresses) {
  auto rule = [](std::string_view src) {
    return ip_rules(R"({"proto": "tcp", "src-ip": )" + std::string(src) + "}");
  };
  std::string expected = " is not an IPv4 address or prefix (expected a.b.c.d, a.b.c.d/n or "
                         "a.b.c.d/m.m.m.m)";
  test::expect_errors(parse, {
      {rule(R"("any")"), "[0].ip-filter.rules[0].src-ip: \"any\"" + expected},
      {rule(R"("")"), "[0].ip-filter.rules[0].src-ip: \"\"" + expected},
      {rule(R"("10.0.0.0/33")"), "[0].ip-filter.rules[0].src-ip: \"10.0.0.0/33\"" + expected},
      {rule(R"("10.0.0.0/")"), "[0].ip-filter.rules[0].src-ip: \"10.0.0.0/\"" + expected},
      {rule(R"("10.0.0.0/08")"), "[0].ip-filter.rules[0].src-ip: \"10.0.0.0/08\"" + expected},
      {rule(R"("010.0.0.1")"), "[0].ip-filter.rules[0].src-ip: \"010.0.0.1\"" + expected},
      {rule(R"("10.1")"), "[0].ip-filter.rules[0].src-ip: \"10.1\"" + expected},
      {rule(R"("10.0.0.0/255.0.0.256")"),
       "[0].ip-filter.rules[0].src-ip: \"10.0.0.0/255.0.0.256\"" + expected},
      {rule(R"("10.0.0.0/255.0.255.0")"),
       "[0].ip-filter.rules[0].src-ip: \"10.0.0.0/255.0.255.0\" has a netmask whose ones are "
       "not contiguous"},
      {rule("167772160"),
       "[0].ip-filter.rules[0].src-ip: expected an IPv4 address or prefix, found 167772160"},
      {ip_rules(R"({"proto": "tcp", "dst-ip": null})"),
       "[0].ip-filter.rules[0].dst-ip: expected an IPv4 address or prefix, found null"},
  });
}

TEST(CentralEbconfig, Ports) {
  auto rule = [](std::string_view dst_port) {
    return ip_rules(R"({"proto": "tcp"}, {"proto": "udp"}, {"proto": "tcp"}, )"
                    R"({"proto": "tcp", "dst-port": )" +
                    std::string(dst_port) + "}");
  };
  std::string at = "[0].ip-filter.rules[3].dst-port: ";
  std::string expected = " is not a port, a range \"first:last\" or \"any\"";
  test::expect_errors(parse, {
      {rule(R"("80:20")"), at + "\"80:20\" is an empty range"},
      {rule("70000"), at + "70000 is not a port (0..65535)"},
      {rule("-1"), at + "-1 is not a port (0..65535)"},
      {rule(R"("70000")"), at + "\"70000\"" + expected},
      {rule(R"("http")"), at + "\"http\"" + expected},
      {rule(R"(":")"), at + "\":\"" + expected},
      {rule(R"("")"), at + "\"\"" + expected},
      {rule(R"("80-90")"), at + "\"80-90\"" + expected},
      {rule(R"("+80")"), at + "\"+80\"" + expected},
      {rule(R"(" 80")"), at + "\" 80\"" + expected},
      {rule(R"("1:2:3")"), at + "\"1:2:3\"" + expected},
      {rule(R"("ANY")"), at + "\"ANY\"" + expected},
      {rule("80.5"), at + "expected a port, a range \"first:last\" or \"any\", found 80.5"},
      {rule("[80]"), at + "expected a port, a range \"first:last\" or \"any\", found an array"},
  });
}

// ebtables refused port matches for protocols without ports.
TEST(CentralEbconfig, PortsNeedAProtocolWithPorts) {
  test::expect_errors(parse, {
      {ip_rules(R"({"proto": "icmp", "dst-port": 80})"),
       "[0].ip-filter.rules[0].dst-port: a port needs proto tcp, udp, dccp or sctp, not "
       "\"icmp\""},
      {ip_rules(R"({"proto": "any", "src-port": "0:65535"})"),
       "[0].ip-filter.rules[0].src-port: a port needs proto tcp, udp, dccp or sctp, not "
       "\"any\""},
      {ip_rules(R"({"proto": 47, "src-port": "1024:", "dst-port": "1:2"})"),
       "[0].ip-filter.rules[0].src-port: a port needs proto tcp, udp, dccp or sctp, not 47\n"
       "[0].ip-filter.rules[0].dst-port: a port needs proto tcp, udp, dccp or sctp, not 47"},
  });
}

TEST(CentralEbconfig, Actions) {
  test::expect_errors(parse, {
      {ip_rules(R"({"proto": "tcp", "action": "drop"})"),
       "[0].ip-filter.rules[0].action: \"drop\" is not \"permit\" or \"deny\""},
      {mac_rules(R"({"mac": "0a:00:27:00:00:01", "action": "DENY"})"),
       "[0].mac-filter.rules[0].action: \"DENY\" is not \"permit\" or \"deny\""},
      {mac_rules(R"({"mac": "0a:00:27:00:00:01", "action": null})"),
       "[0].mac-filter.rules[0].action: expected \"permit\" or \"deny\", found null"},
  });
}

TEST(CentralEbconfig, Macs) {
  std::string expected = " is not a MAC address (expected the form 0a:1b:2c:3d:4e:5f)";
  test::expect_errors(parse, {
      {mac_rules(R"({"action": "permit"})"),
       "[0].mac-filter.rules[0].mac: required key is missing"},
      {mac_rules(R"({"mac": "0a:00:27:00:00"})"),
       "[0].mac-filter.rules[0].mac: \"0a:00:27:00:00\"" + expected},
      {mac_rules(R"({"mac": "0a-00-27-00-00-01"})"),
       "[0].mac-filter.rules[0].mac: \"0a-00-27-00-00-01\"" + expected},
      {mac_rules(R"({"mac": "a:0:27:0:0:1"})"),
       "[0].mac-filter.rules[0].mac: \"a:0:27:0:0:1\"" + expected},
      {mac_rules(R"({"mac": "0a:00:27:00:00:01/ff:ff:ff:00:00:00"})"),
       "[0].mac-filter.rules[0].mac: \"0a:00:27:00:00:01/ff:ff:ff:00:00:00\"" + expected},
      {mac_rules(R"({"mac": 1})"), "[0].mac-filter.rules[0].mac: expected a MAC address, found 1"},
  });
}

// Every problem at once, in file order.
TEST(CentralEbconfig, EveryProblemIsReported) {
  test::expect_errors(parse, {
      {R"([{"vlan": 0, "ip-filter": {"default": "drop", "rules": [{"proto": "tcp",
           "dst-port": "80:20"}]}, "mac-filter": {"default": "deny", "rules": [{"mac": "x"}]}}])",
       "[0].vlan: 0 is not a VLAN ID (1..4094)\n"
       "[0].ip-filter.default: \"drop\" is not \"permit\" or \"deny\"\n"
       "[0].ip-filter.rules[0].dst-port: \"80:20\" is an empty range\n"
       "[0].mac-filter.rules[0].mac: \"x\" is not a MAC address (expected the form "
       "0a:1b:2c:3d:4e:5f)"},
  });
}

}  // namespace
}  // namespace nwbpf::central
