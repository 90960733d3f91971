// SPDX-License-Identifier: Apache-2.0
#include "evpn/export.h"

namespace nwbpf::evpn {
namespace {

// RFC 4271 §5.1.2 (b): prepend to a leading AS_SEQUENCE, or start one when
// the path begins otherwise or its first segment is full (255 ASes).
void prepend_as(bgp::AsPath& path, uint32_t as) {
  using Type = bgp::AsSegment::Type;
  if (!path.empty() && path.front().type == Type::as_sequence && path.front().asns.size() < 255) {
    path.front().asns.insert(path.front().asns.begin(), as);
  } else {
    path.insert(path.begin(), bgp::AsSegment{Type::as_sequence, {as}});
  }
}

}  // namespace

bool advertises(const Path& best, const Receiver& to, const ExportPolicy& policy) {
  if (best.peer == to.address) return false;
  return best.local() || policy.cluster_id.has_value();
}

bgp::PathAttributes export_attributes(const PathInfo& info, bool local, const Receiver& to,
                                      const ExportPolicy& policy) {
  bgp::PathAttributes out = info.attributes;
  if (to.internal) {
    if (!local) {
      if (!out.originator_id) out.originator_id = info.sender_id;
      out.cluster_list.insert(out.cluster_list.begin(), *policy.cluster_id);
    }
    return out;
  }
  if (!out.as_path) out.as_path.emplace();
  prepend_as(*out.as_path, policy.local_as);
  out.local_pref.reset();
  out.originator_id.reset();
  out.cluster_list.clear();
  if (!info.internal) out.med.reset();
  return out;
}

}  // namespace nwbpf::evpn
