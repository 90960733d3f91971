// SPDX-License-Identifier: Apache-2.0
#include "dataplane/acl_compile.h"

#include <arpa/inet.h>

#include <map>
#include <set>
#include <tuple>

#include "central/ebconfig_values.h"

namespace nwbpf {

using central::Action;
using central::Ebconfig;
using central::IpRule;
using central::VlanFilters;

namespace {

// A rule set is written beside the one in force (the generation swap of
// maps/acl.h), so one set may fill only half of the shared hashes.
constexpr size_t kMaxIpKeys = NWBPF_ACL_MAX_IP_KEYS / 2;
// A MAC entry is a rule with an index of its own, so the index limit holds
// the MACs within their share too.
static_assert(NWBPF_ACL_MAX_RULES <= NWBPF_ACL_MAX_MACS / 2);
// VLAN IDs are 1..4094 (the parser's rule): every VLAN of both generations fits.
static_assert(2 * 4094 <= NWBPF_ACL_MAX_VLANS);

__be32 prefix_mask(uint8_t length) { return htonl(length ? ~0u << (32 - length) : 0u); }

uint8_t action_value(Action action) {
  return action == Action::permit ? NWBPF_ACL_PERMIT : NWBPF_ACL_DENY;
}

nwbpf_acl_hit hit_of(uint32_t index, Action action) {
  nwbpf_acl_hit hit{};
  hit.rule = index;
  hit.action = action_value(action);
  return hit;
}

// One VLAN's ip rules as shapes and acl_ip entries. Rules come in index
// order, so a shape is created by its lowest rule: shapes come out sorted
// by first_rule, as the BPF walk's early stop needs.
class IpFilterCompiler {
 public:
  IpFilterCompiler(uint16_t vlan, AclImage& image) : vlan_(vlan), image_(image) {}

  void add(const IpRule& rule, uint32_t index) {
    nwbpf_acl_shape masks{};
    masks.proto_mask = rule.proto.number ? 0xff : 0;
    masks.src_mask = prefix_mask(rule.src.length);
    masks.dst_mask = prefix_mask(rule.dst.length);
    nwbpf_acl_ip_key key{};
    key.vlan = vlan_;
    key.src = rule.src.address.be & masks.src_mask;
    key.dst = rule.dst.address.be & masks.dst_mask;
    key.proto = rule.proto.number.value_or(0);
    const nwbpf_acl_hit hit = hit_of(index, rule.action);
    // A range is a union of blocks, so the rule is the union of the
    // products of its source and destination blocks.
    for (const PortBlock& sport : port_blocks(rule.src_port)) {
      for (const PortBlock& dport : port_blocks(rule.dst_port)) {
        masks.sport_mask = sport.mask;
        masks.dport_mask = dport.mask;
        size_t shape = shape_of(masks, index);
        key.shape = static_cast<uint8_t>(shape);  // past the limit only when refused
        key.sport = sport.value;
        key.dport = dport.value;
        // An earlier rule with this very key wins every frame it would take.
        if (keys_.emplace(shape, key.src, key.dst, key.sport, key.dport, key.proto).second)
          image_.ip.emplace_back(key, hit);
      }
    }
  }

  const std::vector<nwbpf_acl_shape>& shapes() const { return shapes_; }

 private:
  using Masks = std::tuple<uint8_t, __be32, __be32, uint16_t, uint16_t>;

  size_t shape_of(nwbpf_acl_shape masks, uint32_t index) {
    Masks id{masks.proto_mask, masks.src_mask, masks.dst_mask, masks.sport_mask,
             masks.dport_mask};
    auto [it, added] = index_.emplace(id, shapes_.size());
    if (added) {
      masks.first_rule = index;
      shapes_.push_back(masks);
    }
    return it->second;
  }

  uint16_t vlan_;
  AclImage& image_;
  std::vector<nwbpf_acl_shape> shapes_;
  std::map<Masks, size_t> index_;
  std::set<std::tuple<size_t, __be32, __be32, uint16_t, uint16_t, uint8_t>> keys_;
};

// Builds the image VLAN after VLAN, noting every limit passed.
class Compiler {
 public:
  void add(const VlanFilters& filters) {
    nwbpf_acl_vlan value{};
    if (filters.ip) add_ip(filters.vlan, *filters.ip, value);
    if (filters.mac) add_mac(filters.vlan, *filters.mac, value);
    if (!value.flags) return;  // no entry: the VLAN passes everything, as intended
    note_totals(filters.vlan);
    nwbpf_acl_vlan_key key{};
    key.vlan = filters.vlan;
    image_.vlans.emplace_back(key, value);
  }

  central::Result<AclCompiled> finish() {
    if (rules_past_)
      problems_.push_back("rules and defaults need " + std::to_string(refs_.size()) +
                          " indexes; the data plane handles " +
                          std::to_string(NWBPF_ACL_MAX_RULES) + " (exceeded at VLAN " +
                          std::to_string(*rules_past_) + ")");
    if (ips_past_)
      problems_.push_back("ip-filter rules need " + std::to_string(image_.ip.size()) +
                          " entries (port ranges split into aligned blocks); the data plane "
                          "handles " +
                          std::to_string(kMaxIpKeys) + " per rule set (exceeded at VLAN " +
                          std::to_string(*ips_past_) + ")");
    if (!problems_.empty()) return central::Error{std::move(problems_)};
    image_.rule_count = static_cast<uint32_t>(refs_.size());
    return AclCompiled{std::move(image_), std::move(refs_)};
  }

