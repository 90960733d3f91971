// SPDX-License-Identifier: Apache-2.0
// nwbpf-evpnbench's pure parts: the table it advertises (every route once,
// with the attributes a reflector passes on, in UPDATEs that decode back to
// themselves) and the /proc status parsing.
#include <gtest/gtest.h>

#include <set>

#include "bgp/message.h"
#include "evpn/ext_community.h"
#include "evpn/nlri.h"
#include "evpnbench_routes.h"
#include "evpnbench_watch.h"

namespace nwbpf::evpnbench {
namespace {

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

TableSpec spec(uint32_t count) {
  return {65000, 99, count, {ip("192.168.0.10"), ip("192.168.0.11"), ip("192.168.0.12")},
          ip("10.255.255.1")};
}

// Encodes and decodes `u`; checks it comes back the same and fits.
bgp::Update round_trip(const bgp::Update& u) {
  const bgp::SessionOptions options{};
  const auto bytes = bgp::encode_message(u, options);
  EXPECT_LE(bytes.size(), bgp::kMaxMessageSize);
  auto decoded = bgp::decode_message(bytes, options);
  EXPECT_TRUE(std::holds_alternative<bgp::Message>(decoded));
  const auto& update = std::get<bgp::Update>(std::get<bgp::Message>(decoded));
  EXPECT_EQ(update, u);
  return update;
}

std::vector<evpn::Route> routes_of(const wire::Bytes& nlri) {
  auto routes = evpn::decode_routes(nlri);
  EXPECT_TRUE(routes.has_value());
  return routes.has_value() ? routes.value() : std::vector<evpn::Route>{};
}

TEST(EvpnBenchTable, MacsAreDistinctUnicastAndNeverZero) {
  EXPECT_EQ(route_mac(0).str(), "02:eb:00:00:00:01");
  EXPECT_EQ(route_mac(0x12345677).str(), "02:eb:12:34:56:78");
  EXPECT_EQ(route_mac(0xfffffffe).str(), "02:eb:ff:ff:ff:ff");
  EXPECT_FALSE(route_mac(7).is_multicast());
}

TEST(EvpnBenchTable, AnnouncesEveryRouteOnceWithReflectedAttributesThenEndOfRib) {
  const TableSpec s = spec(1000);
  const auto updates = announcements(s, {});
  ASSERT_GE(updates.size(), 2u);
  EXPECT_EQ(bgp::end_of_rib_family(round_trip(updates.back())), bgp::kL2vpnEvpn);
  const auto rt = evpn::encode_ext_community(evpn::RouteTarget::automatic(65000, 99)).value();
  const auto encap =
      evpn::encode_ext_community(evpn::Encapsulation{evpn::Encapsulation::vxlan}).value();
  std::set<Mac> macs;
  for (size_t u = 0; u + 1 < updates.size(); ++u) {
    const auto& a = round_trip(updates[u]).attributes;
    ASSERT_TRUE(a.mp_reach);
    ASSERT_EQ(a.mp_reach->next_hop.size(), 4u);
    Ipv4 vtep;
    std::memcpy(&vtep.be, a.mp_reach->next_hop.data(), 4);
    EXPECT_EQ(a.originator_id, vtep);
    EXPECT_EQ(a.cluster_list, std::vector<Ipv4>{ip("10.255.255.1")});
    EXPECT_EQ(a.local_pref, 100u);
    EXPECT_EQ(a.ext_communities, (std::vector<bgp::ExtCommunity>{rt, encap}));
    for (const auto& r : routes_of(a.mp_reach->nlri)) {
      const auto& route = std::get<evpn::MacIpRoute>(r);
      const uint32_t index = (uint32_t(route.key.mac.bytes[4]) << 8 | route.key.mac.bytes[5]) - 1;
      EXPECT_EQ(route.key.mac, route_mac(index));
      EXPECT_EQ(vtep, route_vtep(s, index)) << route.key.mac.str();
      EXPECT_EQ(route.key.rd, evpn::RouteDistinguisher::automatic(vtep, 1));
      EXPECT_EQ(route.label1, 99u);
      EXPECT_FALSE(route.key.ip);
      EXPECT_TRUE(macs.insert(route.key.mac).second) << route.key.mac.str() << " twice";
    }
  }
  EXPECT_EQ(macs.size(), 1000u);
}

TEST(EvpnBenchTable, PacksAHundredThousandRoutesIntoFullUpdates) {
  // A MAC-only type-2 NLRI is 35 octets: about 110 fit beside the attributes.
  const auto updates = announcements(spec(100000), {});
  EXPECT_LT(updates.size(), 1000u);
  EXPECT_GT(updates.size(), 800u);
}

TEST(EvpnBenchTable, WithdrawsEveryRouteOnce) {
  const auto updates = withdrawals(spec(1000), {});
  std::set<Mac> macs;
  for (const auto& u : updates) {
    const auto& a = round_trip(u).attributes;
    ASSERT_TRUE(a.mp_unreach);
    EXPECT_FALSE(a.mp_reach);
    EXPECT_FALSE(a.mp_unreach->withdrawn.empty());  // not End-of-RIB
    for (const auto& r : routes_of(a.mp_unreach->withdrawn))
      EXPECT_TRUE(macs.insert(std::get<evpn::MacIpRoute>(r).key.mac).second);
  }
  EXPECT_EQ(macs.size(), 1000u);
}

TEST(EvpnBenchTable, RefusesABadTable) {
  auto error = [](TableSpec s) {
    try {
      validate(s);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  TableSpec s = spec(10);
  s.vteps.clear();
  EXPECT_EQ(error(s), "no VTEP to advertise routes from");
  s = spec(0);
  EXPECT_EQ(error(s), "0 routes: 1..4294967294 expected");
  s = spec(10);
  s.vni = 0x1000000;
  EXPECT_EQ(error(s), "VNI 16777216 is not in 1..16777215");
  EXPECT_THROW(announcements(s, {}), std::invalid_argument);
}

TEST(EvpnBenchWatch, ReadsKibFieldsOfProcStatus) {
  const std::string status =
      "Name:\tnwbpfd\nVmHWM:\t   81234 kB\nVmRSS:\t   61234 kB\nThreads:\t1\n";
  EXPECT_EQ(status_kib(status, "VmRSS"), 61234u);
  EXPECT_EQ(status_kib(status, "VmHWM"), 81234u);
  EXPECT_EQ(status_kib(status, "VmSwap"), std::nullopt);
  EXPECT_EQ(status_kib(status, "Vm"), std::nullopt);       // a prefix is no field
  EXPECT_EQ(status_kib(status, "Threads"), std::nullopt);  // no unit
  EXPECT_EQ(status_kib("VmRSS:\t12 MB\n", "VmRSS"), std::nullopt);
  EXPECT_EQ(status_kib("VmRSS:\t12 kB", "VmRSS"), 12u);  // no final newline
}

}  // namespace
}  // namespace nwbpf::evpnbench
