// SPDX-License-Identifier: Apache-2.0
// Relations between tables: uniqueness, references, colliding device names,
// and no follow-on errors from a value that is already reported.
#include <string>

#include "config_test_support.h"

namespace nwbpf {
namespace {

using test::errors_of;

// This node, the seed's port and two peers: lines 1-13.
constexpr std::string_view kBase = R"([node]
overlay_address = "10.0.0.1"
nbma_address = "192.168.0.1"
[[port]]
name = "vetha"
vlans = [99]
path = "auto"
[[peer]]
overlay = "10.0.0.2"
nbma = "192.168.0.2"
[[peer]]
overlay = "10.0.0.3"
nbma = "192.168.0.3"
)";

std::string base(std::string_view tail) { return std::string(kBase) + std::string(tail); }

TEST(ConfigRelations, BaseIsValid) { EXPECT_NO_THROW(parse_config(kBase, "t.toml")); }

TEST(ConfigRelations, DeviceNamesMustNotCollide) {
  EXPECT_EQ(errors_of(base("[[port]]\nname = \"eth0\"\nvlans = [1]\n")),
            "t.toml:15:8: port[1].name: \"eth0\" is node.wan_interface; the WAN device cannot also "
            "be an edge port");
  EXPECT_EQ(errors_of(base("[[port]]\nname = \"nwbpf-vx0\"\nvlans = [1]\n")),
            "t.toml:15:8: port[1].name: \"nwbpf-vx0\" is dataplane.tunnel_device (the agent's "
            "VXLAN device)");
  EXPECT_EQ(errors_of(base("[[port]]\nname = \"vetha\"\nvlans = [1]\n")),
            "t.toml:15:8: port[1].name: \"vetha\" is already port[0].name");
  EXPECT_EQ(errors_of(base("[dataplane]\ntunnel_device = \"eth0\"\n")),
            "t.toml:15:17: dataplane.tunnel_device: \"eth0\" is node.wan_interface; the agent "
            "creates the "
            "tunnel device itself");
  // The WAN device named explicitly: the old default is free for a port.
  EXPECT_EQ(
      errors_of("[[port]]\nname = \"wan0\"\nvlans = [1]\n[[port]]\nname = \"eth0\"\nvlans = [1]\n"
                "[node]\noverlay_address = \"10.0.0.1\"\nwan_interface = \"wan0\"\n"),
      "t.toml:2:8: port[0].name: \"wan0\" is node.wan_interface; the WAN device cannot also be an "
      "edge port");
}

TEST(ConfigRelations, XdpPathNeedsXdpMode) {
  for (const char* mode : {"tc", "kernel-tunnel"})
    EXPECT_EQ(errors_of(base(std::string("[dataplane]\nmode = \"") + mode +
                             "\"\n"
                             "[[port]]\nname = \"p\"\nvlans = [1]\npath = \"xdp\"\n")),
              "t.toml:19:8: port[1].path: \"xdp\" needs dataplane.mode = \"xdp\" (only that mode "
              "attaches XDP programs)")
        << mode;
}

TEST(ConfigRelations, PeersAreUniqueAndNotThisNode) {
  EXPECT_EQ(errors_of(base("[[peer]]\noverlay = \"10.0.0.1\"\nnbma = \"192.168.0.1\"\n")),
            "t.toml:15:11: peer[2].overlay: 10.0.0.1 is node.overlay_address (this node)\n"
            "t.toml:16:8: peer[2].nbma: 192.168.0.1 is node.nbma_address (this node)");
  EXPECT_EQ(errors_of(base("[[peer]]\noverlay = \"10.0.0.2\"\nnbma = \"192.168.0.3\"\n")),
            "t.toml:15:11: peer[2].overlay: 10.0.0.2 is already peer[0].overlay\n"
            "t.toml:16:8: peer[2].nbma: 192.168.0.3 is already peer[1].nbma");
  // Without node.nbma_address the agent takes the WAN device's address at
  // run time; the file alone cannot know it.
  EXPECT_NO_THROW(
      parse_config("[node]\noverlay_address = \"10.0.0.1\"\n[[peer]]\noverlay = \"10.0.0.2\"\nnbma "
                   "= \"192.168.0.1\"\n",
                   "t.toml"));
}

TEST(ConfigRelations, FloodListsNamePeersOfACarriedVni) {
  EXPECT_EQ(errors_of(base("[[flood]]\nvni = 99\nvteps = [\"10.0.0.2\"]\n"
                           "[[flood]]\nvni = 99\nvteps = [\"10.0.0.3\"]\n")),
            "t.toml:18:7: flood[1].vni: VNI 99 is already flood[0].vni");
  EXPECT_EQ(errors_of(base("[[flood]]\nvni = 100\nvteps = [\"10.0.0.2\"]\n")),
            "t.toml:15:7: flood[0].vni: no [[port]] carries VLAN 100, so nothing would ever be "
            "flooded to "
            "these VTEPs");
  EXPECT_EQ(
      errors_of(base("[[flood]]\nvni = 99\nvteps = [\"10.0.0.2\", \"10.0.0.9\", \"10.0.0.1\"]\n")),
      "t.toml:16:22: flood[0].vteps[1]: 10.0.0.9 is not the overlay address of any [[peer]]\n"
      "t.toml:16:34: flood[0].vteps[2]: 10.0.0.1 is not the overlay address of any [[peer]]");
  // NBMA addresses are not VTEP names.
  EXPECT_EQ(
      errors_of(base("[[flood]]\nvni = 99\nvteps = [\"192.168.0.2\"]\n")),
      "t.toml:16:10: flood[0].vteps[0]: 192.168.0.2 is not the overlay address of any [[peer]]");
}

TEST(ConfigRelations, StaticMacsPointAtAPortOfTheVlanOrAPeer) {
  auto fdb = [](std::string_view vni, std::string_view mac, std::string_view where) {
    return "[[fdb]]\nvni = " + std::string(vni) + "\nmac = \"" + std::string(mac) + "\"\n" +
           std::string(where) + "\n";
  };
  EXPECT_NO_THROW(parse_config(base(fdb("99", "0a:00:00:00:00:01", "port = \"vetha\"") +
                                    fdb("99", "0a:00:00:00:00:02", "vtep = \"10.0.0.2\"") +
                                    fdb("1", "0a:00:00:00:00:01", "port = \"vethb\"") +
                                    "[[port]]\nname = \"vethb\"\nvlans = [1]\n"),
                               "t.toml"));
  // (vni, mac) is the key, whatever the spelling of the MAC.
  EXPECT_EQ(errors_of(base(fdb("99", "0a:00:00:00:00:0b", "port = \"vetha\"") +
                           fdb("99", "0A:00:00:00:00:0B", "vtep = \"10.0.0.2\""))),
            "t.toml:20:7: fdb[1].mac: 0a:00:00:00:00:0b in VNI 99 is already fdb[0]");
  EXPECT_EQ(errors_of(base(fdb("99", "0a:00:00:00:00:01", "port = \"vethx\""))),
            "t.toml:17:8: fdb[0].port: no [[port]] is named \"vethx\"");
  EXPECT_EQ(errors_of(base(fdb("100", "0a:00:00:00:00:01", "port = \"vetha\""))),
            "t.toml:17:8: fdb[0].port: port \"vetha\" does not carry VLAN 100");
  EXPECT_EQ(errors_of(base(fdb("99", "0a:00:00:00:00:01", "vtep = \"10.0.0.1\""))),
            "t.toml:17:8: fdb[0].vtep: 10.0.0.1 is not the overlay address of any [[peer]]");
  EXPECT_EQ(errors_of(base(fdb("100", "0a:00:00:00:00:01", "vtep = \"10.0.0.2\""))),
            "t.toml:15:7: fdb[0].vni: no [[port]] carries VLAN 100, so no frame would ever be sent "
            "to this "
            "entry");
}

TEST(ConfigRelations, AnInvalidDeviceNameIsNotReplacedByItsDefault) {
  // "eth0" is the default WAN device and "nwbpf-vx0" the default tunnel
  // device, but this file asked for others: only the bad names are reported.
  EXPECT_EQ(errors_of(R"([node]
overlay_address = "10.0.0.1"
wan_interface = "eth0 "
[dataplane]
tunnel_device = "vx/0"
[[port]]
name = "eth0"
vlans = [1]
[[port]]
name = "nwbpf-vx0"
vlans = [1]
)"),
            "t.toml:3:17: node.wan_interface: interface name \"eth0 \" contains whitespace\n"
            "t.toml:5:17: dataplane.tunnel_device: interface name \"vx/0\" contains '/'");
}

TEST(ConfigRelations, NoFollowOnErrorsFromInvalidValues) {
  // The port's name, its VLANs and a peer's overlay are invalid: each is
  // reported once, and the references to them are not second-guessed.
  EXPECT_EQ(errors_of(R"([node]
overlay_address = "10.0.0.1"
[[port]]
name = "vethA:0"
vlans = [99]
[[port]]
name = "vethb"
vlans = ["100"]
[[peer]]
overlay = "10.0.0.x"
nbma = "192.168.0.2"
[[flood]]
vni = 100
vteps = ["10.0.0.2"]
[[fdb]]
vni = 99
mac = "0a:00:00:00:00:01"
port = "vethA:0"
[[fdb]]
vni = 99
mac = "0a:00:00:00:00:02"
port = "vethc"
)"),
            R"(t.toml:4:8: port[0].name: interface name "vethA:0" contains ':'
t.toml:8:10: port[1].vlans[0]: expected an integer, found a string
t.toml:10:11: peer[0].overlay: "10.0.0.x" is not an IPv4 address (expected a dotted quad such as 10.0.0.1)
t.toml:18:8: fdb[0].port: interface name "vethA:0" contains ':')");
}

}  // namespace
}  // namespace nwbpf
