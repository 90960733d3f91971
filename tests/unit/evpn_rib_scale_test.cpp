// SPDX-License-Identifier: Apache-2.0
// 100,000 type-2 routes from one reflector through the whole pure path:
// received in UPDATEs as a reflector packs them, installed, counted,
// withdrawn. It times nothing (the benchmark does); it shows the RIB and
// import are right at that size, which per-route O(log n) work makes quick.
#include "evpn/update_packer.h"
#include "evpn_rib_test_support.h"

namespace nwbpf::evpn {
namespace {

using namespace test;
using std::chrono::seconds;

constexpr uint32_t kRoutes = 100'000;

TEST(EvpnScale, HundredThousandType2RoutesFromOneReflector) {
  Speaker ce{ce_config("10.0.0.11", {100})};
  ce.peer_up(v4("10.0.0.1"), session("10.0.0.1"), at(seconds(0)));

  UpdatePacker packer({});
  auto attrs = std::make_shared<const bgp::PathAttributes>(
      vtep_attributes("10.0.0.12", {auto_rt(100), vxlan()}));
  for (uint32_t n = 0; n < kRoutes; ++n) packer.announce(nth_mac("10.0.0.12:1", n), attrs);
  packer.end_of_rib();
  auto updates = packer.take();
  EXPECT_EQ(updates.size(), (kRoutes + 114) / 115 + 1);

  size_t added = 0;
  for (const auto& update : updates) {
    auto out = ok(ce.receive(v4("10.0.0.1"), update, at(seconds(1))));
    added += out.import.added.size();
    EXPECT_TRUE(out.send.empty());
  }
  EXPECT_EQ(added, kRoutes);
  EXPECT_EQ(ce.imports().macs().size(), kRoutes);
  EXPECT_EQ(ce.route_count(), kRoutes + 1);  // and our type-3
  EXPECT_EQ(ce.peers()[0].paths, kRoutes);

  auto out = ce.peer_down(v4("10.0.0.1"), std::nullopt, at(seconds(2)));
  EXPECT_EQ(out.import.removed.size(), kRoutes);
  EXPECT_EQ(ce.route_count(), 1u);
}

}  // namespace
}  // namespace nwbpf::evpn
