// SPDX-License-Identifier: Apache-2.0
#include "dataplane/acl_table.h"

#include <bpf/bpf.h>

#include <stdexcept>
#include <string>
#include <unordered_map>

namespace nwbpf {

namespace {

std::string where(const char* map, size_t i, uint16_t vlan) {
  return std::string("ACL image: ") + map + " entry " + std::to_string(i) + " (VLAN " +
         std::to_string(vlan) + ")";
}

void check_action(uint32_t action, const std::string& what) {
  if (action != NWBPF_ACL_PERMIT && action != NWBPF_ACL_DENY)
    throw std::invalid_argument(what + ": action " + std::to_string(action) +
                                " is neither permit (0) nor deny (1)");
}

void check_rule(uint32_t rule, uint32_t rule_count, const std::string& what) {
  if (rule >= rule_count)
    throw std::invalid_argument(what + ": rule index " + std::to_string(rule) +
                                " is not below rule_count " + std::to_string(rule_count));
}

void check_size(size_t n, size_t max, const char* what) {
  if (n > max)
    throw std::invalid_argument("ACL image: " + std::to_string(n) + " " + what + ", more than the " +
                                std::to_string(max) + " one rule set may hold");
}

void check_gen(uint8_t gen, const std::string& what) {
  if (gen != 0) throw std::invalid_argument(what + ": key has generation " + std::to_string(gen) + ", not 0");
}

// One VLAN entry: its flags, defaults and shapes.
void check_vlan(const nwbpf_acl_vlan& v, uint32_t rule_count, const std::string& what) {
  if (v.flags & ~(NWBPF_ACL_HAS_IP | NWBPF_ACL_HAS_MAC))
    throw std::invalid_argument(what + ": unknown flags " + std::to_string(v.flags));
  if (v.shape_count > NWBPF_ACL_MAX_SHAPES)
    throw std::invalid_argument(what + ": " + std::to_string(v.shape_count) + " shapes, more than " +
                                std::to_string(NWBPF_ACL_MAX_SHAPES));
  if (v.flags & NWBPF_ACL_HAS_IP) {
    check_action(v.ip_default, what + " ip default");
    check_rule(v.ip_default_rule, rule_count, what + " ip default");
  }
  if (v.flags & NWBPF_ACL_HAS_MAC) {
    check_action(v.mac_default, what + " mac default");
    check_rule(v.mac_default_rule, rule_count, what + " mac default");
  }
  // BPF stops at the first shape whose lowest rule cannot beat its match.
  for (unsigned i = 1; i < v.shape_count; i++)
    if (v.shapes[i].first_rule < v.shapes[i - 1].first_rule)
      throw std::invalid_argument(what + ": shape " + std::to_string(i) +
                                  " is not sorted by first_rule (" +
                                  std::to_string(v.shapes[i].first_rule) + " after " +
                                  std::to_string(v.shapes[i - 1].first_rule) + ")");
}

using VlanIndex = std::unordered_map<uint16_t, const nwbpf_acl_vlan*>;

// An acl_ip or acl_mac entry: its key's generation, its VLAN (which must
// have the filter `flag` names) and its hit; the VLAN's entry.
const nwbpf_acl_vlan& check_entry(const VlanIndex& vlans, uint8_t gen, uint16_t vid, uint8_t flag,
                                  const nwbpf_acl_hit& hit, uint32_t rule_count,
                                  const std::string& what) {
  check_gen(gen, what);
  auto v = vlans.find(vid);
  if (v == vlans.end() || !(v->second->flags & flag))
    throw std::invalid_argument(what + ": the VLAN has no " +
                                (flag == NWBPF_ACL_HAS_IP ? "ip" : "mac") + "-filter");
  check_rule(hit.rule, rule_count, what);
  check_action(hit.action, what);
  return *v->second;
}

template <typename K>
std::vector<K> keys_of_generation(const auto& map, uint8_t gen) {
  std::vector<K> keys;
  for (const auto& [k, v] : map.entries())
    if (k.gen == gen) keys.push_back(k);
  return keys;
}

template <typename K>
void delete_keys(int fd, const std::vector<K>& keys, const char* map) {
  if (keys.empty()) return;
  auto count = static_cast<__u32>(keys.size());
  if (bpf_map_delete_batch(fd, keys.data(), &count, nullptr) != 0)
    throw BpfError("deleting " + std::to_string(keys.size()) + " entries of " + map +
                       " (stopped after " + std::to_string(count) + ")",
                   errno);
}

// The entries of image_entries with their keys' generation set to gen, in
// one batch update (one syscall for the whole set).
template <typename K, typename V>
void write_entries(int fd, const std::vector<std::pair<K, V>>& image_entries, uint8_t gen,
                   const char* map) {
  if (image_entries.empty()) return;
  std::vector<K> keys;
  std::vector<V> values;
  keys.reserve(image_entries.size());
  values.reserve(image_entries.size());
  for (const auto& [k, v] : image_entries) {
    keys.push_back(k);
    keys.back().gen = gen;
    values.push_back(v);
  }
  auto count = static_cast<__u32>(keys.size());
  if (bpf_map_update_batch(fd, keys.data(), values.data(), &count, nullptr) != 0)
    throw BpfError("writing " + std::to_string(keys.size()) + " entries to " + map +
                       " (stopped after " + std::to_string(count) + ")",
                   errno);
}

}  // namespace

void check_acl_image(const AclImage& image) {
  if (image.rule_count > NWBPF_ACL_MAX_RULES)
    throw std::invalid_argument("ACL image: " + std::to_string(image.rule_count) +
                                " rules and defaults, more than " +
                                std::to_string(NWBPF_ACL_MAX_RULES));
  check_size(image.vlans.size(), kAclMaxVlans, "VLANs");
  check_size(image.ip.size(), kAclMaxIpKeys, "ip keys");
  check_size(image.mac.size(), kAclMaxMacs, "MAC keys");
  VlanIndex vlans;
  for (size_t i = 0; i < image.vlans.size(); i++) {
    const auto& [k, v] = image.vlans[i];
    auto what = where("acl_vlans", i, k.vlan);
    check_gen(k.gen, what);
    if (!vlans.emplace(k.vlan, &v).second) throw std::invalid_argument(what + ": VLAN listed twice");
    check_vlan(v, image.rule_count, what);
  }
  for (size_t i = 0; i < image.ip.size(); i++) {
    const auto& [k, hit] = image.ip[i];
    auto what = where("acl_ip", i, k.vlan);
    const auto& v = check_entry(vlans, k.gen, k.vlan, NWBPF_ACL_HAS_IP, hit, image.rule_count, what);
    if (k.shape >= v.shape_count)
      throw std::invalid_argument(what + ": shape " + std::to_string(k.shape) +
                                  " is not below the VLAN's shape_count " +
                                  std::to_string(v.shape_count));
  }
  for (size_t i = 0; i < image.mac.size(); i++) {
    const auto& [k, hit] = image.mac[i];
    check_entry(vlans, k.gen, k.vlan, NWBPF_ACL_HAS_MAC, hit, image.rule_count,
                where("acl_mac", i, k.vlan));
  }
}

uint32_t AclTable::active_generation() const { return maps_.active.lookup(0).value_or(0) & 1; }

void AclTable::erase_generation(uint8_t gen) {
  delete_keys(maps_.ip.fd(), keys_of_generation<nwbpf_acl_ip_key>(maps_.ip, gen), "acl_ip");
  delete_keys(maps_.mac.fd(), keys_of_generation<nwbpf_acl_mac_key>(maps_.mac, gen), "acl_mac");
  delete_keys(maps_.vlans.fd(), keys_of_generation<nwbpf_acl_vlan_key>(maps_.vlans, gen),
              "acl_vlans");
}

void AclTable::write(const AclImage& image, uint8_t gen) {
  write_entries(maps_.ip.fd(), image.ip, gen, "acl_ip");
  write_entries(maps_.mac.fd(), image.mac, gen, "acl_mac");
  write_entries(maps_.vlans.fd(), image.vlans, gen, "acl_vlans");
  zero_counters(gen, image.rule_count);
}

// One batch update of rule_count zeroed per-CPU values.
void AclTable::zero_counters(uint8_t gen, uint32_t rule_count) {
  if (rule_count == 0) return;
  const int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) throw BpfError("cannot count possible CPUs", -ncpu);
  std::vector<__u32> keys(rule_count);
  for (uint32_t i = 0; i < rule_count; i++) keys[i] = gen * NWBPF_ACL_MAX_RULES + i;
  std::vector<nwbpf_acl_counter> zeros(size_t(rule_count) * ncpu);
  auto count = rule_count;
  if (bpf_map_update_batch(maps_.counters.fd(), keys.data(), zeros.data(), &count, nullptr) != 0)
    throw BpfError("zeroing " + std::to_string(rule_count) + " ACL counters (stopped after " +
                       std::to_string(count) + ")",
                   errno);
}

