// SPDX-License-Identifier: Apache-2.0
// dataplane/netlink.h against the real kernel, in the test's private network
// namespace: links, addresses, the collect_md VXLAN device, XDP delivery
// capability of veths, routes and neighbours of next hops, neighbour
// resolution.
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netlink/route/neighbour.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "dataplane/netlink.h"
#include "loader_support.h"

namespace nwbpf {
namespace {

using test::NamespacedTest;
using test::sh;
using test::Veth;

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

void set_gro(const std::string& dev, bool on) {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  ethtool_value value{.cmd = ETHTOOL_SGRO, .data = on ? 1u : 0u};
  ifreq req{};
  std::strncpy(req.ifr_name, dev.c_str(), IFNAMSIZ - 1);
  req.ifr_data = reinterpret_cast<char*>(&value);
  EXPECT_EQ(::ioctl(fd, SIOCETHTOOL, &req), 0) << std::strerror(errno);
  ::close(fd);
}

// An XDP_PASS program, as an edge host's veth end would carry.
int load_pass_xdp() {
  const bpf_insn insns[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K,
       .dst_reg = BPF_REG_0,
       .src_reg = 0,
       .off = 0,
       .imm = XDP_PASS},
      {.code = BPF_JMP | BPF_EXIT, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0},
  };
  int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "pass", "GPL", insns, 2, nullptr);
  if (fd < 0) throw std::runtime_error("cannot load an XDP_PASS program");
  return fd;
}

// The kernel's neighbour state for dst on dev, 0 (NUD_NONE) if no entry.
int neigh_state(int ifindex, Ipv4 dst) {
  nl_sock* sock = nl_socket_alloc();
  nl_connect(sock, NETLINK_ROUTE);
  nl_cache* cache = nullptr;
  int state = 0;
  if (rtnl_neigh_alloc_cache(sock, &cache) == 0) {
    nl_addr* addr = nl_addr_build(AF_INET, &dst.be, sizeof(dst.be));
    if (rtnl_neigh* n = rtnl_neigh_get(cache, ifindex, addr)) {
      state = rtnl_neigh_get_state(n);
      rtnl_neigh_put(n);
    }
    nl_addr_put(addr);
    nl_cache_free(cache);
  }
  nl_socket_free(sock);
  return state;
}

int wait_for_neigh_state(int ifindex, Ipv4 dst, int wanted) {
  int state = 0;
  for (int i = 0; i < 200; ++i) {
    state = neigh_state(ifindex, dst);
    if (state & wanted) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return state;
}

class LoaderNetlink : public NamespacedTest {};

TEST_F(LoaderNetlink, GetLinkByNameAndIndex) {
  Veth veth("nwt-a", "nwt-b");
  sh("ip link set nwt-a address 02:00:00:00:00:0a mtu 1400");
  auto by_name = netlink::get_link("nwt-a");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->ifindex, test::ifindex("nwt-a"));
  EXPECT_EQ(by_name->name, "nwt-a");
  EXPECT_EQ(by_name->kind, "veth");
  EXPECT_TRUE(by_name->up);
  EXPECT_EQ(by_name->mtu, 1400u);
  EXPECT_EQ(by_name->mac.str(), "02:00:00:00:00:0a");

  auto by_index = netlink::get_link(by_name->ifindex);
  ASSERT_TRUE(by_index);
  EXPECT_EQ(by_index->name, "nwt-a");

  sh("ip link set nwt-b down");
  EXPECT_FALSE(netlink::get_link("nwt-b")->up);
  EXPECT_EQ(netlink::get_link("lo")->kind, "");
  EXPECT_FALSE(netlink::get_link("nwt-none"));
  EXPECT_FALSE(netlink::get_link(999999));
  EXPECT_THROW(netlink::get_link("a-name-that-is-too-long"), std::invalid_argument);
}

TEST_F(LoaderNetlink, PrimaryIpv4IsTheFirstPrimaryAddress) {
  Veth veth("nwt-a", "nwt-b");
  int ifindex = test::ifindex("nwt-a");
  EXPECT_FALSE(netlink::primary_ipv4(ifindex));
  sh("ip addr add 192.168.0.1/24 dev nwt-a && ip addr add 192.168.0.9/24 dev nwt-a");  // .9 is
                                                                                       // secondary
  sh("ip addr add 10.7.0.1/8 dev nwt-b");
  EXPECT_EQ(netlink::primary_ipv4(ifindex), ip("192.168.0.1"));
  sh("ip addr del 192.168.0.1/24 dev nwt-a");  // no promote_secondaries: .9 goes too
  EXPECT_FALSE(netlink::primary_ipv4(ifindex));
}

