// SPDX-License-Identifier: Apache-2.0
// Valid files: every key, the defaults, and the shipped examples.
#include <arpa/inet.h>

#include "config_test_support.h"

namespace nwbpf {
namespace {

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

TEST(ConfigAccept, MinimalFileGetsEveryDefault) {
  Config c = parse_config(test::kMinimal, "t.toml");
  EXPECT_EQ(c.path, "t.toml");
  EXPECT_EQ(c.agent.instance, "default");
  EXPECT_EQ(c.agent.roles, std::vector<Role>{Role::ce});
  EXPECT_EQ(c.agent.bpffs, "/sys/fs/bpf");
  EXPECT_EQ(c.agent.control_socket, "");
  EXPECT_EQ(c.agent.log_level, "info");
  EXPECT_EQ(c.agent.bpf_object, "");
  EXPECT_FALSE(c.agent.detach_on_exit);
  EXPECT_EQ(c.node.overlay_address, ip("10.0.0.1"));
  EXPECT_FALSE(c.node.nbma_address);
  EXPECT_EQ(c.node.wan_interface, "eth0");
  EXPECT_EQ(c.dataplane.mode, DataplaneMode::xdp);
  EXPECT_TRUE(c.dataplane.learn_remote);
  EXPECT_EQ(c.dataplane.mac_ageing_s, 300u);
  EXPECT_EQ(c.dataplane.ttl, 64);
  EXPECT_TRUE(c.dataplane.df);
  EXPECT_EQ(c.dataplane.udp_src_port, 0);
  EXPECT_EQ(c.dataplane.tcp_mss, TcpMssMode::automatic);
  EXPECT_EQ(c.dataplane.fdb_size, 65536u);
  EXPECT_EQ(c.dataplane.tunnel_device, "nwbpf-vx0");
  EXPECT_TRUE(c.ports.empty());
  EXPECT_TRUE(c.peers.empty());
  EXPECT_TRUE(c.flood.empty());
  EXPECT_TRUE(c.fdb.empty());
  EXPECT_EQ(c.pin_dir(), "/sys/fs/bpf/nwbpf/default");
  EXPECT_EQ(c.socket_path(), "/run/nwbpf/default.sock");
}

TEST(ConfigAccept, EveryKeyWithNonDefaultValues) {
  Config c = parse_config(R"([agent]
instance = "ce_1-A"
roles = ["route-server", "ce"]
bpffs = "/run/nwbpf-test/bpffs"
control_socket = "/run/ce1.sock"
log_level = "debug"
bpf_object = "/opt/nwbpf/nwbpf.bpf.o"
detach_on_exit = true

[node]
overlay_address = "10.0.0.1"
nbma_address = "192.168.0.1"
wan_interface = "wan0"

[dataplane]
mode = "kernel-tunnel"
learn_remote = false
mac_ageing = 1000000
ttl = 255
df = false
udp_src_port = 65535
tcp_mss = "off"
fdb_size = 16777216
tunnel_device = "vx-ce1"

[[port]]
name = "vetha"
tagged = true
vlans = [4094, 1]
path = "tc"

[[port]]
name = "vethb"
vlans = [10, 20]

[[peer]]
overlay = "10.0.0.2"
nbma = "192.168.0.2"

[[flood]]
vni = 10
vteps = ["10.0.0.2"]

[[fdb]]
vni = 4094
mac = "0A:00:27:00:00:FF"
port = "vetha"

[[fdb]]
vni = 20
mac = "0a:00:27:00:00:02"
vtep = "10.0.0.2"
)",
                          "all.toml");
  EXPECT_EQ(c.agent.instance, "ce_1-A");
  EXPECT_EQ(c.agent.roles, (std::vector<Role>{Role::route_server, Role::ce}));
  EXPECT_EQ(c.pin_dir(), "/run/nwbpf-test/bpffs/nwbpf/ce_1-A");
  EXPECT_EQ(c.socket_path(), "/run/ce1.sock");
  EXPECT_EQ(c.agent.log_level, "debug");
  EXPECT_EQ(c.agent.bpf_object, "/opt/nwbpf/nwbpf.bpf.o");
  EXPECT_TRUE(c.agent.detach_on_exit);
  EXPECT_EQ(c.node.nbma_address, ip("192.168.0.1"));
  EXPECT_EQ(c.node.wan_interface, "wan0");
  EXPECT_EQ(c.dataplane.mode, DataplaneMode::kernel_tunnel);
  EXPECT_FALSE(c.dataplane.learn_remote);
  EXPECT_EQ(c.dataplane.mac_ageing_s, 1000000u);
  EXPECT_EQ(c.dataplane.ttl, 255);
  EXPECT_FALSE(c.dataplane.df);
  EXPECT_EQ(c.dataplane.udp_src_port, 65535);
  EXPECT_EQ(c.dataplane.tcp_mss, TcpMssMode::off);
  EXPECT_EQ(c.dataplane.fdb_size, 16777216u);
  EXPECT_EQ(c.dataplane.tunnel_device, "vx-ce1");

