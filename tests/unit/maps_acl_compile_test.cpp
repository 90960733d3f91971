// SPDX-License-Identifier: Apache-2.0
// compile_acl (agent/dataplane/acl_compile.h): the exact image of the
// seed's ebconfig, port ranges as blocks, shadowed keys, rule indexes and
// every limit's error text.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <tuple>

#include "central_test_support.h"
#include "maps_acl_test_support.h"

namespace nwbpf {
namespace {

using central::Action;
using central::Ebconfig;
using central::IpFilter;
using central::MacFilter;
using central::PortRange;
using central::VlanFilters;
using test::ip_rule;
using test::prefix;

constexpr uint8_t kTcp = 6, kUdp = 17;
const bgp::Prefix4 kAny{};

AclCompiled compiled(const Ebconfig& config) {
  auto result = compile_acl(config);
  if (result) return std::move(result).value();
  ADD_FAILURE() << central::test::lines(result.error().problems);
  return {};
}

std::string errors(const Ebconfig& config) {
  auto result = compile_acl(config);
  if (!result) return central::test::lines(result.error().problems);
  ADD_FAILURE() << "compiled";
  return {};
}

Mac mac(const char* text) { return *Mac::parse(text); }

AclRuleRef default_ref(uint16_t vlan, AclFilterKind filter, Action action) {
  AclRuleRef ref;
  ref.vlan = vlan;
  ref.filter = filter;
  ref.action = action;
  return ref;
}

// fields: proto, src, sport, dst, dport.
AclRuleRef ip_ref(uint16_t vlan, uint32_t position, Action action,
                  const std::array<std::string, 5>& fields) {
  AclRuleRef ref = default_ref(vlan, AclFilterKind::ip, action);
  ref.position = position;
  std::tie(ref.proto, ref.src, ref.sport, ref.dst, ref.dport) =
      std::tie(fields[0], fields[1], fields[2], fields[3], fields[4]);
  return ref;
}

AclRuleRef mac_ref(uint16_t vlan, uint32_t position, Action action, const char* mac) {
  AclRuleRef ref = default_ref(vlan, AclFilterKind::mac, action);
  ref.position = position;
  ref.mac = mac;
  return ref;
}

TEST(AclCompile, SeedExample) {
  std::string text = central::test::source_file("config/nante-wan/docker_ebconfig_example.json");
  auto parsed = central::parse_ebconfig(text);
  ASSERT_TRUE(parsed);
  AclCompiled acl = compiled(parsed.value().value);

  EXPECT_EQ(acl.image.rule_count, 8u);
  EXPECT_EQ(test::vlan_lines(acl.image),
            (std::vector<std::string>{
                "vlan 10 gen 0 flags ip,mac ip default permit (3) mac default deny (7) shapes 3",
                "  shape 0 proto ff src 0.0.0.0 dst 255.255.255.255 sport 0000 dport 0000 first 0",
                "  shape 1 proto ff src 255.255.255.255 dst 255.255.255.255 sport 0000 dport 0000 "
                "first 1",
                "  shape 2 proto ff src 255.255.255.252 dst 255.255.0.0 sport 0000 dport ffff "
                "first 2",
            }));
  EXPECT_EQ(test::ip_lines(acl.image),
            (std::vector<std::string>{
                "vlan 10 gen 0 shape 0 proto 6 0.0.0.0:0 -> 10.0.0.1:0 = rule 0 deny",
                "vlan 10 gen 0 shape 1 proto 6 1.1.1.1:0 -> 2.2.2.2:0 = rule 1 deny",
                "vlan 10 gen 0 shape 2 proto 17 0.0.0.0:0 -> 192.168.0.0:80 = rule 2 permit",
            }));
  EXPECT_EQ(test::mac_lines(acl.image), (std::vector<std::string>{
                                            "vlan 10 gen 0 0a:00:27:00:00:01 = rule 4 permit",
                                            "vlan 10 gen 0 0a:00:27:00:00:02 = rule 5 permit",
                                            "vlan 10 gen 0 0a:00:27:00:00:03 = rule 6 permit",
                                        }));
  EXPECT_EQ(acl.rules,
            (std::vector<AclRuleRef>{
                ip_ref(10, 0, Action::deny, {"tcp", "0.0.0.0/0", "any", "10.0.0.1/32", "any"}),
                ip_ref(10, 1, Action::deny, {"tcp", "1.1.1.1/32", "any", "2.2.2.2/32", "any"}),
                ip_ref(10, 2, Action::permit, {"udp", "0.0.0.0/30", "any", "192.168.0.0/16", "80"}),
                default_ref(10, AclFilterKind::ip, Action::permit),
                mac_ref(10, 0, Action::permit, "0a:00:27:00:00:01"),
                mac_ref(10, 1, Action::permit, "0a:00:27:00:00:02"),
                mac_ref(10, 2, Action::permit, "0a:00:27:00:00:03"),
                default_ref(10, AclFilterKind::mac, Action::deny),
            }));
}

// BPF hashes compare keys byte for byte: padding must be zero.
TEST(AclCompile, KeyPaddingIsZero) {
  Ebconfig config{{{7,
                    IpFilter{Action::deny,
                             {ip_rule(kTcp, prefix("10.0.0.0", 8), {1, 2}, kAny, {}, Action::permit)}},
                    MacFilter{Action::permit, {{mac("02:00:00:00:00:01"), Action::deny}}}}}};
  AclCompiled acl = compiled(config);
  ASSERT_EQ(acl.image.ip.size(), 2u);
  for (const auto& [key, hit] : acl.image.ip) {
    EXPECT_EQ(key.gen, 0);
    EXPECT_EQ(std::memcmp(key.pad, "\0\0\0", 3), 0);
    EXPECT_EQ(std::memcmp(hit.pad, "\0\0\0", 3), 0);
  }
  ASSERT_EQ(acl.image.mac.size(), 1u);
  EXPECT_EQ(acl.image.mac[0].first.pad, 0);
  EXPECT_EQ(std::memcmp(acl.image.mac[0].first.pad2, "\0\0", 2), 0);
  const auto& [vkey, vlan] = acl.image.vlans.at(0);
  EXPECT_EQ(vkey.pad, 0);
  EXPECT_EQ(vlan.pad, 0u);
  EXPECT_EQ(std::memcmp(vlan.shapes[0].pad, "\0\0\0", 3), 0);
}

TEST(AclCompile, PortBlocks) {
  auto blocks = [](uint16_t first, uint16_t last) { return port_blocks({first, last}); };
  EXPECT_EQ(blocks(0, 65535), (std::vector<PortBlock>{{0, 0}}));
  EXPECT_EQ(blocks(80, 80), (std::vector<PortBlock>{{80, 0xffff}}));
  EXPECT_EQ(blocks(0, 0), (std::vector<PortBlock>{{0, 0xffff}}));
  EXPECT_EQ(blocks(65535, 65535), (std::vector<PortBlock>{{65535, 0xffff}}));
  EXPECT_EQ(blocks(22, 23), (std::vector<PortBlock>{{22, 0xfffe}}));
  EXPECT_EQ(blocks(23, 24), (std::vector<PortBlock>{{23, 0xffff}, {24, 0xffff}}));
  EXPECT_EQ(blocks(1024, 65535),
            (std::vector<PortBlock>{{1024, 0xfc00}, {2048, 0xf800}, {4096, 0xf000},
                                    {8192, 0xe000}, {16384, 0xc000}, {32768, 0x8000}}));
  EXPECT_EQ(blocks(0, 1023), (std::vector<PortBlock>{{0, 0xfc00}}));
  std::vector<PortBlock> up{};
  for (uint32_t size = 1; size < 0x10000; size *= 2)
    up.push_back({static_cast<uint16_t>(size), static_cast<uint16_t>(~(size - 1))});
  EXPECT_EQ(blocks(1, 65535), up);  // 1, 2-3, 4-7, ..., 32768-65535
  EXPECT_EQ(blocks(1, 65534).size(), 30u);  // the worst case
  EXPECT_TRUE(blocks(2, 1).empty());        // empty (the parser refuses it)
}

// Every port is in exactly one block of the range when inside it, in none
// outside.
TEST(AclCompile, PortBlocksCoverExactlyTheRange) {
  for (PortRange range : {PortRange{1, 65535}, PortRange{1024, 65535}, PortRange{22, 23},
                          PortRange{1000, 2000}, PortRange{3, 65534}, PortRange{0, 0},
                          PortRange{0, 65535}, PortRange{12345, 54321}, PortRange{32767, 32768}}) {
    auto blocks = port_blocks(range);
    for (uint32_t port = 0; port < 0x10000; ++port) {
      int covering = 0;
      for (const PortBlock& b : blocks) covering += (port & b.mask) == b.value;
      ASSERT_EQ(covering, range.first <= port && port <= range.last ? 1 : 0)
          << "port " << port << " in " << range.first << ":" << range.last;
    }
    for (const PortBlock& b : blocks) EXPECT_EQ(b.value & ~b.mask & 0xffff, 0) << b.value;
  }
}

// A rule is the product of its source and destination blocks, each pair
// of masks a shape.
TEST(AclCompile, RangesMultiplyIntoShapes) {
  Ebconfig config{{{5,
                    IpFilter{Action::permit,
                             {ip_rule(kTcp, kAny, {22, 23}, prefix("10.1.0.0", 16), {79, 80},
                                      Action::deny)}},
                    std::nullopt}}};
  AclCompiled acl = compiled(config);
  EXPECT_EQ(test::vlan_lines(acl.image),
            (std::vector<std::string>{
                "vlan 5 gen 0 flags ip ip default permit (1) shapes 1",
                "  shape 0 proto ff src 0.0.0.0 dst 255.255.0.0 sport fffe dport ffff first 0",
            }));
  EXPECT_EQ(test::ip_lines(acl.image),
            (std::vector<std::string>{
                "vlan 5 gen 0 shape 0 proto 6 0.0.0.0:22 -> 10.1.0.0:79 = rule 0 deny",
                "vlan 5 gen 0 shape 0 proto 6 0.0.0.0:22 -> 10.1.0.0:80 = rule 0 deny",
            }));
  config.vlans[0].ip->rules[0].dst_port = {80, 83};
  config.vlans[0].ip->rules[0].src_port = {1023, 1024};
  EXPECT_EQ(test::ip_lines(compiled(config).image),
            (std::vector<std::string>{
                "vlan 5 gen 0 shape 0 proto 6 0.0.0.0:1023 -> 10.1.0.0:80 = rule 0 deny",
                "vlan 5 gen 0 shape 0 proto 6 0.0.0.0:1024 -> 10.1.0.0:80 = rule 0 deny",
            }));
}

// A later rule's key that an earlier rule already has is never reached.
TEST(AclCompile, ShadowedDuplicateKeysAreLeftOut) {
  auto rule = [](uint8_t proto, PortRange dport, Action action) {
    return ip_rule(proto, kAny, {}, prefix("10.0.0.0", 8), dport, action);
  };
  Ebconfig config{{{10,
                    IpFilter{Action::permit,
                             {rule(kTcp, {80, 81}, Action::deny), rule(kTcp, {80, 80}, Action::permit),
                              rule(kTcp, {78, 81}, Action::permit), rule(kUdp, {80, 81}, Action::permit)}},
                    std::nullopt}}};
  AclCompiled acl = compiled(config);
  EXPECT_EQ(test::vlan_lines(acl.image),
            (std::vector<std::string>{
                "vlan 10 gen 0 flags ip ip default permit (4) shapes 2",
                "  shape 0 proto ff src 0.0.0.0 dst 255.0.0.0 sport 0000 dport fffe first 0",
                "  shape 1 proto ff src 0.0.0.0 dst 255.0.0.0 sport 0000 dport ffff first 1",
            }));
  // Rule 2's 80:81 block is rule 0's key; its 78:79 block is its own. Rule
  // 1 has another shape, so it stays (the lookup prefers rule 0 anyway).
  EXPECT_EQ(test::ip_lines(acl.image),
            (std::vector<std::string>{
                "vlan 10 gen 0 shape 0 proto 6 0.0.0.0:0 -> 10.0.0.0:80 = rule 0 deny",
                "vlan 10 gen 0 shape 1 proto 6 0.0.0.0:0 -> 10.0.0.0:80 = rule 1 permit",
                "vlan 10 gen 0 shape 0 proto 6 0.0.0.0:0 -> 10.0.0.0:78 = rule 2 permit",
                "vlan 10 gen 0 shape 0 proto 17 0.0.0.0:0 -> 10.0.0.0:80 = rule 3 permit",
            }));
  // Every rule keeps its index, reached or not: counters match the file.
  EXPECT_EQ(acl.rules.size(), 5u);
  EXPECT_EQ(acl.rules[2].dport, "78:81");
}

TEST(AclCompile, ProtocolAnyIsItsOwnShape) {
  Ebconfig config{{{10,
                    IpFilter{Action::deny,
                             {ip_rule(std::nullopt, prefix("10.0.0.1", 32), {}, kAny, {}, Action::permit),
                              ip_rule(kUdp, prefix("10.0.0.1", 32), {}, kAny, {}, Action::deny),
                              ip_rule(std::nullopt, prefix("10.0.0.2", 32), {}, kAny, {}, Action::deny)}},
                    std::nullopt}}};
  AclCompiled acl = compiled(config);
  EXPECT_EQ(test::vlan_lines(acl.image),
            (std::vector<std::string>{
                "vlan 10 gen 0 flags ip ip default deny (3) shapes 2",
                "  shape 0 proto 00 src 255.255.255.255 dst 0.0.0.0 sport 0000 dport 0000 first 0",
                "  shape 1 proto ff src 255.255.255.255 dst 0.0.0.0 sport 0000 dport 0000 first 1",
            }));
  EXPECT_EQ(test::ip_lines(acl.image),
            (std::vector<std::string>{
                "vlan 10 gen 0 shape 0 proto 0 10.0.0.1:0 -> 0.0.0.0:0 = rule 0 permit",
                "vlan 10 gen 0 shape 1 proto 17 10.0.0.1:0 -> 0.0.0.0:0 = rule 1 deny",
                "vlan 10 gen 0 shape 0 proto 0 10.0.0.2:0 -> 0.0.0.0:0 = rule 2 deny",
            }));
  EXPECT_EQ(acl.rules[0].proto, "any");
}

TEST(AclCompile, DuplicateMacFirstWins) {
  Ebconfig config{{{10, std::nullopt,
                    MacFilter{Action::deny,
                              {{mac("02:00:00:00:00:01"), Action::permit},
                               {mac("02:00:00:00:00:02"), Action::deny},
                               {mac("02:00:00:00:00:01"), Action::deny}}}}}};
  AclCompiled acl = compiled(config);
  EXPECT_EQ(test::vlan_lines(acl.image),
            (std::vector<std::string>{"vlan 10 gen 0 flags mac mac default deny (3) shapes 0"}));
  EXPECT_EQ(test::mac_lines(acl.image), (std::vector<std::string>{
                                            "vlan 10 gen 0 02:00:00:00:00:01 = rule 0 permit",
                                            "vlan 10 gen 0 02:00:00:00:00:02 = rule 1 deny",
                                        }));
  ASSERT_EQ(acl.rules.size(), 4u);
  EXPECT_EQ(acl.rules[2].mac, "02:00:00:00:00:01");
}

// A filter written with [] rules has its default; one left out has none; a
// VLAN with neither gets no entry (everything passes).
TEST(AclCompile, FilterAbsentOrEmpty) {
  Ebconfig config{{{10, IpFilter{Action::deny, {}}, std::nullopt},
                   {11, std::nullopt, MacFilter{Action::deny, {}}},
                   {12, std::nullopt, std::nullopt},
                   {13, IpFilter{Action::permit, {}}, MacFilter{Action::deny, {}}}}};
  AclCompiled acl = compiled(config);
  EXPECT_EQ(test::vlan_lines(acl.image),
            (std::vector<std::string>{
                "vlan 10 gen 0 flags ip ip default deny (0) shapes 0",
                "vlan 11 gen 0 flags mac mac default deny (1) shapes 0",
                "vlan 13 gen 0 flags ip,mac ip default permit (2) mac default deny (3) shapes 0",
            }));
  EXPECT_TRUE(acl.image.ip.empty());
  EXPECT_TRUE(acl.image.mac.empty());
  EXPECT_EQ(acl.image.rule_count, 4u);
  EXPECT_EQ(acl.rules, (std::vector<AclRuleRef>{default_ref(10, AclFilterKind::ip, Action::deny),
                                                default_ref(11, AclFilterKind::mac, Action::deny),
                                                default_ref(13, AclFilterKind::ip, Action::permit),
                                                default_ref(13, AclFilterKind::mac, Action::deny)}));
  EXPECT_EQ(compiled(Ebconfig{}).image.rule_count, 0u);
}

// Indexes run VLAN after VLAN in file order, not by VLAN ID; each VLAN's
// shapes start from its own first rule.
TEST(AclCompile, VlanOrder) {
  auto filter = [](const char* dst) {
    return IpFilter{Action::permit, {ip_rule(kTcp, kAny, {}, prefix(dst, 32), {}, Action::deny)}};
  };
  Ebconfig config{{{20, filter("10.0.0.20"), MacFilter{Action::permit, {{mac("02:00:00:00:00:20"), Action::deny}}}},
                   {10, filter("10.0.0.10"), std::nullopt}}};
  AclCompiled acl = compiled(config);
  EXPECT_EQ(test::vlan_lines(acl.image),
            (std::vector<std::string>{
                "vlan 20 gen 0 flags ip,mac ip default permit (1) mac default permit (3) shapes 1",
                "  shape 0 proto ff src 0.0.0.0 dst 255.255.255.255 sport 0000 dport 0000 first 0",
                "vlan 10 gen 0 flags ip ip default permit (5) shapes 1",
                "  shape 0 proto ff src 0.0.0.0 dst 255.255.255.255 sport 0000 dport 0000 first 4",
            }));
  EXPECT_EQ(test::ip_lines(acl.image),
            (std::vector<std::string>{
                "vlan 20 gen 0 shape 0 proto 6 0.0.0.0:0 -> 10.0.0.20:0 = rule 0 deny",
                "vlan 10 gen 0 shape 0 proto 6 0.0.0.0:0 -> 10.0.0.10:0 = rule 4 deny",
            }));
  EXPECT_EQ(test::mac_lines(acl.image),
            (std::vector<std::string>{"vlan 20 gen 0 02:00:00:00:00:20 = rule 2 deny"}));
}

// Rule k has its own (source, destination) prefix lengths: k shapes.
IpFilter shapes_filter(size_t count) {
  IpFilter filter{Action::permit, {}};
  for (size_t k = 0; k < count; ++k)
    filter.rules.push_back(ip_rule(kTcp, prefix("0.0.0.0", static_cast<uint8_t>(k / 33)), {},
                                   prefix("0.0.0.0", static_cast<uint8_t>(k % 33)), {},
                                   Action::deny));
  return filter;
}

TEST(AclCompile, ShapeLimit) {
  AclCompiled acl = compiled(Ebconfig{{{10, shapes_filter(64), std::nullopt}}});
  EXPECT_EQ(acl.image.vlans.at(0).second.shape_count, 64);
  EXPECT_EQ(acl.image.vlans.at(0).second.shapes[63].first_rule, 63u);
  EXPECT_EQ(errors(Ebconfig{{{10, shapes_filter(70), std::nullopt},
                             {11, shapes_filter(3), std::nullopt},
                             {12, shapes_filter(65), std::nullopt}}}),
            "VLAN 10 needs 70 rule shapes; the data plane handles 64\n"
            "VLAN 12 needs 65 rule shapes; the data plane handles 64");
}

// `count` rules of one shape with distinct keys.
IpFilter many_rules(size_t count, PortRange dport = {}) {
  IpFilter filter{Action::permit, {}};
  for (uint32_t k = 0; k < count; ++k)
    filter.rules.push_back(ip_rule(kTcp, kAny, {}, bgp::Prefix4{Ipv4{htonl(0x0a000000 + k)}, 32},
                                   dport, Action::deny));
  return filter;
}

TEST(AclCompile, RuleIndexLimit) {
  // 16383 rules and their default: every index.
  Ebconfig config{{{10, many_rules(NWBPF_ACL_MAX_RULES - 1), std::nullopt}}};
  EXPECT_EQ(compiled(config).image.rule_count, uint32_t{NWBPF_ACL_MAX_RULES});
  config.vlans.push_back({20, std::nullopt, MacFilter{Action::deny, {}}});
  config.vlans.push_back({30, std::nullopt, MacFilter{Action::deny, {}}});
  EXPECT_EQ(errors(config),
            "rules and defaults need 16386 indexes; the data plane handles 16384 (exceeded at "
            "VLAN 20)");
}

TEST(AclCompile, IpEntryLimit) {
  // 1:65535 is 16 blocks: 8192 rules fill the 131072 entries of one rule set.
  Ebconfig config{{{10, many_rules(8000, {1, 65535}), std::nullopt},
                   {11, many_rules(192, {1, 65535}), std::nullopt}}};
  EXPECT_EQ(compiled(config).image.ip.size(), 131072u);
  config.vlans[1].ip->rules.push_back(config.vlans[1].ip->rules[0]);  // shadowed: no entry
  EXPECT_EQ(compiled(config).image.ip.size(), 131072u);
  config.vlans.push_back({12, many_rules(1, {80, 80}), std::nullopt});
  EXPECT_EQ(errors(config),
            "ip-filter rules need 131073 entries (port ranges split into aligned blocks); the "
            "data plane handles 131072 per rule set (exceeded at VLAN 12)");
}

TEST(AclCompile, EveryLimitAtOnce) {
  Ebconfig config{{{10, shapes_filter(65), std::nullopt},
                   {11, many_rules(8200, {1, 65535}), std::nullopt},
                   {12, many_rules(8200), std::nullopt}}};
  EXPECT_EQ(errors(config),
            "VLAN 10 needs 65 rule shapes; the data plane handles 64\n"
            "rules and defaults need 16468 indexes; the data plane handles 16384 (exceeded at "
            "VLAN 12)\n"
            "ip-filter rules need 139465 entries (port ranges split into aligned blocks); the "
            "data plane handles 131072 per rule set (exceeded at VLAN 11)");
}

TEST(AclCompile, Describe) {
  EXPECT_EQ(describe(central::Protocol{}), "any");
  EXPECT_EQ(describe(central::Protocol{132}), "sctp");
  EXPECT_EQ(describe(central::Protocol{6}), "tcp");
  EXPECT_EQ(describe(central::Protocol{0}), "0");  // no name: not "ip" (see ebconfig_values.cpp)
  EXPECT_EQ(describe(central::Protocol{253}), "253");
  EXPECT_EQ(describe(prefix("10.1.0.0", 16)), "10.1.0.0/16");
  EXPECT_EQ(describe(kAny), "0.0.0.0/0");
  EXPECT_EQ(describe(PortRange{}), "any");
  EXPECT_EQ(describe(PortRange{0, 0}), "0");
  EXPECT_EQ(describe(PortRange{1024, 65535}), "1024:65535");
  EXPECT_EQ(std::string(describe(Action::permit)), "permit");
  EXPECT_EQ(std::string(describe(Action::deny)), "deny");
}

}  // namespace
}  // namespace nwbpf
