// SPDX-License-Identifier: Apache-2.0
// NHRP's transport without a GRE device: a raw IPv4 socket of protocol 47
// bound to the WAN device and this node's NBMA address. The kernel adds the
// IPv4 header on send and leaves it on receive; GRE (nhrp/gre.h) is ours on
// both ways. Only GRE with protocol type 0x2001 and this overlay's key (or
// none when no key is configured) reaches the handler: everything else
// that reaches the socket (another tunnel's GRE, a kernel GRE device's
// traffic) is counted and dropped.
#pragma once

#include <boost/asio/generic/raw_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/net_types.h"

namespace nwbpf::daemon {

struct GreSocketCounters {
  uint64_t received = 0;     // NHRP packets handed on
  uint64_t not_ours = 0;     // other protocol type, key or destination
  uint64_t bad_gre = 0;      // a GRE or IPv4 header that does not decode
  uint64_t send_failed = 0;  // sendto() refused (no route, ...)
};

class GreSocket {
 public:
  // `from`: the outer IPv4 source (the sender's NBMA address, NAT'd if
  // NAT is in the way); `nhrp`: the GRE payload.
  using Handler = std::function<void(Ipv4 from, std::span<const uint8_t> nhrp)>;

  // Throws std::system_error when the socket cannot be opened or bound
  // (no CAP_NET_RAW, no such device or address).
  GreSocket(boost::asio::io_context& io, const std::string& device, Ipv4 local,
            std::optional<uint32_t> key, Handler handler);

  void start();
  void stop();
  // Wraps `nhrp` in GRE and sends it to `to`. False (and a count) when the
  // kernel refuses it; NHRP's own retries cover a lost packet.
  bool send(Ipv4 to, std::span<const uint8_t> nhrp);

  const GreSocketCounters& counters() const { return counters_; }
  // Why the last packet was dropped, for a debug log line.
  const std::string& last_drop() const { return last_drop_; }

 private:
  void receive();
  void deliver(std::span<const uint8_t> datagram);
  void drop(uint64_t& counter, std::string why);

  boost::asio::basic_raw_socket<boost::asio::generic::raw_protocol> socket_;
  Ipv4 local_;
  std::optional<uint32_t> key_;
  Handler handler_;
  std::vector<uint8_t> buffer_;
  boost::asio::generic::raw_protocol::endpoint sender_;
  GreSocketCounters counters_;
  std::string last_drop_;
  bool stopped_ = false;
};

}  // namespace nwbpf::daemon