  ASSERT_EQ(c.ports.size(), 2u);
  EXPECT_EQ(c.ports[0].name, "vetha");
  EXPECT_TRUE(c.ports[0].tagged);
  EXPECT_EQ(c.ports[0].vlans, (std::vector<uint16_t>{4094, 1}));  // file order kept
  EXPECT_EQ(c.ports[0].path, PortPath::tc);
  EXPECT_EQ(c.ports[0].source, "all.toml:26:1");
  EXPECT_FALSE(c.ports[1].tagged);
  EXPECT_EQ(c.ports[1].path, PortPath::automatic);
  EXPECT_EQ(c.ports[1].source, "all.toml:32:1");

  ASSERT_EQ(c.peers.size(), 1u);
  EXPECT_EQ(c.peers[0].overlay, ip("10.0.0.2"));
  EXPECT_EQ(c.peers[0].nbma, ip("192.168.0.2"));
  EXPECT_EQ(c.peers[0].source, "all.toml:36:1");

  ASSERT_EQ(c.flood.size(), 1u);
  EXPECT_EQ(c.flood[0].vni, 10u);
  EXPECT_EQ(c.flood[0].vteps, std::vector<Ipv4>{ip("10.0.0.2")});
  EXPECT_EQ(c.flood[0].source, "all.toml:40:1");

  ASSERT_EQ(c.fdb.size(), 2u);
  EXPECT_EQ(c.fdb[0].vni, 4094u);
  EXPECT_EQ(c.fdb[0].mac.str(), "0a:00:27:00:00:ff");
  EXPECT_EQ(c.fdb[0].port, "vetha");
  EXPECT_FALSE(c.fdb[0].vtep);
  EXPECT_EQ(c.fdb[0].source, "all.toml:44:1");
  EXPECT_EQ(c.fdb[1].vtep, ip("10.0.0.2"));
  EXPECT_FALSE(c.fdb[1].port);
}

TEST(ConfigAccept, OtherModesAndPaths) {
  auto mode = [](const char* m, const char* path) {
    return parse_config(
        std::string("[node]\noverlay_address = \"10.0.0.1\"\n[dataplane]\nmode = \"") + m +
            "\"\n[[port]]\nname = \"p\"\nvlans = [1]\npath = \"" + path + "\"\n",
        "t.toml");
  };
  EXPECT_EQ(mode("tc", "tc").dataplane.mode, DataplaneMode::tc);
  EXPECT_EQ(mode("xdp", "xdp").ports[0].path, PortPath::xdp);
  EXPECT_EQ(mode("kernel-tunnel", "auto").ports[0].path, PortPath::automatic);
}

TEST(ConfigAccept, InlineTablesAndDottedKeysAreTheSameFile) {
  // TOML allows the same data in several spellings; all must read alike.
  Config c = parse_config(R"(node.overlay_address = "10.0.0.1"
agent = { instance = "x", log_level = "off" }
port = [ { name = "p", vlans = [7] } ]
peer = [ { overlay = "10.0.0.2", nbma = "192.168.0.2" } ]
)",
                          "t.toml");
  EXPECT_EQ(c.agent.instance, "x");
  EXPECT_EQ(c.agent.log_level, "off");
  ASSERT_EQ(c.ports.size(), 1u);
  EXPECT_EQ(c.ports[0].vlans, std::vector<uint16_t>{7});
  EXPECT_EQ(c.ports[0].source, "t.toml:3:10");
  EXPECT_EQ(c.peers.size(), 1u);
}