TEST_F(LoaderNetlink, XdpTxCapabilityOfAVethFollowsItsPeer) {
  Veth veth("nwt-a", "nwt-b");
  int a = test::ifindex("nwt-a"), b = test::ifindex("nwt-b");
  auto cap = netlink::xdp_tx_capability(a);
  EXPECT_FALSE(cap.ok);
  EXPECT_EQ(cap.reason, "veth peer has no XDP program and GRO off");

  int prog = load_pass_xdp();
  ASSERT_EQ(bpf_xdp_attach(b, prog, XDP_FLAGS_DRV_MODE, nullptr), 0);
  cap = netlink::xdp_tx_capability(a);
  EXPECT_TRUE(cap.ok);
  EXPECT_EQ(cap.reason, "ndo_xdp_xmit available");
  EXPECT_FALSE(netlink::xdp_tx_capability(b).ok)
      << "b's own program does not help frames sent into b";
  ASSERT_EQ(bpf_xdp_detach(b, XDP_FLAGS_DRV_MODE, nullptr), 0);
  ::close(prog);
  EXPECT_FALSE(netlink::xdp_tx_capability(a).ok);

  set_gro("nwt-b", true);
  EXPECT_TRUE(netlink::xdp_tx_capability(a).ok);
  set_gro("nwt-b", false);
  EXPECT_FALSE(netlink::xdp_tx_capability(a).ok);
}

TEST_F(LoaderNetlink, XdpTxCapabilityOfOtherDevices) {
  auto cap = netlink::xdp_tx_capability(test::ifindex("lo"));
  EXPECT_FALSE(cap.ok);
  EXPECT_EQ(cap.reason, "driver does not implement ndo_xdp_xmit");
  try {
    netlink::xdp_tx_capability(999999);
    FAIL() << "no error for a missing device";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "no device with ifindex 999999");
  }
}

TEST_F(LoaderNetlink, EnsureVxlanCollectMdCreatesThenReusesTheDevice) {
  int ifindex = netlink::ensure_vxlan_collect_md("nwt-vx0", 1450);
  auto link = netlink::get_link("nwt-vx0");
  ASSERT_TRUE(link);
  EXPECT_EQ(link->ifindex, ifindex);
  EXPECT_EQ(link->kind, "vxlan");
  EXPECT_TRUE(link->up);
  EXPECT_EQ(link->mtu, 1450u);
  std::string details = sh("ip -d link show nwt-vx0");
  EXPECT_NE(details.find("external"), std::string::npos) << details;
  EXPECT_NE(details.find("dstport 4789"), std::string::npos) << details;
  EXPECT_NE(details.find("nolearning"), std::string::npos) << details;

  // Found again (an agent restart); the MTU follows the config, the device stays.
  EXPECT_EQ(netlink::ensure_vxlan_collect_md("nwt-vx0", 1400), ifindex);
  EXPECT_EQ(netlink::get_link("nwt-vx0")->mtu, 1400u);
  sh("ip link set nwt-vx0 down");
  EXPECT_EQ(netlink::ensure_vxlan_collect_md("nwt-vx0", 1400), ifindex);
  EXPECT_TRUE(netlink::get_link("nwt-vx0")->up);

  netlink::delete_link("nwt-vx0");
  EXPECT_FALSE(netlink::get_link("nwt-vx0"));
  EXPECT_NO_THROW(netlink::delete_link("nwt-vx0"));
}

TEST_F(LoaderNetlink, EnsureVxlanCollectMdRefusesAnotherDeviceOfThatName) {
  Veth veth("nwt-vx0", "nwt-b");
  try {
    netlink::ensure_vxlan_collect_md("nwt-vx0", 1450);
    FAIL() << "reused a veth as the tunnel device";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "device nwt-vx0 exists but is a veth device, not VXLAN: refusing to reuse it. Delete "
              "it (ip link del "
              "nwt-vx0) or set dataplane.tunnel_device to another name");
  }
  sh("ip link add nwt-vx1 type vxlan id 99 dstport 4789");
  try {
    netlink::ensure_vxlan_collect_md("nwt-vx1", 1450);
    FAIL() << "reused a VXLAN device with a fixed VNI";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "device nwt-vx1 exists but is not in external (collect_md) mode: refusing to reuse "
              "it. Delete it (ip "
              "link del nwt-vx1) or set dataplane.tunnel_device to another name");
  }
  sh("ip link del nwt-vx1");
  EXPECT_THROW(netlink::ensure_vxlan_collect_md("nwt-vx1", 20), std::invalid_argument);
}

// The peer end of the veth sits in another namespace with 10.1.0.2 (MAC
// 02:00:00:00:0b:0b), so ARP for it really resolves.
class LoaderNeighbour : public LoaderNetlink {
 protected:
  void SetUp() override {
    LoaderNetlink::SetUp();
    if (HasFatalFailure()) return;
    veth_ = std::make_unique<Veth>("nwt-a", "nwt-b");
    sh("ip link set nwt-b netns " + std::to_string(peer_.pid()));
    peer_.sh("ip link set nwt-b address 02:00:00:00:0b:0b");
    peer_.sh("ip addr add 10.1.0.2/24 dev nwt-b");
    peer_.sh("ip link set nwt-b up");
    sh("ip addr add 10.1.0.1/24 dev nwt-a");
    a_ = test::ifindex("nwt-a");
  }
  test::PeerNetns peer_;
  std::unique_ptr<Veth> veth_;
  int a_ = 0;
};

const Mac kPeerMac = *Mac::parse("02:00:00:00:0b:0b");