void AclTable::apply(const AclImage& image) {
  check_acl_image(image);
  const uint32_t old_gen = active_generation();
  const auto new_gen = static_cast<uint8_t>(old_gen ^ 1);
  // Frames read only the generation in force, so everything up to the flip
  // is invisible to them: a failure there undoes its own writes (best
  // effort; whatever stays is cleared by the next apply, as here first).
  erase_generation(new_gen);
  try {
    write(image, new_gen);
  } catch (...) {
    try {
      erase_generation(new_gen);
    } catch (const BpfError&) {
    }
    throw;
  }
  maps_.active.update(0, new_gen);
  erase_generation(static_cast<uint8_t>(old_gen));
}

std::vector<nwbpf_acl_counter> AclTable::counters(uint32_t rule_count) const {
  if (rule_count > NWBPF_ACL_MAX_RULES)
    throw std::invalid_argument("ACL counters: " + std::to_string(rule_count) +
                                " indexes, more than " + std::to_string(NWBPF_ACL_MAX_RULES));
  const uint32_t base = active_generation() * NWBPF_ACL_MAX_RULES;
  std::vector<nwbpf_acl_counter> out(rule_count);
  for (uint32_t i = 0; i < rule_count; i++)
    for (const auto& cpu : maps_.counters.lookup(base + i)) {
      out[i].packets += cpu.packets;
      out[i].bytes += cpu.bytes;
    }
  return out;
}

}  // namespace nwbpf
