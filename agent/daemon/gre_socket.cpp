// SPDX-License-Identifier: Apache-2.0
#include "daemon/gre_socket.h"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>

#include <boost/asio/buffer.hpp>
#include <cstring>
#include <system_error>

#include "nhrp/gre.h"

namespace nwbpf::daemon {

namespace {

using Protocol = boost::asio::generic::raw_protocol;

Protocol::endpoint endpoint_of(Ipv4 address) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = address.be;
  return Protocol::endpoint(&sin, sizeof sin, IPPROTO_GRE);
}

// A whole IPv4 datagram, as a raw socket hands it over.
constexpr size_t kMaxDatagram = 65535;

}  // namespace

GreSocket::GreSocket(boost::asio::io_context& io, const std::string& device, Ipv4 local,
                     std::optional<uint32_t> key, Handler handler)
    : socket_(io, Protocol(AF_INET, IPPROTO_GRE)),
      local_(local),
      key_(key),
      handler_(std::move(handler)),
      buffer_(kMaxDatagram) {
  // The device binding keeps GRE of other interfaces (another namespace's
  // view of the host, a kernel GRE device's underlay) out; the address
  // binding makes it the source of what we send.
  if (setsockopt(socket_.native_handle(), SOL_SOCKET, SO_BINDTODEVICE, device.c_str(),
                 static_cast<socklen_t>(device.size())) != 0)
    throw std::system_error(errno, std::generic_category(),
                            "cannot bind the NHRP socket to device " + device);
  socket_.bind(endpoint_of(local));
}

void GreSocket::start() { receive(); }

void GreSocket::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
}

bool GreSocket::send(Ipv4 to, std::span<const uint8_t> nhrp) {
  nhrp::GreHeader header;
  header.key = key_;
  wire::Bytes datagram = nhrp::encode_gre(header, nhrp);
  boost::system::error_code ec;
  socket_.send_to(boost::asio::buffer(datagram), endpoint_of(to), 0, ec);
  if (!ec) return true;
  ++counters_.send_failed;
  last_drop_ = "send to " + to.str() + ": " + ec.message();
  return false;
}

void GreSocket::receive() {
  socket_.async_receive_from(boost::asio::buffer(buffer_), sender_,
                             [this](const boost::system::error_code& ec, size_t size) {
                               if (stopped_ || ec == boost::asio::error::operation_aborted) return;
                               if (!ec) deliver(std::span(buffer_.data(), size));
                               receive();
                             });
}

void GreSocket::drop(uint64_t& counter, std::string why) {
  ++counter;
  last_drop_ = std::move(why);
}

void GreSocket::deliver(std::span<const uint8_t> datagram) {
  // A raw IPv4 socket receives the IPv4 header too (raw(7)).
  if (datagram.size() < sizeof(iphdr)) return drop(counters_.bad_gre, "datagram shorter than IPv4");
  iphdr ip;
  std::memcpy(&ip, datagram.data(), sizeof ip);
  const size_t header = size_t{ip.ihl} * 4;
  if (ip.version != 4 || header < sizeof ip || header > datagram.size())
    return drop(counters_.bad_gre, "bad IPv4 header");
  const Ipv4 from{ip.saddr};
  if (Ipv4{ip.daddr} != local_)
    return drop(counters_.not_ours, "GRE from " + from.str() + " to " + Ipv4{ip.daddr}.str());
  auto frame = nhrp::decode_gre(datagram.subspan(header));
  if (!frame)
    return drop(counters_.bad_gre, "GRE from " + from.str() + ": " + frame.error().message);
  const auto& gre = frame.value().header;
  if (gre.protocol != nhrp::kGreProtocolNhrp)
    return drop(counters_.not_ours, "GRE from " + from.str() + " is not NHRP");
  if (gre.key != key_)
    return drop(counters_.not_ours, "GRE from " + from.str() + " has another key");
  ++counters_.received;
  handler_(from, frame.value().payload);
}

}  // namespace nwbpf::daemon
