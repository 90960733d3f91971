// SPDX-License-Identifier: Apache-2.0
#include "daemon/nat_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <system_error>

#include "common/log.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {

namespace {

constexpr uint8_t kTtl = 64;
constexpr uint16_t kUdpLength = 8 + 8;  // UDP + VXLAN, no inner frame
constexpr uint16_t kIpLength = 20 + kUdpLength;

}  // namespace

wire::Bytes nat_probe_datagram(Ipv4 from, Ipv4 to, uint16_t sport) {
  wire::Bytes out;
  wire::Writer w(out);
  // IPv4 (RFC 791): version 4, IHL 5; identification and checksum 0, for
  // the kernel to fill in (raw(7), IP_HDRINCL); DF clear, TTL 64, UDP.
  w.u8(0x45);
  w.u8(0);
  w.u16(kIpLength);
  w.u16(0);
  w.u16(0);
  w.u8(kTtl);
  w.u8(IPPROTO_UDP);
  w.u16(0);
  w.u32(ntohl(from.be));
  w.u32(ntohl(to.be));
  // UDP (RFC 768), checksum 0 (RFC 7348 section 5: SHOULD be 0).
  w.u16(sport);
  w.u16(NWBPF_VXLAN_PORT);
  w.u16(kUdpLength);
  w.u16(0);
  // VXLAN (RFC 7348 section 5): flags I and our PROBE, VNI 0.
  w.u8(NWBPF_VXLAN_FLAG_I | NWBPF_VXLAN_FLAG_PROBE);
  w.u24(0);
  w.u32(0);
  return out;
}

NatProbes::NatProbes(boost::asio::io_context& io, const std::string& device, Ipv4 local,
                     uint16_t sport)
    : local_(local), sport_(sport), timer_(io) {
  fd_ = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open the NAT probe socket");
  if (setsockopt(fd_, SOL_SOCKET, SO_BINDTODEVICE, device.c_str(),
                 static_cast<socklen_t>(device.size())) != 0) {
    const int error = errno;
    close(fd_);
    throw std::system_error(error, std::generic_category(),
                            "cannot bind the NAT probe socket to device " + device);
  }
}

void NatProbes::stop() {
  timer_.cancel();
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void NatProbes::aim(const std::set<Ipv4>& targets) {
  if (targets == targets_) return;
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(due_, [&](const auto& kv) { return !targets.contains(kv.first); });
  for (Ipv4 to : targets)
    if (!targets_.contains(to)) {
      send(to);
      due_[to] = now + kRepeat;
    }
  targets_ = targets;
  arm();
}

void NatProbes::send(Ipv4 to) {
  if (fd_ < 0) return;
  const wire::Bytes datagram = nat_probe_datagram(local_, to, sport_);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = to.be;
  if (sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&sin),
             sizeof sin) == static_cast<ssize_t>(datagram.size())) {
    ++counters_.sent;
    return;
  }
  ++counters_.send_failed;
  log::get("nhrp")->debug("NAT probe to {}: {}", to.str(), std::system_category().message(errno));
}

void NatProbes::arm() {
  timer_.cancel();
  if (due_.empty() || fd_ < 0) return;
  auto next = due_.begin()->second;
  for (const auto& [to, when] : due_) next = std::min(next, when);
  timer_.expires_at(next);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) on_timer();
  });
}

void NatProbes::on_timer() {
  const auto now = std::chrono::steady_clock::now();
  for (auto& [to, when] : due_)
    if (when <= now) {
      send(to);
      when = now + kInterval;
    }
  arm();
}

}  // namespace nwbpf::daemon