TEST(ConfigAccept, RangeBoundsAreInclusive) {
  Config c = parse_config(R"([node]
overlay_address = "1.0.0.1"
nbma_address = "223.255.255.254"
[dataplane]
mac_ageing = 10
ttl = 1
udp_src_port = 1
tcp_mss = 536
fdb_size = 1024
[[port]]
name = "abcdefghijklmno"
vlans = [1, 4094]
)",
                          "t.toml");
  EXPECT_EQ(c.dataplane.mac_ageing_s, 10u);
  EXPECT_EQ(c.dataplane.ttl, 1);
  EXPECT_EQ(c.dataplane.udp_src_port, 1);
  EXPECT_EQ(c.dataplane.tcp_mss, TcpMssMode::fixed);
  EXPECT_EQ(c.dataplane.tcp_mss_value, 536);
  EXPECT_EQ(c.dataplane.fdb_size, 1024u);
  EXPECT_EQ(c.ports[0].name, "abcdefghijklmno");  // 15 bytes: IFNAMSIZ - 1
}

void expect_seed_ce(const Config& c, int n) {
  std::string self = std::to_string(n);
  EXPECT_EQ(c.agent.instance, "ce" + self);
  EXPECT_EQ(c.node.overlay_address, ip(("10.0.0." + self).c_str()));
  EXPECT_EQ(c.node.nbma_address, ip(("192.168.0." + self).c_str()));
  EXPECT_EQ(c.node.wan_interface, "eth0");
  EXPECT_EQ(c.dataplane.mode, DataplaneMode::xdp);
  ASSERT_EQ(c.ports.size(), 1u);
  EXPECT_EQ(c.ports[0].name, "vetha");
  EXPECT_FALSE(c.ports[0].tagged);
  EXPECT_EQ(c.ports[0].vlans, std::vector<uint16_t>{99});
  std::vector<Ipv4> others;
  ASSERT_EQ(c.peers.size(), 2u);
  for (int other = 1, i = 0; other <= 3; ++other) {
    if (other == n) continue;
    std::string o = std::to_string(other);
    EXPECT_EQ(c.peers[i].overlay, ip(("10.0.0." + o).c_str()));
    EXPECT_EQ(c.peers[i].nbma, ip(("192.168.0." + o).c_str()));
    others.push_back(c.peers[i++].overlay);
  }
  ASSERT_EQ(c.flood.size(), 1u);
  EXPECT_EQ(c.flood[0].vni, 99u);
  EXPECT_EQ(c.flood[0].vteps, others);
  EXPECT_TRUE(c.fdb.empty());
}

TEST(ConfigExamples, SeedCesDescribeTheSeedTopology) {
  for (int n = 1; n <= 3; ++n) {
    SCOPED_TRACE(n);
    expect_seed_ce(load_config(NWBPF_SOURCE_DIR "/config/ce" + std::to_string(n) + ".toml"), n);
  }
}

TEST(ConfigExamples, ReferenceFileLoads) {
  Config c = load_config(NWBPF_SOURCE_DIR "/config/nwbpf.toml");
  EXPECT_EQ(c.ports.size(), 2u);
  EXPECT_EQ(c.peers.size(), 2u);
  EXPECT_EQ(c.flood.size(), 2u);
  EXPECT_EQ(c.fdb.size(), 2u);
}

TEST(ConfigLoad, UnreadableFiles) {
  try {
    load_config("/nonexistent/nwbpf.toml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/nwbpf.toml: cannot open: No such file or directory");
  }
  try {
    read_config_file(NWBPF_SOURCE_DIR "/config");  // load_config() would refuse the name first
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), NWBPF_SOURCE_DIR "/config: cannot read: Is a directory");
  }
}

}  // namespace
}  // namespace nwbpf
