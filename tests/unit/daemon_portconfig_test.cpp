// SPDX-License-Identifier: Apache-2.0
// The fetched portconfig as edge ports (daemon/portconfig_apply.h), where a
// fetch connects (daemon/central_client.h), and the reconciler's diff when
// a new file arrives: an unchanged port's entry is not written again.
#include <gtest/gtest.h>

#include "daemon/central_client.h"
#include "daemon/desired_state.h"
#include "daemon/map_sync.h"
#include "daemon/portconfig_apply.h"
#include "daemon_test_config.h"

namespace nwbpf::daemon {
namespace {

using test::ce_links;
using test::ip;

constexpr char kUrl[] = "http://10.0.0.10/portconfig/10.0.0.1.json";

// ce_config() with its edge ports from a portconfig instead of [[port]].
Config fetching_ce() {
  Config c = test::ce_config();
  c.ports.clear();
  c.fetch = FetchConfig{};
  c.fetch->portconfig = FetchSourceConfig{};
  return c;
}

central::PortConfig file(std::vector<central::PortEntry> ports) {
  return {.name = "bridge", .ports = std::move(ports)};
}

TEST(PortconfigApply, EntriesBecomeEdgePorts) {
  auto fetched = edge_ports(
      file({{"vetha", false, {10, 11}}, {"vethb", true, {20, 30}}, {"vethq", false, {}}}), kUrl,
      fetching_ce());
  EXPECT_TRUE(fetched.problems.empty());
  ASSERT_EQ(fetched.ports.size(), 3u);
  EXPECT_EQ(fetched.ports[0], (PortConfig{.name = "vetha",
                                          .tagged = false,
                                          .vlans = {10, 11},
                                          .path = PortPath::automatic,
                                          .source = std::string(kUrl) + ": ports[0]"}));
  EXPECT_EQ(fetched.ports[1].source, std::string(kUrl) + ": ports[1]");
  EXPECT_TRUE(fetched.ports[1].tagged);
  EXPECT_TRUE(fetched.ports[2].vlans.empty());
}

TEST(PortconfigApply, WanAndTunnelDevicesRefused) {
  Config c = fetching_ce();
  c.dataplane.tunnel_device = "nwbpf-vx0";
  auto fetched =
      edge_ports(file({{"eth0", false, {10}}, {"vetha", false, {10}}, {"nwbpf-vx0", true, {20}}}),
                 kUrl, c);
  EXPECT_EQ(fetched.problems,
            (std::vector<std::string>{
                "ports[0].name: \"eth0\" is node.wan_interface; the WAN device cannot also be an "
                "edge port",
                "ports[2].name: \"nwbpf-vx0\" is dataplane.tunnel_device (the agent's VXLAN "
                "device)"}));
  ASSERT_EQ(fetched.ports.size(), 1u);
  EXPECT_EQ(fetched.ports[0].name, "vetha");
}

// The desired state of fetched ports: untagged -> PVID the last VLAN, every
// VLAN untagged; tagged -> no PVID; a missing device waits, as a [[port]].
TEST(PortconfigApply, DesiredStateOfFetchedPorts) {
  Config c = fetching_ce();
  c.ports = edge_ports(file({{"vetha", false, {10, 11}}, {"vethb", true, {20}},
                             {"vethz", false, {10}}}),
                       kUrl, c)
                .ports;
  DesiredState d = compute_desired(c, ce_links());
  ASSERT_TRUE(d.ports.contains(10));
  EXPECT_EQ(d.ports.at(10).pvid, 11);
  EXPECT_EQ(d.ports.at(10).role, NWBPF_PORT_EDGE);
  EXPECT_EQ(d.ports.at(10).untagged[0], (1ULL << 10) | (1ULL << 11));
  EXPECT_EQ(d.ports.at(11).pvid, 0);
  EXPECT_EQ(d.ports.at(11).untagged[0], 0u);
  EXPECT_EQ(d.ports.at(11).member[0], 1ULL << 20);
  ASSERT_TRUE(d.vlan_ports.contains(10));
  EXPECT_EQ(d.vlan_ports.at(10).count, 1u);  // vethz is missing
  EXPECT_EQ(d.warnings,
            (std::vector<std::string>{std::string(kUrl) +
                                      ": ports[2]: port vethz does not exist; waiting for it"}));
}

// A map that records which keys were written.
struct LoggedPorts {
  Table<__u32, nwbpf_port> data;
  std::vector<__u32> written;
  std::vector<std::pair<__u32, nwbpf_port>> entries() const { return {data.begin(), data.end()}; }
  void update(const __u32& key, const nwbpf_port& value) {
    data[key] = value;
    written.push_back(key);
  }
  bool erase(const __u32& key) { return data.erase(key) > 0; }
};

// Diff semantics: a new file that changes one port rewrites that port's
// entry only; the unchanged one (traffic on it) is not written.
TEST(PortconfigApply, NewFileWritesOnlyTheChangedPort) {
  Config c = fetching_ce();
  LoggedPorts ports;
  auto apply = [&](const central::PortConfig& f) {
    c.ports = edge_ports(f, kUrl, c).ports;
    DesiredState d = compute_desired(c, ce_links());
    ports.written.clear();
    auto diff = diff_table(d.ports, read_sorted<__u32, nwbpf_port>(ports));
    write_changed(ports, diff);
    delete_stale(ports, diff);
  };
  apply(file({{"vetha", false, {10}}, {"vethb", true, {20}}}));
  EXPECT_EQ(ports.written, (std::vector<__u32>{2, 10, 11}));  // WAN and both edge ports
  apply(file({{"vetha", false, {10}}, {"vethb", true, {20, 30}}}));
  EXPECT_EQ(ports.written, (std::vector<__u32>{11}));
  apply(file({{"vetha", false, {10}}, {"vethb", true, {20, 30}}}));
  EXPECT_TRUE(ports.written.empty());
  apply(file({{"vethb", true, {20, 30}}}));  // vetha left the file
  EXPECT_TRUE(ports.written.empty());
  EXPECT_FALSE(ports.data.contains(10));
}

TEST(ConnectAddress, OverlayHostThroughNhrp) {
  std::optional<bgp::Prefix4> overlay = bgp::Prefix4{ip("10.0.0.0"), 16};
  std::map<Ipv4, NhrpBinding> peers{{ip("10.0.0.10"), NhrpBinding{ip("192.168.0.10")}}};
  const OwnAddresses own{ip("10.0.0.1"), ip("192.168.0.1")};
  auto known = connect_address(ip("10.0.0.10"), overlay, peers, own);
  EXPECT_EQ(known.address, ip("192.168.0.10"));
  auto unknown = connect_address(ip("10.0.0.11"), overlay, peers, own);
  EXPECT_FALSE(unknown.address);
  EXPECT_EQ(unknown.why_not, "10.0.0.11 has no NBMA address from NHRP yet");
  // A CE fetching from its own config-server role: no NHRP entry needed.
  EXPECT_EQ(connect_address(ip("10.0.0.1"), overlay, peers, own).address, ip("192.168.0.1"));
}

TEST(ConnectAddress, UnderlayHostOrNoNhrpAsIs) {
  std::optional<bgp::Prefix4> overlay = bgp::Prefix4{ip("10.0.0.0"), 16};
  const OwnAddresses own{ip("10.0.0.1"), ip("192.168.0.1")};
  EXPECT_EQ(connect_address(ip("192.168.0.10"), overlay, {}, own).address, ip("192.168.0.10"));
  EXPECT_EQ(connect_address(ip("10.0.0.10"), std::nullopt, {}, own).address, ip("10.0.0.10"));
}

TEST(CentralState, DirectoryPerInstance) {
  Config c;
  c.agent.instance = "ce1";
  EXPECT_EQ(state_dir(c), "/var/lib/nwbpf/ce1");
}

}  // namespace
}  // namespace nwbpf::daemon
