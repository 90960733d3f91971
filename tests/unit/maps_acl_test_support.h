// SPDX-License-Identifier: Apache-2.0
// For the ACL compiler's tests: AclImage entries as readable lines (golden
// images), ebconfig values in brief, and two evaluators of a frame: the
// ebconfig's meaning read linearly (first match, agent/central/README.md
// "How a frame is matched") and the tuple-space walk maps/acl.h describes
// for BPF, over an AclImage.
#pragma once

#include <arpa/inet.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "central/ebconfig.h"
#include "dataplane/acl_compile.h"

namespace nwbpf::test {

inline std::string ip_text(__be32 be) { return Ipv4{be}.str(); }

inline std::string hex16(uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04x", v);
  return buf;
}

inline std::string action_text(uint8_t action) {
  return action == NWBPF_ACL_PERMIT ? "permit" : action == NWBPF_ACL_DENY ? "deny" : "?";
}

inline std::string hit_text(const nwbpf_acl_hit& hit) {
  return "rule " + std::to_string(hit.rule) + " " + action_text(hit.action);
}

// "vlan 10 flags ip,mac ip default permit (3) mac default deny (7) shapes 3"
// then one line per shape: "  shape 0 proto ff src 0.0.0.0 dst 255.255.255.255
// sport 0000 dport 0000 first 0".
inline std::vector<std::string> vlan_lines(const AclImage& image) {
  std::vector<std::string> lines;
  for (const auto& [key, v] : image.vlans) {
    std::string flags = std::string(v.flags & NWBPF_ACL_HAS_IP ? "ip" : "") +
                        (v.flags == (NWBPF_ACL_HAS_IP | NWBPF_ACL_HAS_MAC) ? "," : "") +
                        (v.flags & NWBPF_ACL_HAS_MAC ? "mac" : "");
    std::string line = "vlan " + std::to_string(key.vlan) + " gen " + std::to_string(key.gen) +
                       " flags " + flags;
    if (v.flags & NWBPF_ACL_HAS_IP)
      line += " ip default " + action_text(v.ip_default) + " (" +
              std::to_string(v.ip_default_rule) + ")";
    if (v.flags & NWBPF_ACL_HAS_MAC)
      line += " mac default " + action_text(v.mac_default) + " (" +
              std::to_string(v.mac_default_rule) + ")";
    lines.push_back(line + " shapes " + std::to_string(v.shape_count));
    for (unsigned s = 0; s < v.shape_count; ++s) {
      const nwbpf_acl_shape& sh = v.shapes[s];
      char proto[4];
      std::snprintf(proto, sizeof proto, "%02x", sh.proto_mask);
      lines.push_back("  shape " + std::to_string(s) + " proto " + proto + " src " +
                      ip_text(sh.src_mask) + " dst " + ip_text(sh.dst_mask) + " sport " +
                      hex16(sh.sport_mask) + " dport " + hex16(sh.dport_mask) + " first " +
                      std::to_string(sh.first_rule));
    }
  }
  return lines;
}

// "vlan 10 shape 2 proto 17 0.0.0.0:0 -> 192.168.0.0:80 = rule 2 permit"
inline std::vector<std::string> ip_lines(const AclImage& image) {
  std::vector<std::string> lines;
  for (const auto& [k, hit] : image.ip)
    lines.push_back("vlan " + std::to_string(k.vlan) + " gen " + std::to_string(k.gen) +
                    " shape " + std::to_string(k.shape) + " proto " + std::to_string(k.proto) +
                    " " + ip_text(k.src) + ":" + std::to_string(k.sport) + " -> " +
                    ip_text(k.dst) + ":" + std::to_string(k.dport) + " = " + hit_text(hit));
  return lines;
}

// "vlan 10 0a:00:27:00:00:01 = rule 4 permit"
inline std::vector<std::string> mac_lines(const AclImage& image) {
  std::vector<std::string> lines;
  for (const auto& [k, hit] : image.mac) {
    Mac mac;
    std::copy(k.mac, k.mac + 6, mac.bytes.begin());
    lines.push_back("vlan " + std::to_string(k.vlan) + " gen " + std::to_string(k.gen) + " " +
                    mac.str() + " = " + hit_text(hit));
  }
  return lines;
}

inline bgp::Prefix4 prefix(const char* address, uint8_t length) {
  return {*Ipv4::parse(address), length};
}

inline central::IpRule ip_rule(std::optional<uint8_t> proto, bgp::Prefix4 src, central::PortRange sport,
                               bgp::Prefix4 dst, central::PortRange dport, central::Action action) {
  return {{proto}, src, sport, dst, dport, action};
}

// A frame leaving an edge port into the overlay, as the ACL sees it.
struct Frame {
  uint16_t vlan = 0;
  Mac src_mac;
  bool ipv4 = false;
  uint8_t proto = 0;
  Ipv4 src, dst;
  uint16_t sport = 0, dport = 0;
  bool first_fragment = true;
  // Ports are read only from the first fragment of a protocol that has them.
  bool has_ports() const { return first_fragment && central::Protocol{proto}.has_ports(); }
};

// The counter a frame goes to and its action; nullopt: no filter applies
// (passed, counted nowhere).
struct Verdict {
  uint32_t rule = 0;
  uint8_t action = 0;
  bool operator==(const Verdict&) const = default;
};

inline bool in_prefix(Ipv4 address, bgp::Prefix4 p) {
  uint32_t mask = p.length ? ~0u << (32 - p.length) : 0;
  return (ntohl(address.be) & mask) == ntohl(p.address.be);
}

inline bool in_ports(const central::PortRange& range, const Frame& f, uint16_t port) {
  if (range == central::PortRange{}) return true;
  return f.has_ports() && range.first <= port && port <= range.last;
}

inline uint8_t action_value(central::Action a) {
  return a == central::Action::permit ? NWBPF_ACL_PERMIT : NWBPF_ACL_DENY;
}

// The ebconfig read as written: rules in file order, first match wins.
// Indexes are counted the way compile_acl() documents them.
inline std::optional<Verdict> linear_verdict(const central::Ebconfig& config, const Frame& f) {
  uint32_t index = 0;
  for (const auto& v : config.vlans) {
    if (v.vlan != f.vlan) {
      index += v.ip ? v.ip->rules.size() + 1 : 0;
      index += v.mac ? v.mac->rules.size() + 1 : 0;
      continue;
    }
    if (f.ipv4 && v.ip) {
      for (const auto& r : v.ip->rules) {
        if ((!r.proto.number || *r.proto.number == f.proto) && in_prefix(f.src, r.src) &&
            in_prefix(f.dst, r.dst) && in_ports(r.src_port, f, f.sport) &&
            in_ports(r.dst_port, f, f.dport))
          return Verdict{index, action_value(r.action)};
        ++index;
      }
      return Verdict{index, action_value(v.ip->default_action)};
    }
    if (v.ip) index += v.ip->rules.size() + 1;
    if (!v.mac) return std::nullopt;
    for (const auto& r : v.mac->rules) {
      if (r.mac == f.src_mac) return Verdict{index, action_value(r.action)};
      ++index;
    }
    return Verdict{index, action_value(v.mac->default_action)};
  }
  return std::nullopt;
}

template <class Key>
const nwbpf_acl_hit* find_hit(const std::vector<std::pair<Key, nwbpf_acl_hit>>& map,
                              const Key& key) {
  for (const auto& [k, hit] : map)
    if (std::memcmp(&k, &key, sizeof key) == 0) return &hit;
  return nullptr;
}

// What the BPF lookup of maps/acl.h does with the image (generation 0):
// per shape in order, mask the frame's fields and look the key up; keep
// the lowest rule; stop at the first shape whose first_rule cannot beat it.
inline std::optional<Verdict> tuple_space_verdict(const AclImage& image, const Frame& f) {
  const nwbpf_acl_vlan* vlan = nullptr;
  for (const auto& [k, v] : image.vlans)
    if (k.vlan == f.vlan && k.gen == 0) vlan = &v;
  if (!vlan) return std::nullopt;
  if (f.ipv4 && (vlan->flags & NWBPF_ACL_HAS_IP)) {
    const nwbpf_acl_hit* best = nullptr;
    for (uint8_t s = 0; s < vlan->shape_count; ++s) {
      const nwbpf_acl_shape& sh = vlan->shapes[s];
      if (best && sh.first_rule >= best->rule) break;
      if ((sh.sport_mask || sh.dport_mask) && !f.has_ports()) continue;
      nwbpf_acl_ip_key key{};
      key.shape = s;
      key.vlan = f.vlan;
      key.src = f.src.be & sh.src_mask;
      key.dst = f.dst.be & sh.dst_mask;
      key.sport = f.has_ports() ? f.sport & sh.sport_mask : 0;
      key.dport = f.has_ports() ? f.dport & sh.dport_mask : 0;
      key.proto = f.proto & sh.proto_mask;
      const nwbpf_acl_hit* hit = find_hit(image.ip, key);
      if (hit && (!best || hit->rule < best->rule)) best = hit;
    }
    if (best) return Verdict{best->rule, best->action};
    return Verdict{vlan->ip_default_rule, vlan->ip_default};
  }
  if (!(vlan->flags & NWBPF_ACL_HAS_MAC)) return std::nullopt;
  nwbpf_acl_mac_key key{};
  key.vlan = f.vlan;
  std::copy(f.src_mac.bytes.begin(), f.src_mac.bytes.end(), key.mac);
  if (const nwbpf_acl_hit* hit = find_hit(image.mac, key)) return Verdict{hit->rule, hit->action};
  return Verdict{vlan->mac_default_rule, vlan->mac_default};
}

}  // namespace nwbpf::test
