// SPDX-License-Identifier: Apache-2.0
// The compiled image, walked as maps/acl.h says BPF walks it (tuple space,
// lowest rule wins, early stop by first_rule), decides every frame as the
// ebconfig read rule by rule does: same counter, same action. Random rule
// sets over small value pools, so rules overlap, shadow and share shapes.
#include <gtest/gtest.h>

#include <random>

#include "maps_acl_test_support.h"

namespace nwbpf {
namespace {

using central::Action;
using central::Ebconfig;
using central::PortRange;
using test::Frame;
using test::Verdict;

constexpr uint8_t kProtocols[] = {6, 17, 1, 132, 47};
constexpr uint16_t kVlans[] = {10, 20, 30};
constexpr const char* kAddresses[] = {"10.0.0.1", "10.0.0.2", "10.0.1.7", "192.168.3.4",
                                      "172.16.0.1"};
constexpr const char* kMacs[] = {"02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  Ebconfig config() {
    Ebconfig config;
    for (uint16_t vlan : kVlans) {
      if (pick(4) == 0) continue;  // not in the file
      central::VlanFilters filters{vlan, std::nullopt, std::nullopt};
      if (pick(4) != 0) filters.ip = ip_filter();
      if (pick(3) != 0) filters.mac = mac_filter();
      config.vlans.push_back(std::move(filters));
    }
    std::shuffle(config.vlans.begin(), config.vlans.end(), rng_);
    return config;
  }

  Frame frame() {
    Frame f;
    f.vlan = kVlans[pick(std::size(kVlans))];
    f.src_mac = *Mac::parse(kMacs[pick(std::size(kMacs))]);
    f.ipv4 = pick(5) != 0;
    f.proto = kProtocols[pick(std::size(kProtocols))];
    f.src = address();
    f.dst = address();
    f.sport = port();
    f.dport = port();
    f.first_fragment = pick(8) != 0;
    return f;
  }

 private:
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  // Near the pool's addresses, so prefixes of every length both match and miss.
  Ipv4 address() {
    uint32_t a = ntohl(Ipv4::parse(kAddresses[pick(std::size(kAddresses))])->be);
    return Ipv4{htonl(a ^ (pick(3) == 0 ? 1u << pick(32) : 0u))};
  }

  uint16_t port() {
    switch (pick(4)) {
      case 0: return static_cast<uint16_t>(pick(0x10000));
      case 1: return static_cast<uint16_t>(1020 + pick(10));
      default: return static_cast<uint16_t>(pick(100));
    }
  }

  PortRange port_range() {
    uint16_t p = port();
    switch (pick(6)) {
      case 0: return {};
      case 1: return {p, p};
      case 2: return {static_cast<uint16_t>(1020 + pick(5)), 65535};
      case 3: return {0, 1023};
      default: return {p, static_cast<uint16_t>(std::min<size_t>(65535, p + 1 + pick(8)))};
    }
  }

  bgp::Prefix4 prefix() {
    constexpr uint8_t kLengths[] = {0, 16, 24, 31, 32};
    uint8_t length = kLengths[pick(std::size(kLengths))];
    uint32_t mask = length ? ~0u << (32 - length) : 0;
    return {Ipv4{htonl(ntohl(address().be) & mask)}, length};
  }

  Action action() { return pick(2) ? Action::permit : Action::deny; }

  central::IpFilter ip_filter() {
    central::IpFilter filter{action(), {}};
    for (size_t n = pick(16); n > 0; --n) {
      central::IpRule rule;
      if (pick(4) != 0) rule.proto.number = kProtocols[pick(std::size(kProtocols))];
      rule.src = pick(2) ? prefix() : bgp::Prefix4{};
      rule.dst = pick(3) ? prefix() : bgp::Prefix4{};
      if (rule.proto.has_ports()) {  // the parser's rule
        rule.src_port = pick(5) ? PortRange{} : port_range();
        rule.dst_port = port_range();
      }
      rule.action = action();
      filter.rules.push_back(rule);
      if (pick(6) == 0) filter.rules.push_back(filter.rules[pick(filter.rules.size())]);
    }
    return filter;
  }

  central::MacFilter mac_filter() {
    central::MacFilter filter{action(), {}};
    for (size_t n = pick(5); n > 0; --n)
      filter.rules.push_back({*Mac::parse(kMacs[pick(std::size(kMacs))]), action()});
    return filter;
  }

  std::mt19937 rng_;
};

std::string text(const std::optional<Verdict>& v) {
  return v ? "rule " + std::to_string(v->rule) + " " + test::action_text(v->action) : "pass";
}

TEST(AclReference, TupleSpaceWalkAgreesWithFirstMatch) {
  Generator gen(20261122);
  size_t decided = 0, by_rule = 0, refused = 0;
  for (int set = 0; set < 300; ++set) {
    Ebconfig config = gen.config();
    auto result = compile_acl(config);
    if (!result) {  // wide port ranges on both sides can pass 64 shapes
      ASSERT_TRUE(result.error().problems.at(0).ends_with("the data plane handles 64"));
      ++refused;
      continue;
    }
    const AclCompiled& acl = result.value();
    for (int i = 0; i < 400; ++i) {
      Frame f = gen.frame();
      auto expected = test::linear_verdict(config, f);
      auto got = test::tuple_space_verdict(acl.image, f);
      ASSERT_EQ(text(got), text(expected))
          << "set " << set << " frame " << i << ": vlan " << f.vlan << " ipv4 " << f.ipv4
          << " proto " << int(f.proto) << " " << f.src.str() << ":" << f.sport << " -> "
          << f.dst.str() << ":" << f.dport << " first fragment " << f.first_fragment;
      if (!expected) continue;
      ++decided;
      // The counter's index names the rule that decided, with its action.
      const AclRuleRef& ref = acl.rules.at(expected->rule);
      EXPECT_EQ(ref.vlan, f.vlan);
      EXPECT_EQ(test::action_value(ref.action), expected->action);
      by_rule += ref.position.has_value();
    }
  }
  // The pools are small enough that rules, not only defaults, decide often.
  EXPECT_GT(decided, 50000u);
  EXPECT_GT(by_rule, 10000u);
  EXPECT_LT(refused, 30u);
}

}  // namespace
}  // namespace nwbpf
