// SPDX-License-Identifier: Apache-2.0
// Reconciler hooks on real devices, through the agent's own steps (config ->
// take_snapshot -> compute_desired -> apply): a port that leaves the config
// loses our programs although its device stays, and a port whose device was
// deleted is let go without an error. (The map diff is in
// tests/unit/daemon_reconciler_test.cpp.)
#include <gtest/gtest.h>

#include "daemon/desired_state.h"
#include "daemon/links.h"
#include "daemon/reconciler.h"
#include "dataplane/datapath.h"
#include "dataplane/hooks.h"
#include "loader_support.h"

namespace nwbpf::daemon {
namespace {

using test::NamespacedTest;
using test::Veth;

class LoaderReconciler : public NamespacedTest {
 protected:
  // xdp mode, the WAN absent (only a warning), and `port` in VLAN 99 if set.
  Config ce(const std::string& port) const {
    Config c = config();
    c.node.wan_interface = "nwt-nowan";
    if (!port.empty())
      c.ports.push_back(PortConfig{.name = port, .vlans = {99}, .source = "test.toml:1:1"});
    return c;
  }
  Reconciler::Outcome apply(Reconciler& reconciler, const Config& c) {
    LinkSnapshot links = take_snapshot(c, {}, true);
    return reconciler.apply(compute_desired(c, links), links);
  }
};

TEST_F(LoaderReconciler, PortLeavingTheConfigIsDetachedWhileItsDeviceStays) {
  Veth veth("nwt-edge", "nwt-host");
  int ifindex = test::ifindex(veth.a());
  auto datapath = Datapath::load(config());
  Reconciler reconciler(*datapath);

  auto out = apply(reconciler, ce(veth.a()));
  ASSERT_TRUE(out.errors.empty()) << out.errors.front();
  EXPECT_EQ(out.attached, 2u);
  EXPECT_NE(xdp_prog_id(ifindex), 0u);
  EXPECT_NE(tc_prog_id(ifindex), 0u);

  out = apply(reconciler, ce(""));
  ASSERT_TRUE(out.errors.empty()) << out.errors.front();
  EXPECT_EQ(out.detached, 2u);
  EXPECT_EQ(xdp_prog_id(ifindex), 0u);
  EXPECT_EQ(tc_prog_id(ifindex), 0u);

  // Nothing left to do the next time.
  out = apply(reconciler, ce(""));
  EXPECT_TRUE(out.errors.empty());
  EXPECT_EQ(out.attached + out.detached, 0u);
}

TEST_F(LoaderReconciler, PortWhoseDeviceWasDeletedIsLetGoWithoutError) {
  auto datapath = Datapath::load(config());
  Reconciler reconciler(*datapath);
  {
    Veth veth("nwt-edge", "nwt-host");
    auto out = apply(reconciler, ce(veth.a()));
    ASSERT_TRUE(out.errors.empty()) << out.errors.front();
    EXPECT_EQ(out.attached, 2u);
  }
  // Still configured, now missing: no hooks wanted, none to detach.
  auto out = apply(reconciler, ce("nwt-edge"));
  EXPECT_TRUE(out.errors.empty()) << out.errors.front();
  EXPECT_EQ(out.attached, 0u);

  // It comes back (a new ifindex): attached again.
  Veth veth("nwt-edge", "nwt-host");
  out = apply(reconciler, ce(veth.a()));
  ASSERT_TRUE(out.errors.empty()) << out.errors.front();
  EXPECT_EQ(out.attached, 2u);
  EXPECT_NE(xdp_prog_id(test::ifindex(veth.a())), 0u);
}

}  // namespace
}  // namespace nwbpf::daemon
