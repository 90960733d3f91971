// SPDX-License-Identifier: Apache-2.0
#include "support/capture.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace nwbpf::test {

Capture::Capture(const std::string& ifname) {
  ifindex_ = static_cast<int>(if_nametoindex(ifname.c_str()));
  if (!ifindex_) throw std::runtime_error("no device " + ifname);
  fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
  if (fd_ < 0) throw std::runtime_error(std::string("AF_PACKET socket: ") + std::strerror(errno));
  int one = 1;
  setsockopt(fd_, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = ifindex_;
  if (bind(fd_, reinterpret_cast<sockaddr*>(&sll), sizeof(sll)) != 0)
    throw std::runtime_error(std::string("bind AF_PACKET: ") + std::strerror(errno));
}

Capture::~Capture() {
  if (fd_ >= 0) close(fd_);
}

void Capture::send(const Bytes& frame) {
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_ifindex = ifindex_;
  sll.sll_halen = 6;
  std::memcpy(sll.sll_addr, frame.data(), 6);
  if (sendto(fd_, frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&sll), sizeof(sll)) !=
      static_cast<ssize_t>(frame.size()))
    throw std::runtime_error(std::string("AF_PACKET send: ") + std::strerror(errno));
}

std::optional<Bytes> Capture::next(int timeout_ms) {
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
    Bytes buf(65536);
    sockaddr_ll from{};
    iovec iov{buf.data(), buf.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(tpacket_auxdata))];
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof(from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t n = recvmsg(fd_, &msg, 0);
    if (n < 0) throw std::runtime_error(std::string("recvmsg: ") + std::strerror(errno));
    if (from.sll_pkttype == PACKET_OUTGOING) continue;
    buf.resize(n);
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA) continue;
      tpacket_auxdata aux;
      std::memcpy(&aux, CMSG_DATA(c), sizeof(aux));
      if (aux.tp_status & TP_STATUS_VLAN_VALID) {
        uint16_t tpid =
            (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid : ETH_P_8021Q;
        uint8_t tag[4] = {uint8_t(tpid >> 8), uint8_t(tpid), uint8_t(aux.tp_vlan_tci >> 8),
                          uint8_t(aux.tp_vlan_tci)};
        buf.insert(buf.begin() + 12, tag, tag + 4);
      }
    }
    return buf;
  }
}

std::vector<Bytes> Capture::drain(int timeout_ms) {
  std::vector<Bytes> out;
  while (auto f = next(timeout_ms)) out.push_back(std::move(*f));
  return out;
}

}  // namespace nwbpf::test
