// SPDX-License-Identifier: Apache-2.0
// The reconciler's diff against std::map-backed maps that log every write,
// so "only what changed is written" is checked key by key. The same code
// against the kernel's maps runs in the netns tests.
#include <gtest/gtest.h>
#include <linux/neighbour.h>

#include "daemon/desired_state.h"
#include "daemon/reconciler.h"
#include "daemon_test_config.h"

namespace nwbpf::daemon {
namespace {

using test::ce_config;
using test::ce_links;
using test::ip;

// One write to one of the maps: ("ports", "update") ...
using Op = std::pair<std::string, std::string>;

template <typename K, typename V>
class MemMap {
 public:
  MemMap(std::string name, std::vector<Op>& log) : name_(std::move(name)), log_(log) {}
  std::vector<std::pair<K, V>> entries() const { return {data.begin(), data.end()}; }
  void update(const K& key, const V& value) {
    data[key] = value;
    updated.push_back(key);
    log_.emplace_back(name_, "update");
  }
  bool erase(const K& key) {
    erased.push_back(key);
    log_.emplace_back(name_, "erase");
    return data.erase(key) > 0;
  }
  void clear_log() {
    updated.clear();
    erased.clear();
  }

  Table<K, V> data;
  std::vector<K> updated, erased;

 private:
  std::string name_;
  std::vector<Op>& log_;
};

// The reconciler-owned maps, with the member names of DatapathMaps.
struct MemMaps {
  std::vector<Op> log;
  MemMap<__u32, nwbpf_settings> settings{"settings", log};
  MemMap<__u32, nwbpf_port> ports{"ports", log};
  MemMap<__u32, nwbpf_vlan_ports> vlan_ports{"vlan_ports", log};
  MemMap<__be32, nwbpf_peer> peers{"peers", log};
  MemMap<nwbpf_peer_nbma_key, nwbpf_peer_nbma> peer_nbma{"peer_nbma", log};
  MemMap<__be32, nwbpf_nexthop> nexthops{"nexthops", log};
  MemMap<__u32, nwbpf_flood> flood{"flood", log};
  MemMap<nwbpf_fdb_key, nwbpf_fdb_entry> fdb{"fdb", log};