 private:
  uint32_t next_index() const { return static_cast<uint32_t>(refs_.size()); }

  void add_ip(uint16_t vlan, const central::IpFilter& filter, nwbpf_acl_vlan& value) {
    IpFilterCompiler shapes(vlan, image_);
    for (uint32_t i = 0; i < filter.rules.size(); ++i) {
      const IpRule& rule = filter.rules[i];
      shapes.add(rule, next_index());
      AclRuleRef& ref = refs_.emplace_back(ref_of(vlan, AclFilterKind::ip, i, rule.action));
      ref.proto = describe(rule.proto);
      ref.src = describe(rule.src);
      ref.sport = describe(rule.src_port);
      ref.dst = describe(rule.dst);
      ref.dport = describe(rule.dst_port);
    }
    value.flags |= NWBPF_ACL_HAS_IP;
    value.ip_default = action_value(filter.default_action);
    value.ip_default_rule = next_index();
    refs_.push_back(ref_of(vlan, AclFilterKind::ip, std::nullopt, filter.default_action));

    const auto& found = shapes.shapes();
    if (found.size() > NWBPF_ACL_MAX_SHAPES) {
      problems_.push_back("VLAN " + std::to_string(vlan) + " needs " +
                          std::to_string(found.size()) + " rule shapes; the data plane handles " +
                          std::to_string(NWBPF_ACL_MAX_SHAPES));
      return;
    }
    std::copy(found.begin(), found.end(), value.shapes);
    value.shape_count = static_cast<uint8_t>(found.size());
  }

  void add_mac(uint16_t vlan, const central::MacFilter& filter, nwbpf_acl_vlan& value) {
    std::set<Mac> seen;
    for (uint32_t i = 0; i < filter.rules.size(); ++i) {
      const central::MacRule& rule = filter.rules[i];
      // A MAC named again never matches there (the parser warned): first wins.
      if (seen.insert(rule.mac).second) {
        nwbpf_acl_mac_key key{};
        key.vlan = vlan;
        std::copy(rule.mac.bytes.begin(), rule.mac.bytes.end(), key.mac);
        image_.mac.emplace_back(key, hit_of(next_index(), rule.action));
      }
      refs_.emplace_back(ref_of(vlan, AclFilterKind::mac, i, rule.action)).mac = rule.mac.str();
    }
    value.flags |= NWBPF_ACL_HAS_MAC;
    value.mac_default = action_value(filter.default_action);
    value.mac_default_rule = next_index();
    refs_.push_back(ref_of(vlan, AclFilterKind::mac, std::nullopt, filter.default_action));
  }

  static AclRuleRef ref_of(uint16_t vlan, AclFilterKind filter, std::optional<uint32_t> position,
                           Action action) {
    AclRuleRef ref;
    ref.vlan = vlan;
    ref.filter = filter;
    ref.position = position;
    ref.action = action;
    return ref;
  }

  // Which VLAN first took each total past its limit.
  void note_totals(uint16_t vlan) {
    if (!rules_past_ && refs_.size() > NWBPF_ACL_MAX_RULES) rules_past_ = vlan;
    if (!ips_past_ && image_.ip.size() > kMaxIpKeys) ips_past_ = vlan;
  }

  AclImage image_;
  std::vector<AclRuleRef> refs_;
  std::vector<std::string> problems_;
  std::optional<uint16_t> rules_past_, ips_past_;
};

}  // namespace

central::Result<AclCompiled> compile_acl(const Ebconfig& config) {
  Compiler compiler;
  for (const VlanFilters& filters : config.vlans) compiler.add(filters);
  return compiler.finish();
}

std::vector<PortBlock> port_blocks(central::PortRange range) {
  std::vector<PortBlock> blocks;
  // 32-bit arithmetic: the last block of a range ending at 65535 steps past it.
  for (uint32_t port = range.first; port <= range.last;) {
    // The largest block aligned at `port` (port 0 is aligned to anything)...
    uint32_t size = port ? port & -port : 0x10000;
    // ...that does not run past the range.
    while (port + size - 1 > range.last) size /= 2;
    blocks.push_back({static_cast<uint16_t>(port), static_cast<uint16_t>(~(size - 1))});
    port += size;
  }
  return blocks;
}

std::string describe(const central::Protocol& proto) {
  if (!proto.number) return "any";
  if (auto name = central::protocol_name(*proto.number)) return std::string(*name);
  return std::to_string(*proto.number);
}

std::string describe(const bgp::Prefix4& prefix) {
  return prefix.address.str() + "/" + std::to_string(prefix.length);
}

std::string describe(const central::PortRange& range) {
  if (range == central::PortRange{}) return "any";
  if (range.first == range.last) return std::to_string(range.first);
  return std::to_string(range.first) + ":" + std::to_string(range.last);
}

const char* describe(Action action) { return action == Action::permit ? "permit" : "deny"; }

}  // namespace nwbpf
