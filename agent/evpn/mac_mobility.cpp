// SPDX-License-Identifier: Apache-2.0
#include "evpn/mac_mobility.h"

#include <limits>
#include <stdexcept>

namespace nwbpf::evpn {
namespace {

// One above the remote's sequence. RFC 7432 §7.7 gives no rule for wrapping
// past 2^32 - 1; staying there keeps our route from losing to the one we
// moved away from.
uint32_t above(const std::optional<RemoteMac>& remote) {
  if (!remote) return 0;
  const uint32_t max = std::numeric_limits<uint32_t>::max();
  return remote->sequence == max ? max : remote->sequence + 1;
}

}  // namespace

LocalMacs::LocalMacs(DuplicateDetection detection) : detection_(detection) {
  if (detection_.max_moves == 0)
    throw std::invalid_argument("duplicate MAC detection: max moves must be at least 1");
  if (detection_.window <= bgp::Duration::zero())
    throw std::invalid_argument("duplicate MAC detection: the window must be positive");
}

bool LocalMacs::move(State& state, bgp::TimePoint now) {
  while (!state.moves.empty() && now - state.moves.front() >= detection_.window)
    state.moves.pop_front();
  state.moves.push_back(now);
  if (state.duplicate || state.moves.size() < detection_.max_moves) return false;
  state.duplicate = true;
  return true;
}

void LocalMacs::forget_if_idle(std::map<MacKey, State>::iterator at) {
  const State& state = at->second;
  if (!state.present && !state.duplicate && state.moves.empty()) macs_.erase(at);
}

MobilityDecision LocalMacs::learned(const MacKey& key, const std::optional<RemoteMac>& remote,
                                    bgp::TimePoint now) {
  State& state = macs_[key];
  state.present = true;
  if (state.advertised || state.duplicate) return {};  // nothing new (or silenced)
  MobilityDecision decision;
  if (remote) decision.became_duplicate = move(state, now);
  if (state.duplicate) return decision;
  state.advertised = above(remote);
  decision.advertise = state.advertised;
  return decision;
}

MobilityDecision LocalMacs::removed(const MacKey& key) {
  auto at = macs_.find(key);
  if (at == macs_.end()) return {};
  MobilityDecision decision;
  decision.withdraw = at->second.advertised.has_value();
  at->second.present = false;
  at->second.advertised.reset();
  forget_if_idle(at);
  return decision;
}

MobilityDecision LocalMacs::lost(const MacKey& key, bgp::TimePoint now) {
  auto at = macs_.find(key);
  if (at == macs_.end() || !at->second.advertised) return {};
  MobilityDecision decision;
  decision.withdraw = true;
  decision.became_duplicate = move(at->second, now);
  at->second.present = false;
  at->second.advertised.reset();
  return decision;
}

MobilityDecision LocalMacs::clear_duplicate(const MacKey& key,
                                            const std::optional<RemoteMac>& remote) {
  auto at = macs_.find(key);
  if (at == macs_.end() || !at->second.duplicate) return {};
  State& state = at->second;
  state.duplicate = false;
  state.moves.clear();
  MobilityDecision decision;
  if (state.present) {
    state.advertised = above(remote);
    decision.advertise = state.advertised;
  }
  forget_if_idle(at);
  return decision;
}

bool LocalMacs::is_duplicate(const MacKey& key) const {
  auto at = macs_.find(key);
  return at != macs_.end() && at->second.duplicate;
}

std::optional<uint32_t> LocalMacs::advertised(const MacKey& key) const {
  auto at = macs_.find(key);
  return at == macs_.end() ? std::nullopt : at->second.advertised;
}

std::vector<MacKey> LocalMacs::duplicates() const {
  std::vector<MacKey> out;
  for (const auto& [key, state] : macs_)
    if (state.duplicate) out.push_back(key);
  return out;
}

}  // namespace nwbpf::evpn
