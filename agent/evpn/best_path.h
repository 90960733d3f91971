// SPDX-License-Identifier: Apache-2.0
// Best-path selection among the paths of one route (RFC 4271 §9.1.2.2 with
// RFC 4456 §9). A CE peering with several route reflectors gets each route
// once per reflector; the steps below pick one, deterministically.
//
// A path is preferred when, at the first step that tells the two apart:
//  1. it is ours (locally originated: FRR's weight 32768 has the same effect);
//  2. its LOCAL_PREF is higher (absent: 100, the usual default);
//  3. its AS_PATH is shorter (an AS_SET counts 1, confederation segments 0:
//     RFC 4271 §9.1.2.2 (a), RFC 5065 §5.3);
//  4. its ORIGIN is lower (IGP < EGP < INCOMPLETE);
//  5. its MULTI_EXIT_DISC is lower (absent: 0), compared only between paths
//     from the same neighbouring AS (the first AS of the path; none for
//     routes from our own AS), as (c) says;
//  6. it came from an external peer and the other from an internal one (d);
//     (e), the IGP cost to the next hop, does not exist here: VTEPs are
//     reached over the underlay, which has no IGP we know of;
//  7. its ORIGINATOR_ID, or if absent the sending peer's BGP Identifier, is
//     lower (f, with RFC 4456 §9's substitution);
//  8. its CLUSTER_LIST is shorter (RFC 4456 §9 inserts this between (f) and
//     (g), so a reflected copy loses to the path straight from the client);
//  9. its peer address is lower (g).
// Step 5 makes the relation non-transitive across neighbouring ASes, as in
// every BGP implementation; select_best() therefore scans the paths in a
// fixed order (the RIB keeps them by peer address), so the result depends
// only on the set of paths.
#pragma once

#include <cstddef>
#include <span>

#include "evpn/path.h"

namespace nwbpf::evpn {

// LOCAL_PREF of a path without the attribute.
inline constexpr uint32_t kDefaultLocalPref = 100;

// True when `a` is preferred over `b` by the steps above.
bool preferred(const Path& a, const Path& b);

// Index of the best path; `paths` must not be empty.
size_t select_best(std::span<const Path> paths);

}  // namespace nwbpf::evpn
