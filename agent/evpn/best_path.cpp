// SPDX-License-Identifier: Apache-2.0
#include "evpn/best_path.h"

#include <optional>

namespace nwbpf::evpn {
namespace {

using Segment = bgp::AsSegment;

size_t as_path_length(const bgp::PathAttributes& attrs) {
  size_t length = 0;
  if (!attrs.as_path) return 0;
  for (const auto& segment : *attrs.as_path) {
    if (segment.type == Segment::Type::as_sequence) length += segment.asns.size();
    if (segment.type == Segment::Type::as_set) length += 1;
  }
  return length;
}

// The AS the route entered our AS from: the first AS of the path (RFC 4271
// §9.1.2.2 (c)); nullopt for a route that never left our AS.
std::optional<uint32_t> neighbour_as(const bgp::PathAttributes& attrs) {
  if (!attrs.as_path) return std::nullopt;
  for (const auto& segment : *attrs.as_path) {
    if (segment.type == Segment::Type::as_sequence && !segment.asns.empty())
      return segment.asns.front();
    if (segment.type == Segment::Type::as_set) return std::nullopt;
  }
  return std::nullopt;
}

// -1 when `a` wins on this step, 1 when `b` does, 0 to go on.
template <class T>
int lower_wins(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int compare(const Path& a, const Path& b) {
  if (a.local() != b.local()) return a.local() ? -1 : 1;
  const auto& x = a.info->attributes;
  const auto& y = b.info->attributes;
  if (int c = lower_wins(y.local_pref.value_or(kDefaultLocalPref),
                         x.local_pref.value_or(kDefaultLocalPref)))
    return c;
  if (int c = lower_wins(as_path_length(x), as_path_length(y))) return c;
  if (int c = lower_wins(x.origin.value_or(bgp::Origin::igp), y.origin.value_or(bgp::Origin::igp)))
    return c;
  if (neighbour_as(x) == neighbour_as(y))
    if (int c = lower_wins(x.med.value_or(0), y.med.value_or(0))) return c;
  if (a.info->internal != b.info->internal) return a.info->internal ? 1 : -1;
  if (int c = lower_wins(host_order(x.originator_id.value_or(a.info->sender_id)),
                         host_order(y.originator_id.value_or(b.info->sender_id))))
    return c;
  if (int c = lower_wins(x.cluster_list.size(), y.cluster_list.size())) return c;
  return lower_wins(host_order(a.peer), host_order(b.peer));
}

}  // namespace

bool preferred(const Path& a, const Path& b) { return compare(a, b) < 0; }

size_t select_best(std::span<const Path> paths) {
  size_t best = 0;
  for (size_t i = 1; i < paths.size(); ++i)
    if (preferred(paths[i], paths[best])) best = i;
  return best;
}

}  // namespace nwbpf::evpn
