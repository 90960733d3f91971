// SPDX-License-Identifier: Apache-2.0
// Graceful restart, the restarting side: the EVPN state read back from the
// maps a previous nwbpfd filled, merged under the new speaker's imports
// until every route reflector has sent its End-of-RIB.
#include <gtest/gtest.h>

#include "daemon/desired_state.h"
#include "daemon/evpn_preserved.h"
#include "daemon_test_config.h"

namespace nwbpf::daemon {
namespace {

using test::ce_config;
using test::ce_links;
using test::ip;
using test::mac;

template <typename Table>
auto as_entries(const Table& table) {
  return std::vector<std::pair<typename Table::key_type, typename Table::mapped_type>>(
      table.begin(), table.end());
}

EvpnInstall imports() {
  EvpnInstall evpn;
  evpn.macs[{99, mac("02:00:00:00:00:07")}] = ip("10.0.0.2");          // a [[peer]]
  evpn.macs[{99, mac("02:00:00:00:00:08")}] = ip("192.0.2.50");        // an underlay VTEP
  evpn.flood[99] = {ip("10.0.0.2"), ip("192.0.2.50")};
  evpn.flood[20] = {ip("192.0.2.50")};
  return evpn;
}

TEST(EvpnPreserved, TheMapsGiveBackWhatTheSpeakerInstalledWithoutTheStaticTables) {
  Config c = ce_config();
  c.flood.push_back(FloodConfig{20, {ip("10.0.0.3")}, "x:1:1"});
  auto d = compute_desired(c, ce_links(), {}, imports());
  EvpnInstall back = preserved_evpn_state(as_entries(d.fdb), as_entries(d.flood), c);
  EXPECT_EQ(back.macs, imports().macs) << "static and learned entries are not EVPN's";
  // ce_config's [[flood]] VTEPs stay the config's; the type-3 ones come back.
  EXPECT_EQ(back.flood.at(99), (std::set<Ipv4>{ip("192.0.2.50")}));
  EXPECT_EQ(back.flood.at(20), (std::set<Ipv4>{ip("192.0.2.50")}));
}

TEST(EvpnPreserved, NoEvpnStateIsAnEmptyInstall) {
  auto d = compute_desired(ce_config(), ce_links(), {}, {});
  EXPECT_TRUE(preserved_evpn_state(as_entries(d.fdb), as_entries(d.flood), ce_config()).empty());
}

TEST(EvpnPreserved, TheSpeakersRoutesWinAndFloodListsJoin) {
  EvpnInstall preserved = imports();
  EvpnInstall live;
  live.macs[{99, mac("02:00:00:00:00:07")}] = ip("10.0.0.3");  // moved meanwhile
  live.flood[99] = {ip("10.0.0.3")};
  EvpnInstall merged = merge_installs(preserved, live);
  EXPECT_EQ(merged.macs.at({99, mac("02:00:00:00:00:07")}), ip("10.0.0.3"));
  EXPECT_EQ(merged.macs.at({99, mac("02:00:00:00:00:08")}), ip("192.0.2.50"));
  EXPECT_EQ(merged.flood.at(99), (std::set<Ipv4>{ip("10.0.0.2"), ip("10.0.0.3"), ip("192.0.2.50")}));
}

bgp::PeerStatus session(const char* address, bool dynamic = false) {
  bgp::PeerStatus s;
  s.address = ip(address);
  s.dynamic = dynamic;
  return s;
}

evpn::PeerView rib_peer(const char* address, bool established, bool end_of_rib) {
  evpn::PeerView p;
  p.address = ip(address);
  p.established = established;
  p.end_of_rib_received = end_of_rib;
  return p;
}

TEST(EvpnPreserved, SyncedOnceEveryConfiguredPeerSentEndOfRib) {
  const std::vector sessions{session("192.168.0.10"), session("192.168.0.11")};
  EXPECT_FALSE(evpn_synced(sessions, {}));
  EXPECT_FALSE(evpn_synced(sessions, {rib_peer("192.168.0.10", true, true)}));
  EXPECT_FALSE(evpn_synced(sessions, {rib_peer("192.168.0.10", true, true),
                                      rib_peer("192.168.0.11", true, false)}));
  EXPECT_FALSE(evpn_synced(sessions, {rib_peer("192.168.0.10", true, true),
                                      rib_peer("192.168.0.11", false, true)}))
      << "down again";
  EXPECT_TRUE(evpn_synced(sessions, {rib_peer("192.168.0.10", true, true),
                                     rib_peer("192.168.0.11", true, true)}));
  // Listen-range peers come and go: a route server waits for none.
  EXPECT_TRUE(evpn_synced({session("192.168.0.5", true)}, {}));
  EXPECT_TRUE(evpn_synced({}, {}));
}

}  // namespace
}  // namespace nwbpf::daemon
