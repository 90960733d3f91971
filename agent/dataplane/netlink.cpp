// SPDX-License-Identifier: Apache-2.0
// rtnetlink through libnl-route: links, addresses, the collect_md VXLAN
// device, route and neighbour queries, neighbour resolution. The genetlink
// query is in netlink_xdp.cpp.
#include "dataplane/netlink.h"

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vxlan.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>

#include "common/log.h"
#include "nwbpf/consts.h"

namespace nwbpf::netlink {

namespace {

struct Free {
  void operator()(nl_sock* p) const { nl_socket_free(p); }
  void operator()(nl_msg* p) const { nlmsg_free(p); }
  void operator()(nl_cache* p) const { nl_cache_free(p); }
  void operator()(nl_addr* p) const { nl_addr_put(p); }
  void operator()(rtnl_link* p) const { rtnl_link_put(p); }
  void operator()(rtnl_route* p) const { rtnl_route_put(p); }
  void operator()(rtnl_neigh* p) const { rtnl_neigh_put(p); }
};
template <typename T>
using Ptr = std::unique_ptr<T, Free>;

template <typename T>
Ptr<T> owned(T* p) {
  if (!p) throw std::bad_alloc();
  return Ptr<T>(p);
}

[[noreturn]] void fail(const std::string& what, int nlerr) {
  throw std::runtime_error(what + ": " + nl_geterror(nlerr));
}

Ptr<nl_sock> route_socket() {
  auto sock = owned(nl_socket_alloc());
  if (int err = nl_connect(sock.get(), NETLINK_ROUTE)) fail("cannot open an rtnetlink socket", err);
  return sock;
}

// libnl maps the kernel's ENODEV to one of these, depending on the call.
bool is_missing(int err) { return err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV; }

void check_ifname(const std::string& name) {
  if (name.empty() || name.size() >= IF_NAMESIZE)
    throw std::invalid_argument("invalid interface name '" + name + "' (1 to " +
                                std::to_string(IF_NAMESIZE - 1) + " characters)");
}

// The link by index or name; nullptr when there is none.
Ptr<rtnl_link> fetch(nl_sock* sock, int ifindex, const std::string& name) {
  rtnl_link* link = nullptr;
  int err = rtnl_link_get_kernel(sock, ifindex, name.empty() ? nullptr : name.c_str(), &link);
  if (is_missing(err)) return nullptr;
  if (err)
    fail("cannot read link " + (name.empty() ? "ifindex " + std::to_string(ifindex) : name), err);
  return Ptr<rtnl_link>(link);
}

LinkInfo to_info(rtnl_link* link) {
  LinkInfo info;
  info.ifindex = rtnl_link_get_ifindex(link);
  info.name = rtnl_link_get_name(link);
  const char* kind = rtnl_link_get_type(link);
  info.kind = kind ? kind : "";
  info.up = rtnl_link_get_flags(link) & IFF_UP;
  info.mtu = rtnl_link_get_mtu(link);
  nl_addr* addr = rtnl_link_get_addr(link);
  if (addr && nl_addr_get_len(addr) == info.mac.bytes.size())
    std::memcpy(info.mac.bytes.data(), nl_addr_get_binary_addr(addr), info.mac.bytes.size());
  return info;
}

// Throws unless `link` is the device ensure_vxlan_collect_md would create.
void check_collect_md(rtnl_link* link, const std::string& name) {
  auto refuse = [&](const std::string& why) {
    throw std::runtime_error("device " + name + " exists but " + why +
                             ": refusing to reuse it. Delete it (ip link del " + name +
                             ") or set dataplane.tunnel_device to another name");
  };
  if (!rtnl_link_is_vxlan(link)) {
    const char* kind = rtnl_link_get_type(link);
    refuse(std::string("is a ") + (kind ? kind : "physical") + " device, not VXLAN");
  }
  if (rtnl_link_vxlan_get_collect_metadata(link) != 1)
    refuse("is not in external (collect_md) mode");
  uint32_t port = 0;
  if (rtnl_link_vxlan_get_port(link, &port) < 0 || port != NWBPF_VXLAN_PORT)
    refuse("uses UDP port " + std::to_string(port) + ", not " + std::to_string(NWBPF_VXLAN_PORT));
  if (rtnl_link_vxlan_get_learning(link) > 0) refuse("learns MACs itself (learning on)");
}

// One rtnetlink request and its one answer, parsed by `parse`
// (rtnl_route_parse, rtnl_neigh_parse). Returns the object, or nullptr with
// the kernel's errno in `sys_err` when it refused the request.
template <typename T>
Ptr<T> request(nl_sock* sock, nl_msg* msg, int (*parse)(nlmsghdr*, T**), int& sys_err,
               const std::string& what) {
  struct Answer {
    int (*parse)(nlmsghdr*, T**);
    T* obj = nullptr;
    int parse_err = 0;
    int sys_err = 0;
  } answer{parse};
  nl_socket_disable_auto_ack(sock);  // a get is answered by its result
  nl_socket_modify_cb(
      sock, NL_CB_VALID, NL_CB_CUSTOM,
      [](nl_msg* reply, void* arg) {
        auto* a = static_cast<Answer*>(arg);
        if (!a->obj) a->parse_err = a->parse(nlmsg_hdr(reply), &a->obj);
        return static_cast<int>(NL_OK);
      },
      &answer);
  nl_socket_modify_err_cb(
      sock, NL_CB_CUSTOM,
      [](sockaddr_nl*, nlmsgerr* e, void* arg) {
        static_cast<Answer*>(arg)->sys_err = -e->error;
        return static_cast<int>(NL_STOP);
      },
      &answer);
  if (int err = nl_send_auto(sock, msg); err < 0) fail("cannot send " + what, err);
  int err = nl_recvmsgs_default(sock);
  Ptr<T> obj(answer.obj);
  sys_err = answer.sys_err;
  if (sys_err) return nullptr;
  if (err < 0) fail("cannot read the answer to " + what, err);
  if (answer.parse_err < 0) fail("cannot parse the answer to " + what, answer.parse_err);
  if (!obj) throw std::runtime_error("no answer to " + what);
  return obj;
}

std::string sys_error(const std::string& what, int sys_err) {
  return what + ": " + std::strerror(sys_err);
}

}  // namespace

std::optional<LinkInfo> get_link(const std::string& name) {
  check_ifname(name);
  auto sock = route_socket();
  auto link = fetch(sock.get(), 0, name);
  if (!link) return std::nullopt;
  return to_info(link.get());
}

std::optional<LinkInfo> get_link(int ifindex) {
  if (ifindex <= 0) return std::nullopt;
  auto sock = route_socket();
  auto link = fetch(sock.get(), ifindex, "");
  if (!link) return std::nullopt;
  return to_info(link.get());
}

std::optional<Ipv4> primary_ipv4(int ifindex) {
  auto sock = route_socket();
  nl_cache* raw = nullptr;
  if (int err = rtnl_addr_alloc_cache(sock.get(), &raw)) fail("cannot list addresses", err);
  Ptr<nl_cache> cache(raw);
  // The kernel lists a device's primary addresses before its secondaries.
  for (nl_object* obj = nl_cache_get_first(raw); obj; obj = nl_cache_get_next(obj)) {
    auto* addr = reinterpret_cast<rtnl_addr*>(obj);
    if (rtnl_addr_get_ifindex(addr) != ifindex || rtnl_addr_get_family(addr) != AF_INET) continue;
    if (rtnl_addr_get_flags(addr) & IFA_F_SECONDARY) continue;
    nl_addr* local = rtnl_addr_get_local(addr);
    if (!local || nl_addr_get_len(local) != sizeof(uint32_t)) continue;
    Ipv4 ip;
    std::memcpy(&ip.be, nl_addr_get_binary_addr(local), sizeof(ip.be));
    return ip;
  }
  return std::nullopt;
}

int ensure_vxlan_collect_md(const std::string& name, uint32_t mtu) {
  check_ifname(name);
  if (mtu < 68 || mtu > 65535)
    throw std::invalid_argument("MTU " + std::to_string(mtu) + " for " + name +
                                " is out of range (68-65535)");
  auto sock = route_socket();
  auto logger = log::get("dataplane");

  if (auto link = fetch(sock.get(), 0, name)) {
    check_collect_md(link.get(), name);
    if (rtnl_link_get_mtu(link.get()) != mtu || !(rtnl_link_get_flags(link.get()) & IFF_UP)) {
      auto change = owned(rtnl_link_alloc());
      rtnl_link_set_mtu(change.get(), mtu);
      rtnl_link_set_flags(change.get(), IFF_UP);
      if (int err = rtnl_link_change(sock.get(), link.get(), change.get(), 0))
        fail("cannot set " + name + " up", err);
      logger->info("VXLAN device {}: set up, MTU {}", name, mtu);
    }
    return rtnl_link_get_ifindex(link.get());
  }

  auto link = owned(rtnl_link_vxlan_alloc());
  rtnl_link_set_name(link.get(), name.c_str());
  rtnl_link_vxlan_set_collect_metadata(link.get(), 1);
  rtnl_link_vxlan_set_port(link.get(), NWBPF_VXLAN_PORT);
  // nwbpf owns the FDB: the device must not learn remote MACs on its own.
  rtnl_link_vxlan_disable_learning(link.get());
  rtnl_link_set_mtu(link.get(), mtu);
  rtnl_link_set_flags(link.get(), IFF_UP);
  if (int err = rtnl_link_add(sock.get(), link.get(), NLM_F_CREATE | NLM_F_EXCL))
    fail("cannot create VXLAN device " + name, err);
  auto created = fetch(sock.get(), 0, name);
  if (!created)
    throw std::runtime_error("VXLAN device " + name + " vanished right after it was created");
  logger->info("created VXLAN device {} (external, dstport {}, nolearning, MTU {})", name,
               NWBPF_VXLAN_PORT, mtu);
  return rtnl_link_get_ifindex(created.get());
}

void delete_link(const std::string& name) {
  check_ifname(name);
  auto sock = route_socket();
  auto link = owned(rtnl_link_alloc());
  rtnl_link_set_name(link.get(), name.c_str());
  int err = rtnl_link_delete(sock.get(), link.get());
  if (err && !is_missing(err)) fail("cannot delete link " + name, err);
}

std::optional<Route> get_route(Ipv4 dst, int oif) {
  const std::string what = "route to " + dst.str() + " via ifindex " + std::to_string(oif);
  auto sock = route_socket();
  auto msg = owned(nlmsg_alloc_simple(RTM_GETROUTE, 0));
  rtmsg rtm{};
  rtm.rtm_family = AF_INET;
  rtm.rtm_dst_len = 32;
  rtm.rtm_flags = RTM_F_LOOKUP_TABLE;  // report the table the route came from
  if (nlmsg_append(msg.get(), &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
      nla_put(msg.get(), RTA_DST, sizeof(dst.be), &dst.be) < 0 ||
      nla_put_u32(msg.get(), RTA_OIF, static_cast<uint32_t>(oif)) < 0)
    throw std::bad_alloc();
  int sys_err = 0;
  auto route = request(sock.get(), msg.get(), rtnl_route_parse, sys_err, what);
  // ENETUNREACH also when oif is down.
  if (sys_err == ENETUNREACH || sys_err == EHOSTUNREACH || sys_err == EACCES) return std::nullopt;
  if (sys_err) throw std::runtime_error(sys_error("cannot look up the " + what, sys_err));

  Route out;
  if (rtnl_route_get_type(route.get()) == RTN_LOCAL) {
    out.local = true;
    return out;
  }
  // Given an output device, the kernel answers even without a route through
  // it ("the routing tables are wrong, assume on-link"); that answer names
  // no table (RTM_F_LOOKUP_TABLE), since it comes from no FIB entry.
  if (rtnl_route_get_table(route.get()) == RT_TABLE_UNSPEC) return std::nullopt;
  if (rtnl_route_get_type(route.get()) != RTN_UNICAST) return std::nullopt;
  rtnl_nexthop* nh = rtnl_route_nexthop_n(route.get(), 0);
  if (!nh) throw std::runtime_error(what + " has no next hop");
  out.ifindex = rtnl_route_nh_get_ifindex(nh);
  if (rtnl_route_nh_get_via(nh))
    throw std::runtime_error(what + " goes via an IPv6 gateway, which nwbpf does not support");
  if (nl_addr* gw = rtnl_route_nh_get_gateway(nh)) {
    if (nl_addr_get_family(gw) != AF_INET || nl_addr_get_len(gw) != sizeof(uint32_t))
      throw std::runtime_error(what + " has a gateway that is not an IPv4 address");
    Ipv4 g;
    std::memcpy(&g.be, nl_addr_get_binary_addr(gw), sizeof(g.be));
    out.gateway = g;
  }
  return out;
}

std::optional<Neighbour> get_neighbour(int ifindex, Ipv4 addr) {
  const std::string what = "neighbour " + addr.str() + " on ifindex " + std::to_string(ifindex);
  auto sock = route_socket();
  auto msg = owned(nlmsg_alloc_simple(RTM_GETNEIGH, 0));
  ndmsg ndm{};
  ndm.ndm_family = AF_INET;
  ndm.ndm_ifindex = ifindex;
  if (nlmsg_append(msg.get(), &ndm, sizeof(ndm), NLMSG_ALIGNTO) < 0 ||
      nla_put(msg.get(), NDA_DST, sizeof(addr.be), &addr.be) < 0)
    throw std::bad_alloc();
  int sys_err = 0;
  auto neigh = request(sock.get(), msg.get(), rtnl_neigh_parse, sys_err, what);
  if (sys_err == ENOENT) return std::nullopt;
  if (sys_err) throw std::runtime_error(sys_error("cannot read " + what, sys_err));
  Neighbour out;
  out.state = static_cast<uint16_t>(rtnl_neigh_get_state(neigh.get()));
  nl_addr* ll = rtnl_neigh_get_lladdr(neigh.get());
  if (ll && nl_addr_get_len(ll) == out.mac.bytes.size())
    std::memcpy(out.mac.bytes.data(), nl_addr_get_binary_addr(ll), out.mac.bytes.size());
  return out;
}

void resolve_neighbour(int ifindex, Ipv4 addr) {
  auto sock = route_socket();
  auto target = owned(nl_addr_build(AF_INET, &addr.be, sizeof(addr.be)));
  auto neigh = owned(rtnl_neigh_alloc());
  rtnl_neigh_set_ifindex(neigh.get(), ifindex);
  rtnl_neigh_set_dst(neigh.get(), target.get());
  // NTF_USE makes the kernel resolve (ARP) as if a packet were waiting,
  // without sending one. NUD_NONE, not libnl's default NUD_PERMANENT, so the
  // entry is an ordinary one that ages and gets garbage-collected.
  rtnl_neigh_set_state(neigh.get(), NUD_NONE);
  rtnl_neigh_set_flags(neigh.get(), NTF_USE);
  if (int err = rtnl_neigh_add(sock.get(), neigh.get(), NLM_F_CREATE | NLM_F_REPLACE))
    fail("cannot resolve neighbour " + addr.str() + " on ifindex " + std::to_string(ifindex), err);
}

}  // namespace nwbpf::netlink
