// SPDX-License-Identifier: Apache-2.0
// Best-path selection (RFC 4271 §9.1.2.2, RFC 4456 §9): each step decides
// when the earlier ones tie, in the documented order.
#include <algorithm>
#include <functional>

#include "evpn/best_path.h"
#include "evpn_rib_test_support.h"

namespace nwbpf::evpn {
namespace {

using namespace test;

// A path from `peer` (whose router id is its address unless edited) with a
// VTEP's usual attributes, edited by `edit`.
Path path_from(std::string_view peer, const std::function<void(PathInfo&)>& edit = {}) {
  auto info = std::make_shared<PathInfo>();
  info->attributes = vtep_attributes("192.0.2.1", {auto_rt(100)});
  info->next_hop = v4("192.0.2.1");
  info->sender_id = v4(peer);
  if (edit) edit(*info);
  decode_views(*info);
  return Path{v4(peer), mac_route("192.0.2.1:1", "02:00:00:00:00:01", 100), info};
}

bgp::AsPath sequence_of(std::vector<uint32_t> asns) {
  return {bgp::AsSegment{bgp::AsSegment::Type::as_sequence, std::move(asns)}};
}

// `winner` beats `loser` whichever is compared first.
void expect_wins(const Path& winner, const Path& loser) {
  EXPECT_TRUE(preferred(winner, loser));
  EXPECT_FALSE(preferred(loser, winner));
  std::vector<Path> paths{loser, winner};
  EXPECT_EQ(select_best(paths), 1u);
  std::swap(paths[0], paths[1]);
  EXPECT_EQ(select_best(paths), 0u);
}

TEST(EvpnBestPath, OurOwnPathBeatsAHigherLocalPref) {
  Path ours = path_from("10.0.0.9");
  ours.peer = kLocalPeer;
  expect_wins(ours, path_from("10.0.0.1", [](PathInfo& i) { i.attributes.local_pref = 500; }));
}

TEST(EvpnBestPath, HigherLocalPrefThenAbsentCountsAs100) {
  expect_wins(path_from("10.0.0.2", [](PathInfo& i) { i.attributes.local_pref = 200; }),
              path_from("10.0.0.1"));
  expect_wins(path_from("10.0.0.2", [](PathInfo& i) { i.attributes.local_pref.reset(); }),
              path_from("10.0.0.1", [](PathInfo& i) { i.attributes.local_pref = 99; }));
}

TEST(EvpnBestPath, ShorterAsPathWithSetsAsOneAndConfederationsAsNone) {
  expect_wins(path_from("10.0.0.2", [](PathInfo& i) { i.attributes.as_path = sequence_of({1}); }),
              path_from("10.0.0.1", [](PathInfo& i) {
                i.attributes.as_path = sequence_of({1, 2});
              }));
  // {1 2 3} as a set counts 1; a confederation sequence of 3 counts 0.
  expect_wins(path_from("10.0.0.2",
                        [](PathInfo& i) {
                          i.attributes.as_path = {
                              {bgp::AsSegment::Type::confed_sequence, {7, 8, 9}},
                              {bgp::AsSegment::Type::as_set, {1, 2, 3}}};
                        }),
              path_from("10.0.0.1", [](PathInfo& i) {
                i.attributes.as_path = sequence_of({1, 2});
              }));
}

TEST(EvpnBestPath, LowerOrigin) {
  expect_wins(
      path_from("10.0.0.2", [](PathInfo& i) { i.attributes.origin = bgp::Origin::egp; }),
      path_from("10.0.0.1", [](PathInfo& i) { i.attributes.origin = bgp::Origin::incomplete; }));
}

TEST(EvpnBestPath, MedOnlyBetweenPathsFromOneNeighbouringAs) {
  auto with = [](std::vector<uint32_t> path, uint32_t med) {
    return [=](PathInfo& i) {
      i.attributes.as_path = sequence_of(path);
      i.attributes.med = med;
    };
  };
  expect_wins(path_from("10.0.0.2", with({65001}, 10)), path_from("10.0.0.1", with({65001}, 20)));
  // Different neighbouring ASes: MED is skipped and the router id decides.
  expect_wins(path_from("10.0.0.1", with({65001}, 20)), path_from("10.0.0.2", with({65002}, 10)));
  // Absent MED is 0, the best.
  expect_wins(path_from("10.0.0.2", [](PathInfo& i) { i.attributes.med.reset(); }),
              path_from("10.0.0.1", [](PathInfo& i) { i.attributes.med = 1; }));
}

TEST(EvpnBestPath, ExternalBeatsInternal) {
  expect_wins(path_from("10.0.0.2", [](PathInfo& i) { i.internal = false; }),
              path_from("10.0.0.1"));
}

TEST(EvpnBestPath, OriginatorIdStandsInForTheRouterId) {
  // RFC 4456 §9: 10.0.0.2's path carries ORIGINATOR_ID 10.0.0.5, lower
  // than 10.0.0.1's own originator 10.0.0.7.
  expect_wins(
      path_from("10.0.0.2", [](PathInfo& i) { i.attributes.originator_id = v4("10.0.0.5"); }),
      path_from("10.0.0.1", [](PathInfo& i) { i.attributes.originator_id = v4("10.0.0.7"); }));
  // Without ORIGINATOR_ID, the sender's router id (not its address).
  expect_wins(path_from("10.0.0.2", [](PathInfo& i) { i.sender_id = v4("1.1.1.1"); }),
              path_from("10.0.0.1"));
}

TEST(EvpnBestPath, ShorterClusterListAfterTheOriginator) {
  auto reflected = [](std::vector<std::string_view> clusters) {
    return [=](PathInfo& i) {
      i.attributes.originator_id = v4("10.0.0.11");
      for (auto c : clusters) i.attributes.cluster_list.push_back(v4(c));
    };
  };
  expect_wins(path_from("10.0.0.2", reflected({"10.0.0.2"})),
              path_from("10.0.0.1", reflected({"10.0.0.1", "10.0.0.3"})));
  // The originator comes first: a shorter list does not beat a lower one.
  expect_wins(path_from("10.0.0.1",
                        [](PathInfo& i) {
                          i.attributes.originator_id = v4("10.0.0.10");
                          i.attributes.cluster_list = {v4("10.0.0.1"), v4("10.0.0.3")};
                        }),
              path_from("10.0.0.2", reflected({"10.0.0.2"})));
}

TEST(EvpnBestPath, LowestPeerAddressAsANumberLast) {
  // Two route reflectors passing on the same client route: everything ties
  // but the peer. 10.0.0.2 < 192.0.2.1 as numbers (not as stored bytes).
  auto same = [](PathInfo& i) {
    i.attributes.originator_id = v4("10.0.0.11");
    i.attributes.cluster_list = {v4("10.9.9.9")};
  };
  expect_wins(path_from("10.0.0.2", same), path_from("192.0.2.1", same));
}

TEST(EvpnBestPath, SelectionDoesNotDependOnOrder) {
  std::vector<Path> paths{path_from("10.0.0.3"), path_from("10.0.0.1"), path_from("10.0.0.2")};
  std::sort(paths.begin(), paths.end(),
            [](const Path& a, const Path& b) { return host_order(a.peer) < host_order(b.peer); });
  do {
    EXPECT_EQ(paths[select_best(paths)].peer, v4("10.0.0.1"));
  } while (std::next_permutation(paths.begin(), paths.end(), [](const Path& a, const Path& b) {
    return host_order(a.peer) < host_order(b.peer);
  }));
}

}  // namespace
}  // namespace nwbpf::evpn
