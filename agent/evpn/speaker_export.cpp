// SPDX-License-Identifier: Apache-2.0
// The Speaker's way from RIB changes to the world: import (with the MAC
// moves it settles) and UPDATEs for every established peer.
#include <algorithm>
#include <unordered_map>

#include "evpn/speaker.h"
#include "evpn/update_packer.h"

namespace nwbpf::evpn {
namespace {

// The UPDATEs of one batch for one peer. The attributes of the paths of one
// received UPDATE are rewritten once and packed together.
class PeerExport {
 public:
  PeerExport(const Receiver& to, bgp::SessionOptions options, const ExportPolicy& policy)
      : to_(to), policy_(policy), packer_(options) {}

  void announce(const Path& path) {
    auto& attributes = rewritten_[path.info.get()];
    if (!attributes)
      attributes = std::make_shared<const bgp::PathAttributes>(
          export_attributes(*path.info, path.local(), to_, policy_));
    packer_.announce(path.route, attributes);
  }
  void withdraw(const Path& path) { packer_.withdraw(path.route); }
  void end_of_rib() { packer_.end_of_rib(); }

  void flush(SpeakerOutput& out) {
    for (auto& update : packer_.take())
      out.send.push_back(Outgoing{to_.address, std::move(update)});
  }

 private:
  const Receiver& to_;
  const ExportPolicy& policy_;
  UpdatePacker packer_;
  std::unordered_map<const PathInfo*, std::shared_ptr<const bgp::PathAttributes>> rewritten_;
};

// Folds the changes of a later round into `into`, keeping one change per key.
void merge_changes(BestChanges& into, BestChanges more) {
  if (more.empty()) return;
  std::map<RouteKey, size_t> index;
  for (size_t i = 0; i < into.size(); ++i) index.emplace(into[i].key, i);
  for (auto& change : more) {
    auto found = index.find(change.key);
    if (found == index.end()) {
      into.push_back(std::move(change));
    } else {
      into[found->second].after = std::move(change.after);
    }
  }
  std::erase_if(into, [](const BestChange& c) {
    return c.before ? c.after && same_advertisement(*c.before, *c.after) : !c.after;
  });
}

}  // namespace

void Speaker::settle(SpeakerOutput& out, bgp::TimePoint now) {
  BestChanges changes = rib_.take_changes();
  for (const auto& change : changes) import_.apply(change);
  // A remote route that beats a local MAC withdraws ours, which changes the
  // RIB again; our withdrawals cannot beat anything, so this ends.
  for (auto losses = import_.take_local_losses(); !losses.empty();
       losses = import_.take_local_losses()) {
    for (const RemoteMac& winner : losses) {
      const MacKey mac{winner.vni, winner.mac};
      out.moved_away.push_back(winner);
      apply(mac, macs_.lost(mac, now), out);
    }
    BestChanges more = rib_.take_changes();
    for (const auto& change : more) import_.apply(change);
    merge_changes(changes, std::move(more));
  }
  export_changes(changes, out);
  out.import = import_.take_diff();
}

void Speaker::export_changes(const BestChanges& changes, SpeakerOutput& out) const {
  if (changes.empty()) return;
  for (const auto& [address, peer] : peers_) {
    if (!peer.established || !peer.evpn) continue;
    PeerExport to(peer.receiver, peer.options, export_policy_);
    for (const auto& change : changes) {
      if (change.after && advertises(*change.after, peer.receiver, export_policy_)) {
        to.announce(*change.after);
      } else if (change.before && advertises(*change.before, peer.receiver, export_policy_)) {
        to.withdraw(*change.before);
      }
    }
    to.flush(out);
  }
}

void Speaker::dump(const Peer& peer, bool end_of_rib, SpeakerOutput& out) const {
  PeerExport to(peer.receiver, peer.options, export_policy_);
  rib_.for_each([&](const RouteKey&, std::span<const Path> paths, size_t best) {
    if (advertises(paths[best], peer.receiver, export_policy_)) to.announce(paths[best]);
  });
  if (end_of_rib) to.end_of_rib();
  to.flush(out);
}

}  // namespace nwbpf::evpn
