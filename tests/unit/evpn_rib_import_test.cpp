// SPDX-License-Identifier: Apache-2.0
// Import in a CE: route-target filtering, remote MACs chosen by RFC 7432
// §15, type-3 flood lists, our own advertisements as candidates, and the
// diff the daemon applies.
#include "evpn/import.h"
#include "evpn_rib_test_support.h"

namespace nwbpf::evpn {
namespace {

using namespace test;

const Ipv4 kOwnVtep = v4("10.0.0.11");

Path remote_path(const Route& route, std::string_view next_hop,
                 std::vector<bgp::ExtCommunity> communities,
                 std::optional<bgp::PmsiTunnel> pmsi = std::nullopt,
                 std::string_view peer = "10.0.0.1") {
  auto info = std::make_shared<PathInfo>();
  info->attributes = vtep_attributes(next_hop, std::move(communities));
  info->attributes.pmsi_tunnel = std::move(pmsi);
  info->next_hop = v4(next_hop);
  info->sender_id = v4(peer);
  decode_views(*info);
  return Path{v4(peer), route, info};
}

BestChange added(const Path& path) { return BestChange{key_of(path.route), std::nullopt, path}; }
BestChange removed(const Path& path) { return BestChange{key_of(path.route), path, std::nullopt}; }

ImportTable table_for(std::vector<uint32_t> vnis) {
  std::vector<VniImport> imports;
  for (uint32_t vni : vnis) imports.push_back(VniImport{vni, {RouteTarget::automatic(kAs, vni)}});
  return ImportTable(imports, kOwnVtep);
}

const char* kMac = "02:00:00:00:00:01";

TEST(EvpnImport, Type2IsInstalledInTheVniOfItsRouteTarget) {
  auto table = table_for({100});
  table.apply(added(remote_path(mac_route("192.0.2.1:1", kMac, 100), "192.0.2.1", {auto_rt(100)})));
  // Another VNI's route target, and none at all: not ours.
  table.apply(added(remote_path(mac_route("192.0.2.1:2", "02:00:00:00:00:02", 200), "192.0.2.1",
                                {auto_rt(200)})));
  table.apply(added(
      remote_path(mac_route("192.0.2.1:3", "02:00:00:00:00:03", 100), "192.0.2.1", {vxlan()})));
  auto diff = table.take_diff();
  EXPECT_EQ(diff.added, std::vector{remote(100, kMac, "192.0.2.1")});
  EXPECT_TRUE(diff.changed.empty());
  EXPECT_TRUE(diff.removed.empty());
  EXPECT_EQ(table.macs(), std::vector{remote(100, kMac, "192.0.2.1")});
  EXPECT_TRUE(table.take_diff().empty());
}

TEST(EvpnImport, AConfiguredRouteTargetMayImportIntoSeveralVnis) {
  const RouteTarget shared = RouteTarget::parse("65000:1").value();
  ImportTable table({{100, {shared}}, {200, {shared}}}, kOwnVtep);
  table.apply(
      added(remote_path(mac_route("192.0.2.1:1", kMac, 100), "192.0.2.1", {community(shared)})));
  EXPECT_EQ(table.take_diff().added,
            (std::vector{remote(100, kMac, "192.0.2.1"), remote(200, kMac, "192.0.2.1")}));
  EXPECT_THROW(ImportTable({{100, {}}, {100, {}}}, kOwnVtep), std::invalid_argument);
}

TEST(EvpnImport, TheHighestSequenceThenTheLowestVtepWins) {
  auto table = table_for({100});
  auto old_home = remote_path(mac_route("192.0.2.1:1", kMac, 100), "192.0.2.1", {auto_rt(100)});
  auto new_home =
      remote_path(mac_route("192.0.2.2:1", kMac, 100), "192.0.2.2", {auto_rt(100), sequence(1)});
  table.apply(added(old_home));
  table.take_diff();
  table.apply(added(new_home));
  auto diff = table.take_diff();
  EXPECT_EQ(diff.changed, std::vector{remote(100, kMac, "192.0.2.2", 1)});
  // The old home withdraws: nothing to change.
  table.apply(removed(old_home));
  EXPECT_TRUE(table.take_diff().empty());
  // Equal sequences: the lower VTEP (RFC 7432 §15.1).
  table.apply(added(
      remote_path(mac_route("192.0.2.1:1", kMac, 100), "192.0.2.1", {auto_rt(100), sequence(1)})));
  EXPECT_EQ(table.take_diff().changed, std::vector{remote(100, kMac, "192.0.2.1", 1)});
  table.apply(removed(new_home));
  table.apply(removed(
      remote_path(mac_route("192.0.2.1:1", kMac, 100), "192.0.2.1", {auto_rt(100), sequence(1)})));
  auto gone = table.take_diff();
  EXPECT_EQ(gone.removed, (std::vector{MacKey{100, mac(kMac)}}));
  EXPECT_TRUE(table.macs().empty());
}

TEST(EvpnImport, TheSameRouteFromASecondReflectorChangesNothing) {
  auto table = table_for({100});
  auto route = mac_route("192.0.2.1:1", kMac, 100);
  auto via_rr1 = remote_path(route, "192.0.2.1", {auto_rt(100)}, std::nullopt, "10.0.0.1");
  auto via_rr2 = remote_path(route, "192.0.2.1", {auto_rt(100)}, std::nullopt, "10.0.0.2");
  table.apply(added(via_rr1));
  table.take_diff();
  table.apply(BestChange{key_of(route), via_rr1, via_rr2});  // RR1 withdrew
  EXPECT_TRUE(table.take_diff().empty());
  EXPECT_EQ(table.macs(), std::vector{remote(100, kMac, "192.0.2.1")});
}

TEST(EvpnImport, Type3JoinsTheFloodListByPmsiOrNextHop) {
  auto table = table_for({100, 200});
  table.apply(added(remote_path(multicast_route("192.0.2.1:1", "192.0.2.1"), "192.0.2.1",
                                {auto_rt(100)}, bgp::PmsiTunnel{0, 6, 100, address("192.0.2.7")})));
  table.apply(
      added(remote_path(multicast_route("192.0.2.2:1", "192.0.2.2"), "192.0.2.2", {auto_rt(100)})));
  // Not installed: a tunnel type other than ingress replication, our own VTEP.
  table.apply(added(remote_path(multicast_route("192.0.2.3:1", "192.0.2.3"), "192.0.2.3",
                                {auto_rt(200)}, bgp::PmsiTunnel{0, 3, 200, address("192.0.2.3")})));
  table.apply(
      added(remote_path(multicast_route("10.0.0.11:1", "10.0.0.11"), "10.0.0.11", {auto_rt(200)})));
  auto diff = table.take_diff();
  EXPECT_EQ(diff.flood_added,
            (std::vector{FloodMember{100, v4("192.0.2.2")}, FloodMember{100, v4("192.0.2.7")}}));
  EXPECT_TRUE(diff.flood_removed.empty());
}

TEST(EvpnImport, AFloodMemberStaysWhileARouteNamesIt) {
  auto table = table_for({100});
  auto first =
      remote_path(multicast_route("192.0.2.1:1", "192.0.2.1"), "192.0.2.1", {auto_rt(100)});
  auto second =
      remote_path(multicast_route("192.0.2.1:9", "192.0.2.1"), "192.0.2.1", {auto_rt(100)});
  table.apply(added(first));
  table.apply(added(second));
  EXPECT_EQ(table.take_diff().flood_added, (std::vector{FloodMember{100, v4("192.0.2.1")}}));
  table.apply(removed(first));
  EXPECT_TRUE(table.take_diff().empty());
  table.apply(removed(second));
  EXPECT_EQ(table.take_diff().flood_removed, (std::vector{FloodMember{100, v4("192.0.2.1")}}));
  EXPECT_TRUE(table.flood().empty());
}

TEST(EvpnImport, OtherTypesAndNonIpv4NextHopsAreNotInstalled) {
  auto table = table_for({100});
  table.apply(added(remote_path(EthernetAdRoute{{rd("192.0.2.1:1"), Esi{}, 0}, 100}, "192.0.2.1",
                                {auto_rt(100)})));
  table.apply(added(remote_path(
      IpPrefixRoute{{rd("192.0.2.1:1"), 0, 24, v4("198.51.100.0")}, Esi{}, v4("0.0.0.0"), 100},
      "192.0.2.1", {auto_rt(100)})));
  auto v6 = remote_path(mac_route("192.0.2.1:1", kMac, 100), "192.0.2.1", {auto_rt(100)});
  auto info = std::make_shared<PathInfo>(*v6.info);
  info->next_hop.reset();
  v6.info = info;
  table.apply(added(v6));
  EXPECT_TRUE(table.take_diff().empty());
}

TEST(EvpnImport, OurOwnAdvertisementIsACandidate) {
  auto table = table_for({100});
  const MacKey key{100, mac(kMac)};
  table.set_local(key, 0);
  // A remote route with the same sequence from a lower VTEP beats ours.
  table.apply(added(remote_path(mac_route("10.0.0.5:1", kMac, 100), "10.0.0.5", {auto_rt(100)})));
  EXPECT_EQ(table.take_local_losses(), std::vector{remote(100, kMac, "10.0.0.5")});
  table.set_local(key, std::nullopt);
  EXPECT_EQ(table.take_diff().added, std::vector{remote(100, kMac, "10.0.0.5")});

  // We learn it again with sequence 1: ours wins and the remote goes.
  table.set_local(key, 1);
  EXPECT_TRUE(table.take_local_losses().empty());
  EXPECT_EQ(table.take_diff().removed, std::vector{key});
  EXPECT_EQ(table.best_remote(key), remote(100, kMac, "10.0.0.5"));
  EXPECT_TRUE(table.macs().empty());
}

}  // namespace
}  // namespace nwbpf::evpn
