// SPDX-License-Identifier: Apache-2.0
// The RIB: paths per peer, best-path changes netted per batch, stale paths
// (RFC 4724 §4.2) and whole peers leaving.
#include "evpn/rib.h"
#include "evpn_rib_test_support.h"

namespace nwbpf::evpn {
namespace {

using namespace test;

std::shared_ptr<const PathInfo> info_from(std::string_view router_id, uint32_t local_pref = 100) {
  auto info = std::make_shared<PathInfo>();
  info->attributes = vtep_attributes("192.0.2.1", {auto_rt(100)});
  info->attributes.local_pref = local_pref;
  info->next_hop = v4("192.0.2.1");
  info->sender_id = v4(router_id);
  decode_views(*info);
  return info;
}

Path path(std::string_view peer, std::string_view mac_text, uint32_t local_pref = 100) {
  return Path{v4(peer), mac_route("192.0.2.1:1", mac_text, 100), info_from(peer, local_pref)};
}

RouteKey key(std::string_view mac_text) { return key_of(mac_route("192.0.2.1:1", mac_text, 100)); }

const char* kMac = "02:00:00:00:00:01";

TEST(EvpnRib, FirstPathIsAChangeFromNothing) {
  Rib rib;
  rib.update(path("10.0.0.1", kMac));
  auto changes = rib.take_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].key, key(kMac));
  EXPECT_FALSE(changes[0].before);
  ASSERT_TRUE(changes[0].after);
  EXPECT_EQ(changes[0].after->peer, v4("10.0.0.1"));
  EXPECT_TRUE(rib.take_changes().empty());
}

TEST(EvpnRib, AnnouncedAndWithdrawnInOneBatchIsNoChange) {
  Rib rib;
  rib.update(path("10.0.0.1", kMac));
  rib.withdraw(v4("10.0.0.1"), key(kMac));
  EXPECT_TRUE(rib.take_changes().empty());
  EXPECT_EQ(rib.size(), 0u);
  EXPECT_EQ(rib.path_count(v4("10.0.0.1")), 0u);
}

TEST(EvpnRib, ASecondWorsePathChangesNothingABetterOneDoes) {
  Rib rib;
  rib.update(path("10.0.0.1", kMac));
  rib.take_changes();
  rib.update(path("10.0.0.2", kMac));  // loses on the router id
  EXPECT_TRUE(rib.take_changes().empty());
  rib.update(path("10.0.0.3", kMac, 200));
  auto changes = rib.take_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].before->peer, v4("10.0.0.1"));
  EXPECT_EQ(changes[0].after->peer, v4("10.0.0.3"));
  EXPECT_EQ(rib.size(), 1u);
}

TEST(EvpnRib, WithdrawingTheBestFallsBackToTheOtherPath) {
  Rib rib;
  rib.update(path("10.0.0.1", kMac));
  rib.update(path("10.0.0.2", kMac));
  rib.take_changes();
  rib.withdraw(v4("10.0.0.1"), key(kMac));
  auto changes = rib.take_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].before->peer, v4("10.0.0.1"));
  EXPECT_EQ(changes[0].after->peer, v4("10.0.0.2"));
  // A withdrawal of what the peer does not have is nothing.
  rib.withdraw(v4("10.0.0.1"), key(kMac));
  rib.withdraw(v4("10.0.0.2"), key("02:00:00:00:00:99"));
  EXPECT_TRUE(rib.take_changes().empty());
}

TEST(EvpnRib, TheSameAdvertisementAgainIsNoChange) {
  Rib rib;
  rib.update(path("10.0.0.1", kMac));
  rib.take_changes();
  rib.update(path("10.0.0.1", kMac));  // new PathInfo, equal content
  EXPECT_TRUE(rib.take_changes().empty());
  rib.update(path("10.0.0.1", kMac, 50));  // new attributes
  EXPECT_EQ(rib.take_changes().size(), 1u);
}

TEST(EvpnRib, StalePathsAreKeptRefreshedAndRemoved) {
  Rib rib;
  rib.update(path("10.0.0.1", kMac));
  rib.update(path("10.0.0.1", "02:00:00:00:00:02"));
  rib.update(path("10.0.0.2", kMac));
  rib.take_changes();
  EXPECT_EQ(rib.mark_stale(v4("10.0.0.1")), 2u);
  EXPECT_EQ(rib.stale_count(v4("10.0.0.1")), 2u);
  EXPECT_TRUE(rib.best(key(kMac))->stale);
  EXPECT_TRUE(rib.take_changes().empty());  // stale paths are still used

  rib.update(path("10.0.0.1", kMac));  // refreshed after the restart
  EXPECT_EQ(rib.stale_count(v4("10.0.0.1")), 1u);
  EXPECT_FALSE(rib.best(key(kMac))->stale);
  rib.remove_stale(v4("10.0.0.1"));
  auto changes = rib.take_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].key, key("02:00:00:00:00:02"));
  EXPECT_FALSE(changes[0].after);
  EXPECT_EQ(rib.path_count(v4("10.0.0.1")), 1u);
}

TEST(EvpnRib, RemovingAPeerLeavesTheOthers) {
  Rib rib;
  for (auto mac_text : {"02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"})
    rib.update(path("10.0.0.1", mac_text));
  rib.update(path("10.0.0.2", kMac));
  rib.take_changes();
  rib.remove_peer(v4("10.0.0.1"));
  auto changes = rib.take_changes();
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].after->peer, v4("10.0.0.2"));  // kMac falls back
  EXPECT_FALSE(changes[1].after);
  EXPECT_FALSE(changes[2].after);
  EXPECT_EQ(rib.size(), 1u);
  EXPECT_EQ(rib.path_count(v4("10.0.0.1")), 0u);
  EXPECT_EQ(rib.path_count(v4("10.0.0.2")), 1u);
}

}  // namespace
}  // namespace nwbpf::evpn
