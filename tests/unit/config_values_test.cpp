// SPDX-License-Identifier: Apache-2.0
// One bad value at a time: the exact message, key path and position.
#include <string>
#include <vector>

#include "config_test_support.h"

namespace nwbpf {
namespace {

struct Case {
  std::string text;
  std::string error;
};

// Appends `tail` to the minimal valid file (lines 1-2), so `tail` starts on line 3.
std::string after_node(std::string_view tail) {
  return std::string(test::kMinimal) + std::string(tail);
}

void expect_errors(const std::vector<Case>& cases) {
  for (const auto& c : cases) EXPECT_EQ(test::errors_of(c.text), c.error) << c.text;
}

TEST(ConfigValues, Agent) {
  expect_errors({
      {after_node("[agent]\ninstance = \"ce 1\"\n"),
       R"(t.toml:4:12: agent.instance: "ce 1" is not a valid instance name (1-32 characters of A-Z a-z 0-9 _ -))"},
      {after_node("[agent]\ninstance = \"\"\n"),
       R"(t.toml:4:12: agent.instance: "" is not a valid instance name (1-32 characters of A-Z a-z 0-9 _ -))"},
      {after_node("[agent]\ninstance = \"" + std::string(33, 'a') + "\"\n"),
       "t.toml:4:12: agent.instance: \"" + std::string(33, 'a') +
           "\" is not a valid instance name (1-32 characters of A-Z a-z 0-9 _ -)"},
      {after_node("[agent]\ninstance = \"a\\nb\"\n"),  // stays one line
       R"(t.toml:4:12: agent.instance: "a\nb" is not a valid instance name (1-32 characters of A-Z a-z 0-9 _ -))"},
      {after_node("[agent]\ninstance = 1\n"),
       "t.toml:4:12: agent.instance: expected a string, found an integer"},
      {after_node("[agent]\nroles = []\n"),
       "t.toml:4:9: agent.roles: at least one role is required"},
      {after_node("[agent]\nroles = \"ce\"\n"),
       "t.toml:4:9: agent.roles: expected an array, found a string"},
      {after_node("[agent]\nroles = [\"router\"]\n"),
       R"(t.toml:4:10: agent.roles[0]: "router" is not one of "ce", "route-server", "config-server")"},
      {after_node("[agent]\nroles = [\"ce\", true]\n"),
       R"(t.toml:4:16: agent.roles[1]: expected one of "ce", "route-server", "config-server", found a boolean)"},
      {after_node("[agent]\nroles = [\"ce\", \"ce\"]\n"),
       R"(t.toml:4:16: agent.roles[1]: role "ce" is already agent.roles[0])"},
      {after_node("[agent]\nbpffs = \"sys/fs/bpf\"\n"),
       R"(t.toml:4:9: agent.bpffs: "sys/fs/bpf" is not an absolute path)"},
      {after_node("[agent]\ncontrol_socket = \"nwbpf.sock\"\n"),
       R"(t.toml:4:18: agent.control_socket: "nwbpf.sock" is not an absolute path)"},
      {after_node("[agent]\ncontrol_socket = \"/" + std::string(107, 's') + "\"\n"),
       "t.toml:4:18: agent.control_socket: socket path is 108 bytes; a Unix socket path holds at "
       "most 107"},
      {after_node("[agent]\nlog_level = \"warning\"\n"),
       R"(t.toml:4:13: agent.log_level: "warning" is not one of "trace", "debug", "info", "warn", "error", "critical", "off")"},
      {after_node("[agent]\nbpf_object = \"\"\n"),
       R"(t.toml:4:14: agent.bpf_object: "" is not an absolute path)"},
      {after_node("[agent]\ndetach_on_exit = 1\n"),
       "t.toml:4:18: agent.detach_on_exit: expected a boolean (true or false), found an integer"},
  });
}

TEST(ConfigValues, AgentAcceptsTheLongestSocketPath) {
  auto text = after_node("[agent]\ncontrol_socket = \"/" + std::string(106, 's') + "\"\n");
  EXPECT_EQ(parse_config(text, "t.toml").agent.control_socket.size(), 107u);
}

TEST(ConfigValues, Node) {
  auto overlay = [](std::string_view value) {
    return "[node]\noverlay_address = " + std::string(value) + "\n";
  };
  expect_errors({
      {overlay("\"10.0.0\""),
       R"(t.toml:2:19: node.overlay_address: "10.0.0" is not an IPv4 address (expected a dotted quad such as 10.0.0.1))"},
      {overlay("\"10.0.0.01\""),
       R"(t.toml:2:19: node.overlay_address: "10.0.0.01" is not an IPv4 address (expected a dotted quad such as 10.0.0.1))"},
      {overlay("\"10.0.0.1/32\""),
       R"(t.toml:2:19: node.overlay_address: "10.0.0.1/32" is not an IPv4 address (expected a dotted quad such as 10.0.0.1))"},
      {overlay("167772161"),
       "t.toml:2:19: node.overlay_address: expected an IPv4 address string, found an integer"},
      {overlay("\"0.0.0.0\""),
       R"(t.toml:2:19: node.overlay_address: 0.0.0.0 is in 0.0.0.0/8 ("this network"); expected a unicast host address)"},
      {overlay("\"127.0.0.1\""),
       "t.toml:2:19: node.overlay_address: 127.0.0.1 is a loopback address; expected a unicast "
       "host address"},
      {overlay("\"239.1.1.1\""),
       "t.toml:2:19: node.overlay_address: 239.1.1.1 is a multicast address; expected a unicast "
       "host address"},
      {overlay("\"255.255.255.255\""),
       "t.toml:2:19: node.overlay_address: 255.255.255.255 is in 240.0.0.0/4 (reserved, "
       "broadcast); expected a unicast host address"},
      {"[node]\n", "t.toml:1:1: node.overlay_address: required key is missing"},
      {"[agent]\n\n[node]\nwan_interface = \"eth1\"\n",
       "t.toml:3:1: node.overlay_address: required key is missing"},
      {after_node("nbma_address = \"192.168.0.256\"\n"),
       R"(t.toml:3:16: node.nbma_address: "192.168.0.256" is not an IPv4 address (expected a dotted quad such as 10.0.0.1))"},
      {after_node("nbma_address = \"224.0.0.5\"\n"),
       "t.toml:3:16: node.nbma_address: 224.0.0.5 is a multicast address; expected a unicast host "
       "address"},
  });
}

TEST(ConfigValues, InterfaceNames) {
  auto wan = [](std::string_view name) {
    return after_node("wan_interface = " + std::string(name) + "\n");
  };
  expect_errors({
      {wan("\"\""), "t.toml:3:17: node.wan_interface: interface name is empty"},
      {wan("\"abcdefghijklmnop\""),
       R"(t.toml:3:17: node.wan_interface: interface name "abcdefghijklmnop" is longer than 15 bytes)"},
      {wan("\".\""), R"(t.toml:3:17: node.wan_interface: "." is not a valid interface name)"},
      {wan("\"..\""), R"(t.toml:3:17: node.wan_interface: ".." is not a valid interface name)"},
      {wan("\"eth0/1\""),
       R"(t.toml:3:17: node.wan_interface: interface name "eth0/1" contains '/')"},
      {wan("\"eth0:1\""),
       R"(t.toml:3:17: node.wan_interface: interface name "eth0:1" contains ':')"},
      {wan("\"eth%d\""), R"(t.toml:3:17: node.wan_interface: interface name "eth%d" contains '%')"},
      {wan("\"eth 0\""),
       R"(t.toml:3:17: node.wan_interface: interface name "eth 0" contains whitespace)"},
      {wan("\"eth\\t0\""),
       R"(t.toml:3:17: node.wan_interface: interface name "eth\t0" contains whitespace)"},
      {wan("[\"eth0\"]"), "t.toml:3:17: node.wan_interface: expected a string, found an array"},
  });
}

TEST(ConfigValues, Dataplane) {
  auto dp = [](std::string_view line) {
    return after_node("[dataplane]\n" + std::string(line) + "\n");
  };
  expect_errors({
      {dp("mode = \"bridge\""),
       R"(t.toml:4:8: dataplane.mode: "bridge" is not one of "xdp", "tc", "kernel-tunnel")"},
      {dp("mode = \"XDP\""),
       R"(t.toml:4:8: dataplane.mode: "XDP" is not one of "xdp", "tc", "kernel-tunnel")"},
      {dp("mode = 1"),
       R"(t.toml:4:8: dataplane.mode: expected one of "xdp", "tc", "kernel-tunnel", found an integer)"},
      {dp("learn_remote = \"true\""),
       "t.toml:4:16: dataplane.learn_remote: expected a boolean (true or false), found a string"},
      {dp("mac_ageing = 9"), "t.toml:4:14: dataplane.mac_ageing: 9 out of range 10..1000000"},
      {dp("mac_ageing = 1000001"),
       "t.toml:4:14: dataplane.mac_ageing: 1000001 out of range 10..1000000"},
      {dp("mac_ageing = 300.0"),
       "t.toml:4:14: dataplane.mac_ageing: expected an integer, found a floating-point number"},
      {dp("mac_ageing = 00:05:00"),
       "t.toml:4:14: dataplane.mac_ageing: expected an integer, found a time"},
      {dp("ttl = 0"), "t.toml:4:7: dataplane.ttl: 0 out of range 1..255"},
      {dp("ttl = 256"), "t.toml:4:7: dataplane.ttl: 256 out of range 1..255"},
      {dp("ttl = \"64\""), "t.toml:4:7: dataplane.ttl: expected an integer, found a string"},
      {dp("df = 0"),
       "t.toml:4:6: dataplane.df: expected a boolean (true or false), found an integer"},
      {dp("udp_src_port = -1"), "t.toml:4:16: dataplane.udp_src_port: -1 out of range 0..65535"},
      {dp("udp_src_port = 65536"),
       "t.toml:4:16: dataplane.udp_src_port: 65536 out of range 0..65535"},
      {dp("tcp_mss = 535"), "t.toml:4:11: dataplane.tcp_mss: 535 out of range 536..9000"},
      {dp("tcp_mss = 9001"), "t.toml:4:11: dataplane.tcp_mss: 9001 out of range 536..9000"},
      {dp("tcp_mss = \"1340\""),
       R"(t.toml:4:11: dataplane.tcp_mss: "1340" is not one of "auto", "off")"},
      {dp("tcp_mss = false"),
       R"(t.toml:4:11: dataplane.tcp_mss: expected one of "auto", "off", found a boolean)"},
      {dp("fdb_size = 1023"), "t.toml:4:12: dataplane.fdb_size: 1023 out of range 1024..16777216"},
      {dp("fdb_size = 16777217"),
       "t.toml:4:12: dataplane.fdb_size: 16777217 out of range 1024..16777216"},
      {dp("tunnel_device = \"vx:0\""),
       R"(t.toml:4:17: dataplane.tunnel_device: interface name "vx:0" contains ':')"},
  });
}

TEST(ConfigValues, Port) {
  auto port = [](std::string_view body) { return after_node("[[port]]\n" + std::string(body)); };
  expect_errors({
      {port("vlans = [1]\n"), "t.toml:3:1: port[0].name: required key is missing"},
      {port("name = 5\nvlans = [1]\n"),
       "t.toml:4:8: port[0].name: expected a string, found an integer"},
      {port("name = \"veth/a\"\nvlans = [1]\n"),
       R"(t.toml:4:8: port[0].name: interface name "veth/a" contains '/')"},
      {port("name = \"p\"\n"), "t.toml:3:1: port[0].vlans: required key is missing"},
      {port("name = \"p\"\nvlans = []\n"),
       "t.toml:5:9: port[0].vlans: at least one VLAN is required"},
      {port("name = \"p\"\nvlans = 99\n"),
       "t.toml:5:9: port[0].vlans: expected an array, found an integer"},
      {port("name = \"p\"\nvlans = [0]\n"),
       "t.toml:5:10: port[0].vlans[0]: VLAN 0 out of range 1..4094"},
      {port("name = \"p\"\nvlans = [1, 2, 4095]\n"),
       "t.toml:5:16: port[0].vlans[2]: VLAN 4095 out of range 1..4094"},
      {port("name = \"p\"\nvlans = [1, \"2\"]\n"),
       "t.toml:5:13: port[0].vlans[1]: expected an integer, found a string"},
      {port("name = \"p\"\nvlans = [7, 8, 7]\n"),
       "t.toml:5:16: port[0].vlans[2]: VLAN 7 is already port[0].vlans[0]"},
      {port("name = \"p\"\nvlans = [1]\ntagged = \"yes\"\n"),
       "t.toml:6:10: port[0].tagged: expected a boolean (true or false), found a string"},
      {port("name = \"p\"\nvlans = [1]\npath = \"fast\"\n"),
       R"(t.toml:6:8: port[0].path: "fast" is not one of "auto", "xdp", "tc")"},
  });
}

TEST(ConfigValues, Peer) {
  auto peer = [](std::string_view body) { return after_node("[[peer]]\n" + std::string(body)); };
  expect_errors({
      {peer("nbma = \"192.168.0.2\"\n"), "t.toml:3:1: peer[0].overlay: required key is missing"},
      {peer("overlay = \"10.0.0.2\"\n"), "t.toml:3:1: peer[0].nbma: required key is missing"},
      {peer("overlay = \"10.0.0.x\"\nnbma = \"192.168.0.2\"\n"),
       R"(t.toml:4:11: peer[0].overlay: "10.0.0.x" is not an IPv4 address (expected a dotted quad such as 10.0.0.1))"},
      {peer("overlay = \"10.0.0.2\"\nnbma = \"0.0.0.0\"\n"),
       R"(t.toml:5:8: peer[0].nbma: 0.0.0.0 is in 0.0.0.0/8 ("this network"); expected a unicast host address)"},
  });
}

TEST(ConfigValues, Flood) {
  // A peer and a port so only the value under test is wrong.
  auto flood = [](std::string_view body) {
    return after_node(
        "[[port]]\nname = \"p\"\nvlans = [99]\n"                      // lines 3-5
        "[[peer]]\noverlay = \"10.0.0.2\"\nnbma = \"192.168.0.2\"\n"  // lines 6-8
        "[[flood]]\n" +                                               // line 9
        std::string(body));
  };
  expect_errors({
      {flood("vteps = [\"10.0.0.2\"]\n"), "t.toml:9:1: flood[0].vni: required key is missing"},
      {flood("vni = 0\nvteps = [\"10.0.0.2\"]\n"),
       "t.toml:10:7: flood[0].vni: VNI 0 out of range 1..4094"},
      {flood("vni = 4095\nvteps = [\"10.0.0.2\"]\n"),
       "t.toml:10:7: flood[0].vni: VNI 4095 out of range 1..4094"},
      {flood("vni = 99\n"), "t.toml:9:1: flood[0].vteps: required key is missing"},
      {flood("vni = 99\nvteps = []\n"),
       "t.toml:11:9: flood[0].vteps: at least one VTEP is required"},
      {flood("vni = 99\nvteps = \"10.0.0.2\"\n"),
       "t.toml:11:9: flood[0].vteps: expected an array, found a string"},
      {flood("vni = 99\nvteps = [\"10.0.0.2\", 5]\n"),
       "t.toml:11:22: flood[0].vteps[1]: expected an IPv4 address string, found an integer"},
      {flood("vni = 99\nvteps = [\"10.0.0.2\", \"10.0.0.2\"]\n"),
       "t.toml:11:22: flood[0].vteps[1]: 10.0.0.2 is already flood[0].vteps[0]"},
  });
}

TEST(ConfigValues, Fdb) {
  auto fdb = [](std::string_view body) {
    return after_node("[[port]]\nname = \"p\"\nvlans = [99]\n[[fdb]]\n" +
                      std::string(body));  // [[fdb]]: line 6
  };
  expect_errors({
      {fdb("mac = \"0a:00:00:00:00:01\"\nport = \"p\"\n"),
       "t.toml:6:1: fdb[0].vni: required key is missing"},
      {fdb("vni = 99\nport = \"p\"\n"), "t.toml:6:1: fdb[0].mac: required key is missing"},
      {fdb("vni = 99\nmac = \"0a:00:00:00:00\"\nport = \"p\"\n"),
       R"(t.toml:8:7: fdb[0].mac: "0a:00:00:00:00" is not a MAC address (expected the form 0a:1b:2c:3d:4e:5f))"},
      {fdb("vni = 99\nmac = \"0a-00-00-00-00-01\"\nport = \"p\"\n"),
       R"(t.toml:8:7: fdb[0].mac: "0a-00-00-00-00-01" is not a MAC address (expected the form 0a:1b:2c:3d:4e:5f))"},
      {fdb("vni = 99\nmac = 11\nport = \"p\"\n"),
       "t.toml:8:7: fdb[0].mac: expected a MAC address string, found an integer"},
      {fdb("vni = 99\nmac = \"ff:ff:ff:ff:ff:ff\"\nport = \"p\"\n"),
       "t.toml:8:7: fdb[0].mac: ff:ff:ff:ff:ff:ff is a multicast/broadcast MAC; a static entry "
       "needs a unicast MAC"},
      {fdb("vni = 99\nmac = \"01:00:5E:00:00:01\"\nport = \"p\"\n"),
       "t.toml:8:7: fdb[0].mac: 01:00:5e:00:00:01 is a multicast/broadcast MAC; a static entry "
       "needs a unicast MAC"},
      {fdb("vni = 99\nmac = \"00:00:00:00:00:00\"\nport = \"p\"\n"),
       "t.toml:8:7: fdb[0].mac: 00:00:00:00:00:00 is not a station address"},
      {fdb("vni = 99\nmac = \"0a:00:00:00:00:01\"\n"),
       "t.toml:6:1: fdb[0]: needs port (a local port) or vtep (a peer) to say where the MAC is"},
      {fdb("vni = 99\nmac = \"0a:00:00:00:00:01\"\nport = \"p\"\nvtep = \"10.0.0.2\"\n"),
       "t.toml:10:8: fdb[0].vtep: give either port (a local port) or vtep (a peer), not both"},
      {fdb("vni = 99\nmac = \"0a:00:00:00:00:01\"\nport = \"p:1\"\n"),
       R"(t.toml:9:8: fdb[0].port: interface name "p:1" contains ':')"},
      {fdb("vni = 99\nmac = \"0a:00:00:00:00:01\"\nvtep = \"10.0.0\"\n"),
       R"(t.toml:9:8: fdb[0].vtep: "10.0.0" is not an IPv4 address (expected a dotted quad such as 10.0.0.1))"},
  });
}

}  // namespace
}  // namespace nwbpf
