// SPDX-License-Identifier: Apache-2.0
#include "evpn/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace nwbpf::evpn {
namespace {

// RFC 7432 §15.1: the higher sequence number wins; between equal ones, the
// lower VTEP address.
bool beats(uint32_t sequence, Ipv4 vtep, uint32_t other_sequence, Ipv4 other_vtep) {
  if (sequence != other_sequence) return sequence > other_sequence;
  return host_order(vtep) < host_order(other_vtep);
}

// The VTEP a type-3 path adds to a flood list, or nullopt.
std::optional<Ipv4> flood_vtep(const Path& path) {
  if (!path.info->pmsi) return path.info->next_hop;
  auto ir = ingress_replication_of(*path.info->pmsi);
  if (!ir) return std::nullopt;
  return ir.value().vtep;
}

}  // namespace

ImportTable::ImportTable(const std::vector<VniImport>& vnis, Ipv4 own_vtep) : own_vtep_(own_vtep) {
  std::set<uint32_t> seen;
  for (const auto& vni : vnis) {
    if (vni.vni > max_label)
      throw std::invalid_argument(fmt::format("VNI {} does not fit in 24 bits", vni.vni));
    if (!seen.insert(vni.vni).second)
      throw std::invalid_argument(fmt::format("VNI {} is listed twice", vni.vni));
    for (const auto& rt : vni.route_targets) vnis_by_target_[rt].push_back(vni.vni);
  }
}

std::vector<uint32_t> ImportTable::vnis_of(const Path& path) const {
  std::vector<uint32_t> vnis;
  for (const auto& rt : path.info->route_targets) {
    auto found = vnis_by_target_.find(rt);
    if (found != vnis_by_target_.end())
      vnis.insert(vnis.end(), found->second.begin(), found->second.end());
  }
  std::sort(vnis.begin(), vnis.end());
  vnis.erase(std::unique(vnis.begin(), vnis.end()), vnis.end());
  return vnis;
}

void ImportTable::apply(const BestChange& change) {
  if (change.before) add(*change.before, false);
  if (change.after) add(*change.after, true);
}

void ImportTable::add(const Path& path, bool adding) {
  if (path.local()) return;
  if (const auto* route = std::get_if<MacIpRoute>(&path.route)) {
    const auto& vtep = path.info->next_hop;
    if (!vtep || *vtep == own_vtep_) return;
    for (uint32_t vni : vnis_of(path)) {
      const MacKey key{vni, route->key.mac};
      touch_mac(key);
      MacEntry& entry = macs_[key];
      auto same = [&](const Candidate& c) { return c.key == route->key; };
      entry.remote.erase(std::remove_if(entry.remote.begin(), entry.remote.end(), same),
                         entry.remote.end());
      if (adding) entry.remote.push_back(Candidate{route->key, *vtep, path.sequence()});
      if (entry.remote.empty() && !entry.local_sequence) macs_.erase(key);
    }
  } else if (std::holds_alternative<InclusiveMulticastRoute>(path.route)) {
    auto vtep = flood_vtep(path);
    if (!vtep || *vtep == own_vtep_) return;
    for (uint32_t vni : vnis_of(path)) {
      const FloodMember member{vni, *vtep};
      touch_flood(member);
      if (adding) {
        ++flood_[member];
      } else if (auto found = flood_.find(member); found != flood_.end() && --found->second == 0) {
        flood_.erase(found);
      }
    }
  }
}

void ImportTable::set_local(const MacKey& key, std::optional<uint32_t> sequence) {
  touch_mac(key);
  if (sequence) {
    macs_[key].local_sequence = sequence;
    return;
  }
  auto found = macs_.find(key);
  if (found == macs_.end()) return;
  found->second.local_sequence.reset();
  if (found->second.remote.empty()) macs_.erase(found);
}

void ImportTable::touch_mac(const MacKey& key) {
  if (!macs_before_.contains(key)) macs_before_.emplace(key, installed(key));
}

void ImportTable::touch_flood(const FloodMember& member) {
  if (!flood_before_.contains(member)) flood_before_.emplace(member, flood_.contains(member));
}

std::optional<RemoteMac> ImportTable::best_remote(const MacKey& key) const {
  auto found = macs_.find(key);
  if (found == macs_.end() || found->second.remote.empty()) return std::nullopt;
  const auto& remote = found->second.remote;
  const Candidate* best = &remote.front();
  for (const Candidate& c : remote) {
    if (beats(c.sequence, c.vtep, best->sequence, best->vtep) ||
        (c.sequence == best->sequence && c.vtep == best->vtep && c.key < best->key))
      best = &c;
  }
  return RemoteMac{key.vni, key.mac, best->vtep, best->sequence};
}

std::optional<RemoteMac> ImportTable::installed(const MacKey& key) const {
  auto best = best_remote(key);
  if (!best) return std::nullopt;
  const auto& local = macs_.at(key).local_sequence;
  if (local && !beats(best->sequence, best->vtep, *local, own_vtep_)) return std::nullopt;
  return best;
}

std::vector<RemoteMac> ImportTable::take_local_losses() {
  std::vector<RemoteMac> losses;
  for (const auto& [key, before] : macs_before_) {
    auto found = macs_.find(key);
    if (found == macs_.end() || !found->second.local_sequence) continue;
    if (auto winner = installed(key)) losses.push_back(*winner);
  }
  return losses;
}

ImportDiff ImportTable::take_diff() {
  ImportDiff diff;
  for (const auto& [key, before] : macs_before_) {
    auto now = installed(key);
    if (before && !now) diff.removed.push_back(key);
    if (!before && now) diff.added.push_back(*now);
    if (before && now && *before != *now) diff.changed.push_back(*now);
  }
  for (const auto& [member, was] : flood_before_) {
    const bool is = flood_.contains(member);
    if (was && !is) diff.flood_removed.push_back(member);
    if (!was && is) diff.flood_added.push_back(member);
  }
  macs_before_.clear();
  flood_before_.clear();
  return diff;
}

std::vector<RemoteMac> ImportTable::macs() const {
  std::vector<RemoteMac> out;
  for (const auto& [key, entry] : macs_)
    if (auto mac = installed(key)) out.push_back(*mac);
  return out;
}

std::vector<FloodMember> ImportTable::flood() const {
  std::vector<FloodMember> out;
  for (const auto& [member, count] : flood_) out.push_back(member);
  return out;
}

}  // namespace nwbpf::evpn