TEST_F(LoaderNeighbour, RouteToAnOnLinkAddressAndThroughAGateway) {
  EXPECT_EQ(netlink::get_route(ip("10.1.0.7"), a_), (netlink::Route{a_, std::nullopt, false}));
  sh("ip route add 10.9.0.0/16 via 10.1.0.2");
  EXPECT_EQ(netlink::get_route(ip("10.9.0.7"), a_), (netlink::Route{a_, ip("10.1.0.2"), false}));
  sh("ip route add default via 10.1.0.2");
  EXPECT_EQ(netlink::get_route(ip("198.51.100.1"), a_),
            (netlink::Route{a_, ip("10.1.0.2"), false}));
  EXPECT_EQ(netlink::get_route(ip("10.1.0.1"), a_), (netlink::Route{0, std::nullopt, true}))
      << "our own address";
}

TEST_F(LoaderNeighbour, OnlyRoutesThroughTheGivenDeviceCount) {
  // The kernel answers `ip route get X oif DEV` even without a route (it
  // takes X for on-link); get_route must not.
  EXPECT_EQ(netlink::get_route(ip("192.0.2.1"), a_), std::nullopt) << "no route at all";
  Veth other("nwt-c", "nwt-d");
  sh("ip addr add 10.5.0.1/24 dev nwt-c");
  EXPECT_TRUE(netlink::get_route(ip("10.5.0.7"), test::ifindex("nwt-c")));
  EXPECT_EQ(netlink::get_route(ip("10.5.0.7"), a_), std::nullopt) << "only via nwt-c";
  sh("ip route add blackhole 198.51.100.0/24");
  EXPECT_EQ(netlink::get_route(ip("198.51.100.1"), a_), std::nullopt);
  sh("ip route add 203.0.113.0/24 via 10.1.0.2");
  sh("ip link set nwt-a down");
  EXPECT_EQ(netlink::get_route(ip("203.0.113.1"), a_), std::nullopt) << "device down";
  try {
    netlink::get_route(ip("10.1.0.2"), 999999);
    FAIL() << "no error for a missing device";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot look up the route to 10.1.0.2 via ifindex 999999: No such device");
  }
}

TEST_F(LoaderNeighbour, NeighbourEntryWithStateAndMac) {
  EXPECT_EQ(netlink::get_neighbour(a_, ip("10.1.0.9")), std::nullopt);
  sh("ip neigh add 10.1.0.9 lladdr 02:00:00:00:09:09 dev nwt-a nud permanent");
  EXPECT_EQ(netlink::get_neighbour(a_, ip("10.1.0.9")),
            (netlink::Neighbour{*Mac::parse("02:00:00:00:09:09"), NUD_PERMANENT}));
  sh("ip neigh replace 10.1.0.9 lladdr 02:00:00:00:09:10 dev nwt-a nud reachable");
  EXPECT_EQ(netlink::get_neighbour(a_, ip("10.1.0.9")),
            (netlink::Neighbour{*Mac::parse("02:00:00:00:09:10"), NUD_REACHABLE}));
}

TEST_F(LoaderNeighbour, ResolvesAnOnLinkAddress) {
  EXPECT_EQ(neigh_state(a_, ip("10.1.0.2")), 0);
  netlink::resolve_neighbour(a_, ip("10.1.0.2"));
  EXPECT_EQ(wait_for_neigh_state(a_, ip("10.1.0.2"), NUD_REACHABLE), NUD_REACHABLE);
  EXPECT_EQ(netlink::get_neighbour(a_, ip("10.1.0.2")),
            (netlink::Neighbour{kPeerMac, NUD_REACHABLE}));
}

TEST_F(LoaderNeighbour, ReconfirmsAStaleEntry) {
  sh("ip neigh add 10.1.0.2 lladdr 02:00:00:00:0b:0b dev nwt-a nud stale");
  netlink::resolve_neighbour(a_, ip("10.1.0.2"));
  EXPECT_TRUE(wait_for_neigh_state(a_, ip("10.1.0.2"), NUD_DELAY | NUD_PROBE | NUD_REACHABLE) &
              (NUD_DELAY | NUD_PROBE | NUD_REACHABLE))
      << "STALE entries are probed only when used";
}

TEST_F(LoaderNeighbour, UnansweredAddressStaysAnOrdinaryEntry) {
  netlink::resolve_neighbour(a_, ip("10.1.0.3"));  // nobody answers
  int state = neigh_state(a_, ip("10.1.0.3"));
  EXPECT_TRUE(state & (NUD_INCOMPLETE | NUD_FAILED)) << state;
  EXPECT_FALSE(state & NUD_PERMANENT);
  auto n = netlink::get_neighbour(a_, ip("10.1.0.3"));
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->mac.is_zero());
}

TEST_F(LoaderNeighbour, ResolvingOnAMissingDeviceIsAnError) {
  try {
    netlink::resolve_neighbour(999999, ip("10.1.0.2"));
    FAIL() << "no error for a missing device";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(
        std::string(e.what()).rfind("cannot resolve neighbour 10.1.0.2 on ifindex 999999: ", 0), 0u)
        << e.what();
  }
}

}  // namespace
}  // namespace nwbpf
