// SPDX-License-Identifier: Apache-2.0
// The EVPN speaker's imports merged into the desired state with the static
// tables (daemon/evpn_install.h).
#include <gtest/gtest.h>

#include "daemon/desired_state.h"
#include "daemon_test_config.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {
namespace {

using test::ce_config;
using test::ce_links;
using test::ip;
using test::mac;

nwbpf_fdb_key key(uint32_t vni, const char* m) {
  nwbpf_fdb_key k{};
  k.vni = vni;
  Mac a = mac(m);
  std::copy(a.bytes.begin(), a.bytes.end(), k.mac);
  return k;
}

std::vector<Ipv4> flood_of(const DesiredState& d, uint32_t vni) {
  const nwbpf_flood& f = d.flood.at(vni);
  std::vector<Ipv4> out;
  for (__u32 i = 0; i < f.count; ++i) out.push_back(Ipv4{f.vtep[i]});
  return out;
}

TEST(DesiredEvpn, Type2MacsBecomeRemoteEntriesOfOriginEvpn) {
  EvpnInstall evpn;
  evpn.macs[{99, mac("02:00:00:00:00:07")}] = ip("10.0.0.2");
  auto d = compute_desired(ce_config(), ce_links(), {}, evpn);
  const nwbpf_fdb_entry& e = d.fdb.at(key(99, "02:00:00:00:00:07"));
  EXPECT_EQ(e.kind, NWBPF_FDB_REMOTE);
  EXPECT_EQ(e.origin, NWBPF_ORIGIN_EVPN);
  EXPECT_EQ(e.vtep, ip("10.0.0.2").be);
}

TEST(DesiredEvpn, AStaticEntryWinsOverAType2Route) {
  Config c = ce_config();
  c.fdb = {StaticFdbConfig{99, mac("02:00:00:00:00:07"), std::nullopt, ip("10.0.0.3"), "ce.toml:40:1"}};
  EvpnInstall evpn;
  evpn.macs[{99, mac("02:00:00:00:00:07")}] = ip("10.0.0.2");
  auto d = compute_desired(c, ce_links(), {}, evpn);
  const nwbpf_fdb_entry& e = d.fdb.at(key(99, "02:00:00:00:00:07"));
  EXPECT_EQ(e.origin, NWBPF_ORIGIN_STATIC);
  EXPECT_EQ(e.vtep, ip("10.0.0.3").be);
}

TEST(DesiredEvpn, FloodListsAreTheStaticVtepsThenTheType3Ones) {
  EvpnInstall evpn;
  evpn.flood[99] = {ip("10.0.0.3"), ip("10.0.0.9")};  // .3 is listed in [[flood]] already
  evpn.flood[10] = {ip("10.0.0.2")};
  auto d = compute_desired(ce_config(), ce_links(), {}, evpn);
  EXPECT_EQ(flood_of(d, 99), (std::vector<Ipv4>{ip("10.0.0.2"), ip("10.0.0.3"), ip("10.0.0.9")}));
  EXPECT_EQ(flood_of(d, 10), (std::vector<Ipv4>{ip("10.0.0.2")}));
}

TEST(DesiredEvpn, AVtepNoPeerNamesIsAnUnderlayAddressUsedAsIs) {
  EvpnInstall evpn;
  evpn.macs[{99, mac("02:00:00:00:00:07")}] = ip("192.168.5.5");
  evpn.flood[99] = {ip("192.168.5.6")};
  auto d = compute_desired(ce_config(), ce_links(), {}, evpn);
  for (const char* vtep : {"192.168.5.5", "192.168.5.6"}) {
    const nwbpf_peer& p = d.peers.at(ip(vtep).be);
    EXPECT_EQ(p.overlay, ip(vtep).be);
    EXPECT_EQ(p.nbma, ip(vtep).be) << vtep;
    EXPECT_TRUE(d.peer_nbma.contains(nwbpf_peer_nbma_key{ip(vtep).be}));
  }
  // A VTEP a [[peer]] names keeps that peer's NBMA address.
  EXPECT_EQ(d.peers.at(ip("10.0.0.2").be).nbma, ip("192.168.0.2").be);
  auto nbmas = peer_nbmas(d);
  EXPECT_EQ(nbmas, (std::vector<Ipv4>{ip("192.168.0.2"), ip("192.168.0.3"), ip("192.168.5.5"),
                                      ip("192.168.5.6")}));
}

TEST(DesiredEvpn, NothingImportedLeavesTheStaticStateAsItWas) {
  auto plain = compute_desired(ce_config(), ce_links());
  auto with = compute_desired(ce_config(), ce_links(), {}, EvpnInstall{});
  EXPECT_EQ(plain.fdb.size(), with.fdb.size());
  EXPECT_EQ(plain.peers.size(), with.peers.size());
  EXPECT_EQ(flood_of(plain, 99), flood_of(with, 99));
}

}  // namespace
}  // namespace nwbpf::daemon