  void clear_logs() {
    log.clear();
    settings.clear_log();
    ports.clear_log();
    vlan_ports.clear_log();
    peers.clear_log();
    peer_nbma.clear_log();
    nexthops.clear_log();
    flood.clear_log();
    fdb.clear_log();
  }
};

Config with_static_fdb() {
  Config c = ce_config();
  c.fdb = {
      StaticFdbConfig{99, test::mac("02:00:00:00:00:01"), "vetha", std::nullopt, "x:1:1"},
      StaticFdbConfig{99, test::mac("02:00:00:00:00:02"), std::nullopt, ip("10.0.0.3"), "x:2:1"}};
  return c;
}

TEST(SyncMaps, FillsEmptyMaps) {
  MemMaps maps;
  auto want = compute_desired(with_static_fdb(), ce_links());
  MapChanges c = sync_maps(maps, want);
  MapChanges expected{{"settings", {1, 0}},  {"ports", {3, 0}},      {"peers", {2, 0}},
                      {"peer_nbma", {2, 0}}, {"vlan_ports", {3, 0}}, {"flood", {1, 0}},
                      {"fdb", {2, 0}}};
  EXPECT_EQ(c, expected);
  EXPECT_EQ(maps.ports.data.size(), 3u);
  EXPECT_TRUE(same_bytes(maps.ports.data.at(10), want.ports.at(10)));
}

TEST(SyncMaps, SecondPassWritesNothing) {
  MemMaps maps;
  auto want = compute_desired(with_static_fdb(), ce_links());
  sync_maps(maps, want);
  maps.clear_logs();
  EXPECT_TRUE(sync_maps(maps, compute_desired(with_static_fdb(), ce_links())).empty());
  EXPECT_TRUE(maps.log.empty());
}

TEST(SyncMaps, ChangingOnePortTouchesOnlyThatPortsEntries) {
  MemMaps maps;
  Config c = with_static_fdb();
  sync_maps(maps, compute_desired(c, ce_links()));
  maps.clear_logs();

  c.ports[1].vlans = {10, 30};  // vethb: VLAN 20 out, 30 in
  MapChanges changes = sync_maps(maps, compute_desired(c, ce_links()));
  MapChanges expected{{"ports", {1, 0}}, {"vlan_ports", {1, 1}}};
  EXPECT_EQ(changes, expected);
  EXPECT_EQ(maps.ports.updated, std::vector<__u32>{11});
  EXPECT_EQ(maps.vlan_ports.updated, std::vector<__u32>{30});
  EXPECT_EQ(maps.vlan_ports.erased, std::vector<__u32>{20});
  EXPECT_TRUE(maps.settings.updated.empty());
  EXPECT_TRUE(maps.fdb.updated.empty());
  EXPECT_TRUE(maps.peers.updated.empty());
}

TEST(SyncMaps, RemovedPeerIsDeletedEverywhereItWasNamed) {
  MemMaps maps;
  Config c = with_static_fdb();
  sync_maps(maps, compute_desired(c, ce_links()));
  maps.clear_logs();

  c.peers.pop_back();  // 10.0.0.3
  c.flood[0].vteps = {ip("10.0.0.2")};
  c.fdb.pop_back();  // the entry behind 10.0.0.3
  MapChanges changes = sync_maps(maps, compute_desired(c, ce_links()));
  MapChanges expected{{"peers", {0, 1}}, {"peer_nbma", {0, 1}}, {"flood", {1, 0}}, {"fdb", {0, 1}}};
  EXPECT_EQ(changes, expected);
  EXPECT_EQ(maps.peers.erased, std::vector<__be32>{ip("10.0.0.3").be});
  EXPECT_EQ(maps.flood.data.at(99).count, 1u);
}

TEST(SyncMaps, TheDataPlanesUsedMarkIsNotTheReconcilersToClear) {
  MemMaps maps;
  NhrpInstall nhrp;
  nhrp.peers[ip("10.0.0.7")] = NhrpBinding{ip("198.51.100.7"), 1};
  sync_maps(maps, compute_desired(ce_config(), ce_links(), {}, {}, nhrp));
  maps.peers.data.at(ip("10.0.0.7").be).flags |= NWBPF_PEER_USED;  // as BPF does
  maps.peers.data.at(ip("10.0.0.2").be).flags |= NWBPF_PEER_USED;
  maps.clear_logs();

  EXPECT_TRUE(sync_maps(maps, compute_desired(ce_config(), ce_links(), {}, {}, nhrp)).empty());
  EXPECT_EQ(maps.peers.data.at(ip("10.0.0.7").be).flags, NWBPF_PEER_USED);

  // The shortcut refresh: a new epoch rewrites the entry, which clears it.
  nhrp.peers[ip("10.0.0.7")].epoch = 2;
  MapChanges changes = sync_maps(maps, compute_desired(ce_config(), ce_links(), {}, {}, nhrp));
  EXPECT_EQ(changes, (MapChanges{{"peers", {1, 0}}}));
  EXPECT_EQ(maps.peers.updated, std::vector<__be32>{ip("10.0.0.7").be});
  EXPECT_EQ(maps.peers.data.at(ip("10.0.0.7").be).flags, 0);
  EXPECT_EQ(maps.peers.data.at(ip("10.0.0.7").be).epoch, 2);
  EXPECT_EQ(maps.peers.data.at(ip("10.0.0.2").be).flags, NWBPF_PEER_USED) << "left alone";
}

// A NAT peer's port is BPF's (learned from its frames): not a difference
// to undo, and kept when the entry is rewritten for the same address.
TEST(SyncMaps, ANatPeersLearnedPortSurvivesTheReconciler) {
  MemMaps maps;
  NhrpInstall nhrp;
  nhrp.peers[ip("10.0.0.7")] = NhrpBinding{ip("198.51.100.7"), 1, true};
  sync_maps(maps, compute_desired(ce_config(), ce_links(), {}, {}, nhrp));
  nwbpf_peer& entry = maps.peers.data.at(ip("10.0.0.7").be);
  EXPECT_EQ(entry.flags, NWBPF_PEER_NAT);
  EXPECT_EQ(entry.nbma_port, 0) << "not learned yet";
  entry.nbma_port = htons(23456);  // as BPF does
  entry.flags |= NWBPF_PEER_USED;
  maps.clear_logs();

  EXPECT_TRUE(sync_maps(maps, compute_desired(ce_config(), ce_links(), {}, {}, nhrp)).empty());

  nhrp.peers[ip("10.0.0.7")].epoch = 2;  // the shortcut refresh
  sync_maps(maps, compute_desired(ce_config(), ce_links(), {}, {}, nhrp));
  const nwbpf_peer& refreshed = maps.peers.data.at(ip("10.0.0.7").be);
  EXPECT_EQ(refreshed.nbma_port, htons(23456));
  EXPECT_EQ(refreshed.flags, NWBPF_PEER_NAT) << "the used mark is cleared, the port kept";

  nhrp.peers[ip("10.0.0.7")] = NhrpBinding{ip("198.51.100.8"), 3, true};  // moved
  sync_maps(maps, compute_desired(ce_config(), ce_links(), {}, {}, nhrp));
  EXPECT_EQ(maps.peers.data.at(ip("10.0.0.7").be).nbma_port, 0) << "another address: learned again";

  nhrp.peers[ip("10.0.0.7")] = NhrpBinding{ip("198.51.100.8"), 3, false};  // no NAT any more
  maps.peers.data.at(ip("10.0.0.7").be).nbma_port = htons(23456);
  sync_maps(maps, compute_desired(ce_config(), ce_links(), {}, {}, nhrp));
  EXPECT_EQ(maps.peers.data.at(ip("10.0.0.7").be).nbma_port, 0);
  EXPECT_EQ(maps.peers.data.at(ip("10.0.0.7").be).flags, 0);
}

TEST(SyncMaps, WritesInDependencyOrderAndDeletesInReverse) {
  MemMaps maps;
  Config c = with_static_fdb();
  sync_maps(maps, compute_desired(c, ce_links()));
  maps.clear_logs();

  // Swap most of the config: new port (VLAN 20's list changes), new peer,
  // new flood list and FDB entry; the old ones go. The WAN stays.
  Config next = ce_config();
  next.ports = {test::port("vethc", false, {20})};
  next.peers = {PeerConfig{ip("10.0.0.4"), ip("192.168.0.4"), "x:3:1"}};
  next.flood = {FloodConfig{20, {ip("10.0.0.4")}, "x:4:1"}};
  next.fdb = {
      StaticFdbConfig{20, test::mac("02:00:00:00:00:03"), std::nullopt, ip("10.0.0.4"), "x:5:1"}};
  auto links = ce_links();
  links["vethc"] = test::link(12);
  sync_maps(maps, compute_desired(next, links));

  std::vector<Op> expected{
      {"ports", "update"},      {"peers", "update"},     {"peer_nbma", "update"},
      {"vlan_ports", "update"}, {"flood", "update"},     {"fdb", "update"},
      {"fdb", "erase"},         {"fdb", "erase"},        {"flood", "erase"},
      {"vlan_ports", "erase"},  {"vlan_ports", "erase"}, {"peer_nbma", "erase"},
      {"peer_nbma", "erase"},   {"peers", "erase"},      {"peers", "erase"},
      {"ports", "erase"},       {"ports", "erase"}};
  EXPECT_EQ(maps.log, expected);
}

TEST(SyncMaps, RewritesAnEntrySomeoneElseChanged) {
  MemMaps maps;
  auto want = compute_desired(ce_config(), ce_links());
  sync_maps(maps, want);
  maps.ports.data[10].pvid = 1;  // e.g. left by an older agent
  maps.fdb.data[nwbpf_fdb_key{.vni = 5, .mac = {2}, .pad = 0}] = nwbpf_fdb_entry{};  // stale
  maps.clear_logs();
  MapChanges expected{{"ports", {1, 0}}, {"fdb", {0, 1}}};
  EXPECT_EQ(sync_maps(maps, want), expected);
  EXPECT_EQ(maps.ports.data.at(10).pvid, 99);
  EXPECT_TRUE(maps.fdb.data.empty());
}

// Both peers on-link with reachable neighbours.
NextHopSnapshot resolved_peers() {
  NextHopSnapshot facts;
  for (const char* nbma : {"192.168.0.2", "192.168.0.3"})
    facts[ip(nbma)] = {netlink::Route{2, std::nullopt, false},
                       netlink::Neighbour{test::mac("02:00:00:00:00:99"), NUD_REACHABLE}, ""};
  return facts;
}

TEST(SyncMaps, NextHopsAreWrittenBeforeThePeersAndDeletedAfterThem) {
  MemMaps maps;
  sync_maps(maps, compute_desired(ce_config(), ce_links(), resolved_peers()));
  EXPECT_EQ(maps.nexthops.data.size(), 2u);
  std::vector<Op> expected{{"settings", "update"}, {"ports", "update"},    {"ports", "update"},
                           {"ports", "update"},    {"nexthops", "update"}, {"nexthops", "update"},
                           {"peers", "update"},    {"peers", "update"}};
  ASSERT_GE(maps.log.size(), expected.size());
  EXPECT_EQ(std::vector<Op>(maps.log.begin(), maps.log.begin() + expected.size()), expected);
  maps.clear_logs();

  Config c = ce_config();
  c.peers.pop_back();  // 10.0.0.3 at 192.168.0.3
  c.flood[0].vteps.pop_back();
  sync_maps(maps, compute_desired(c, ce_links(), resolved_peers()));
  expected = {
      {"flood", "update"}, {"peer_nbma", "erase"}, {"peers", "erase"}, {"nexthops", "erase"}};
  EXPECT_EQ(maps.log, expected);
  EXPECT_EQ(maps.nexthops.erased, std::vector<__be32>{ip("192.168.0.3").be});
}

TEST(SyncNextHops, TouchesOnlyTheNextHopMap) {
  MemMaps maps;
  Config c = ce_config();
  sync_maps(maps, compute_desired(c, ce_links()));
  maps.clear_logs();
  NextHopSnapshot facts = resolved_peers();
  EXPECT_EQ(sync_nexthops(maps, compute_desired(c, ce_links(), facts)), (SyncCount{2, 0}));
  facts[ip("192.168.0.2")].neighbour->mac = test::mac("02:00:00:00:00:98");  // a new MAC
  facts.erase(ip("192.168.0.3"));                                            // not known now
  EXPECT_EQ(sync_nexthops(maps, compute_desired(c, ce_links(), facts)), (SyncCount{1, 1}));
  EXPECT_EQ(maps.nexthops.data.at(ip("192.168.0.2").be).dmac[5], 0x98);
  for (const auto& [map, op] : maps.log) EXPECT_EQ(map, "nexthops");
  EXPECT_EQ(sync_nexthops(maps, compute_desired(c, ce_links(), facts)), (SyncCount{0, 0}));
}

TEST(PlanHooks, AttachesNewDetachesStaleAndReplacesOnRoleChange) {
  HookSet attached{{{10, Hook::xdp}, NWBPF_PORT_EDGE},
                   {{10, Hook::tc_ingress}, NWBPF_PORT_EDGE},
                   {{2, Hook::tc_ingress}, NWBPF_PORT_EDGE}};
  HookSet desired{{{10, Hook::tc_ingress}, NWBPF_PORT_EDGE},
                  {{2, Hook::tc_ingress}, NWBPF_PORT_WAN},
                  {{11, Hook::tc_ingress}, NWBPF_PORT_EDGE}};
  HookPlan plan = plan_hooks(attached, desired);
  std::vector<std::pair<HookKey, nwbpf_port_role>> attach{
      {{2, Hook::tc_ingress}, NWBPF_PORT_WAN}, {{11, Hook::tc_ingress}, NWBPF_PORT_EDGE}};
  EXPECT_EQ(plan.attach, attach);
  EXPECT_EQ(plan.detach, (std::vector<HookKey>{{10, Hook::xdp}}));
}

TEST(PlanHooks, NothingToDoWhenInStep) {
  auto want = compute_desired(ce_config(), ce_links());
  HookPlan plan = plan_hooks(want.hooks, want.hooks);
  EXPECT_TRUE(plan.attach.empty());
  EXPECT_TRUE(plan.detach.empty());
}

TEST(PlanHooks, AfterRestartEveryHookIsReattachedAndUnwantedOnesCleared) {
  // Restarted in tc mode after running in xdp mode: the XDP programs an
  // earlier run left must go, the TC ones are replaced by this run's.
  Config c = ce_config();
  c.dataplane.mode = DataplaneMode::tc;
  auto links = ce_links();
  HookPlan plan = plan_hooks(possibly_attached(links), compute_desired(c, links).hooks);
  EXPECT_EQ(plan.attach.size(), 3u);
  EXPECT_EQ(plan.detach, (std::vector<HookKey>{{2, Hook::xdp}, {10, Hook::xdp}, {11, Hook::xdp}}));
}

}  // namespace
}  // namespace nwbpf::daemon
