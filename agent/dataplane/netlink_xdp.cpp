// SPDX-License-Identifier: Apache-2.0
// xdp_tx_capability through the "netdev" generic netlink family (Linux 6.3+),
// with libmnl: the family reports each device's XDP feature bits, and
// NETDEV_XDP_ACT_NDO_XMIT is the one that says frames redirected into the
// device are transmitted rather than silently dropped.
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "dataplane/netlink.h"

namespace nwbpf::netlink {

namespace {

// From the kernel's include/uapi/linux/netdev.h, which Debian 12's headers
// predate.
constexpr char kNetdevFamilyName[] = "netdev";  // NETDEV_FAMILY_NAME
constexpr uint8_t kNetdevFamilyVersion = 1;     // NETDEV_FAMILY_VERSION
constexpr uint8_t kNetdevCmdDevGet = 1;         // NETDEV_CMD_DEV_GET
constexpr uint16_t kNetdevAttrIfindex = 1;      // NETDEV_A_DEV_IFINDEX (u32)
constexpr uint16_t kNetdevAttrXdpFeatures = 3;  // NETDEV_A_DEV_XDP_FEATURES (u64)
constexpr uint64_t kXdpActNdoXmit = 4;          // NETDEV_XDP_ACT_NDO_XMIT

// One request at a time over a NETLINK_GENERIC socket.
class GenlSocket {
 public:
  GenlSocket() : nl_(mnl_socket_open(NETLINK_GENERIC)) {
    if (!nl_)
      throw std::runtime_error(std::string("cannot open a generic netlink socket: ") +
                               std::strerror(errno));
    if (mnl_socket_bind(nl_, 0, MNL_SOCKET_AUTOPID) < 0) {
      int err = errno;
      mnl_socket_close(nl_);
      throw std::runtime_error(std::string("cannot bind a generic netlink socket: ") +
                               std::strerror(err));
    }
    portid_ = mnl_socket_get_portid(nl_);
  }
  ~GenlSocket() { mnl_socket_close(nl_); }
  GenlSocket(const GenlSocket&) = delete;
  GenlSocket& operator=(const GenlSocket&) = delete;

  // Starts a request (acknowledged, so the exchange knows when it is over).
  nlmsghdr* start(uint16_t family, uint8_t cmd, uint8_t version) {
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf_.data());
    nlh->nlmsg_type = family;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    nlh->nlmsg_seq = ++seq_;
    auto* genl = static_cast<genlmsghdr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
    genl->cmd = cmd;
    genl->version = version;
    return nlh;
  }

  // Sends the request and runs `cb` on each reply until the ack. Returns 0,
  // or the errno the kernel (or the socket) answered with.
  int exchange(nlmsghdr* nlh, mnl_cb_t cb, void* data) {
    if (mnl_socket_sendto(nl_, nlh, nlh->nlmsg_len) < 0) return errno;
    for (;;) {
      ssize_t n = mnl_socket_recvfrom(nl_, buf_.data(), buf_.size());
      if (n < 0) return errno;
      int rc = mnl_cb_run(buf_.data(), static_cast<size_t>(n), seq_, portid_, cb, data);
      if (rc == MNL_CB_ERROR) return errno;
      if (rc == MNL_CB_STOP) return 0;
    }
  }

 private:
  mnl_socket* nl_;
  unsigned portid_ = 0;
  unsigned seq_ = 0;
  std::array<char, 32768> buf_{};  // a GETFAMILY reply lists every op: more than a page
};

int on_family(const nlmsghdr* nlh, void* data) {
  mnl_attr_parse(
      nlh, sizeof(genlmsghdr),
      [](const nlattr* attr, void* id) {
        if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
            mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
          *static_cast<uint16_t*>(id) = mnl_attr_get_u16(attr);
        return MNL_CB_OK;
      },
      data);
  return MNL_CB_OK;
}

struct XdpFeatures {
  bool reported = false;
  uint64_t bits = 0;
};

int on_device(const nlmsghdr* nlh, void* data) {
  mnl_attr_parse(
      nlh, sizeof(genlmsghdr),
      [](const nlattr* attr, void* out) {
        if (mnl_attr_get_type(attr) == kNetdevAttrXdpFeatures &&
            mnl_attr_validate(attr, MNL_TYPE_U64) >= 0) {
          auto* features = static_cast<XdpFeatures*>(out);
          features->reported = true;
          features->bits = mnl_attr_get_u64(attr);
        }
        return MNL_CB_OK;
      },
      data);
  return MNL_CB_OK;
}

}  // namespace

XdpTxCapability xdp_tx_capability(int ifindex) {
  if (ifindex <= 0)
    throw std::invalid_argument("xdp_tx_capability: invalid ifindex " + std::to_string(ifindex));
  GenlSocket sock;

  uint16_t family = 0;
  nlmsghdr* nlh = sock.start(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
  mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, kNetdevFamilyName);
  int err = sock.exchange(nlh, on_family, &family);
  if (err == ENOENT)
    return {false,
            "kernel has no netdev generic netlink family (Linux < 6.3): XDP redirect delivery "
            "cannot be checked"};
  if (err)
    throw std::runtime_error(std::string("cannot resolve the netdev genetlink family: ") +
                             std::strerror(err));
  if (!family) throw std::runtime_error("the netdev genetlink family reply carried no family id");

  nlh = sock.start(family, kNetdevCmdDevGet, kNetdevFamilyVersion);
  mnl_attr_put_u32(nlh, kNetdevAttrIfindex, static_cast<uint32_t>(ifindex));
  XdpFeatures features;
  err = sock.exchange(nlh, on_device, &features);
  if (err == ENODEV) throw std::runtime_error("no device with ifindex " + std::to_string(ifindex));
  if (err)
    throw std::runtime_error("cannot read the XDP features of ifindex " + std::to_string(ifindex) +
                             ": " + std::strerror(err));
  if (!features.reported)
    throw std::runtime_error("the kernel reported no XDP features for ifindex " +
                             std::to_string(ifindex));

  if (features.bits & kXdpActNdoXmit) return {true, "ndo_xdp_xmit available"};
  auto link = get_link(ifindex);
  if (link && link->kind == "veth") {
    // veth sets the bit only while its peer can receive XDP frames (it has an
    // XDP program or GRO on, either of which gives it NAPI) and clears every
    // bit while the peer has more TX queues than this end has RX queues.
    if (features.bits == 0)
      return {false, "veth peer has more TX queues than this veth has RX queues"};
    return {false, "veth peer has no XDP program and GRO off"};
  }
  return {false, "driver does not implement ndo_xdp_xmit"};
}

}  // namespace nwbpf::netlink
