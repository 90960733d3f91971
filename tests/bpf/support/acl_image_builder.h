// SPDX-License-Identifier: Apache-2.0
// ACL images (dataplane/acl_image.h) written by hand for BPF tests and the
// cost tool, without the ebconfig compiler: an ip rule is given as the
// (value, mask) blocks it matches (a port range as its aligned blocks), the
// builder groups keys by shape, sorts shapes by their lowest rule and
// numbers rules in the order they are added, defaults after them. Plus the
// AclMaps of a TestDatapath, for an AclTable over them.
#pragma once

#include <bpf/libbpf.h>

#include <cstdint>
#include <algorithm>
#include <arpa/inet.h>
#include <cstring>
#include <memory>
#include <optional>
#include <map>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "dataplane/acl_image.h"
#include "dataplane/acl_table.h"
#include "support/packet.h"
#include "support/test_datapath.h"

namespace nwbpf::test {

// One key of an ip rule: every field ANDed with its mask (addresses network
// order, ports host order; proto_mask 0xff: exact, 0: any).
struct AclIpBlock {
  uint32_t src = 0, src_mask = 0, dst = 0, dst_mask = 0;
  uint16_t sport = 0, sport_mask = 0, dport = 0, dport_mask = 0;
  uint8_t proto = 0, proto_mask = 0;
};

inline uint32_t prefix_mask(int len) { return len ? htonl(~0u << (32 - len)) : 0; }

class AclImageBuilder {
 public:
  // VLAN vid with an ip-filter and/or a mac-filter (their defaults).
  void vlan(uint16_t vid, std::optional<uint8_t> ip_default, std::optional<uint8_t> mac_default) {
    vlans_[vid] = {ip_default, mac_default, {}};
  }
  // An ip rule of vid matching any of blocks; its index.
  uint32_t ip_rule(uint16_t vid, const std::vector<AclIpBlock>& blocks, uint8_t action) {
    uint32_t rule = next_++;
    for (const auto& b : blocks) {
      auto& shapes = vlans_.at(vid).shapes;
      auto shape = std::tuple(b.src_mask, b.dst_mask, b.sport_mask, b.dport_mask, b.proto_mask);
      auto& keys = shapes[shape];
      nwbpf_acl_ip_key k{};
      k.vlan = vid;
      k.src = b.src & b.src_mask;
      k.dst = b.dst & b.dst_mask;
      k.sport = b.sport & b.sport_mask;
      k.dport = b.dport & b.dport_mask;
      k.proto = b.proto & b.proto_mask;
      bool seen = false;  // a key of an earlier rule keeps it (first match)
      for (auto& [have, hit] : keys) seen = seen || std::memcmp(&have, &k, sizeof(k)) == 0;
      if (!seen) keys.push_back({k, nwbpf_acl_hit{rule, action, {}}});
    }
    return rule;
  }
  uint32_t mac_rule(uint16_t vid, const MacAddr& m, uint8_t action) {
    nwbpf_acl_mac_key k{};
    k.vlan = vid;
    std::memcpy(k.mac, m.data(), 6);
    uint32_t rule = next_++;
    image_.mac.push_back({k, nwbpf_acl_hit{rule, action, {}}});
    return rule;
  }
  // Counter index of vid's ip / mac default (after build()).
  uint32_t ip_default(uint16_t vid) const { return defaults_.at(vid).first; }
  uint32_t mac_default(uint16_t vid) const { return defaults_.at(vid).second; }

  AclImage build() {
    AclImage img = image_;
    uint32_t next = next_;
    for (auto& [vid, v] : vlans_) {
      nwbpf_acl_vlan_key vk{};
      vk.vlan = vid;
      auto val = std::make_unique<nwbpf_acl_vlan>();
      std::memset(val.get(), 0, sizeof(*val));
      if (v.ip) {
        val->flags |= NWBPF_ACL_HAS_IP;
        val->ip_default = *v.ip;
        val->ip_default_rule = next++;
      }
      if (v.mac) {
        val->flags |= NWBPF_ACL_HAS_MAC;
        val->mac_default = *v.mac;
        val->mac_default_rule = next++;
      }
      defaults_[vid] = {val->ip_default_rule, val->mac_default_rule};
      // Shapes by their lowest rule.
      std::vector<std::pair<uint32_t, Masks>> order;
      for (auto& [masks, keys] : v.shapes) {
        uint32_t first = UINT32_MAX;
        for (auto& [k, hit] : keys) first = std::min(first, hit.rule);
        order.push_back({first, masks});
      }
      std::sort(order.begin(), order.end());
      if (order.size() > NWBPF_ACL_MAX_SHAPES) throw std::invalid_argument("too many shapes");
      for (size_t i = 0; i < order.size(); i++) {
        auto& sh = val->shapes[i];
        std::tie(sh.src_mask, sh.dst_mask, sh.sport_mask, sh.dport_mask, sh.proto_mask) =
            order[i].second;
        sh.first_rule = order[i].first;
        for (auto [k, hit] : v.shapes.at(order[i].second)) {
          k.shape = static_cast<uint8_t>(i);
          img.ip.push_back({k, hit});
        }
      }
      val->shape_count = static_cast<uint8_t>(order.size());
      img.vlans.push_back({vk, *val});
    }
    img.rule_count = next;
    return img;
  }

 private:
  using Masks = std::tuple<uint32_t, uint32_t, uint16_t, uint16_t, uint8_t>;
  struct Vlan {
    std::optional<uint8_t> ip, mac;
    std::map<Masks, std::vector<std::pair<nwbpf_acl_ip_key, nwbpf_acl_hit>>> shapes;
  };
  std::map<uint16_t, Vlan> vlans_;
  std::map<uint16_t, std::pair<uint32_t, uint32_t>> defaults_;
  AclImage image_;
  uint32_t next_ = 0;
};

// The ACL maps of dp, borrowed (dp must outlive them).
inline AclMaps acl_maps(const TestDatapath& dp) {
  auto fd = [&](const char* name) { return MapFd::borrow(bpf_map__fd(dp.map(name))); };
  return AclMaps{BpfMap<__u32, __u32>(fd("acl_active")),
                 BpfMap<nwbpf_acl_vlan_key, nwbpf_acl_vlan>(fd("acl_vlans")),
                 BpfMap<nwbpf_acl_ip_key, nwbpf_acl_hit>(fd("acl_ip")),
                 BpfMap<nwbpf_acl_mac_key, nwbpf_acl_hit>(fd("acl_mac")),
                 PerCpuArray<nwbpf_acl_counter>(fd("acl_counters"))};
}

}  // namespace nwbpf::test
