// SPDX-License-Identifier: Apache-2.0
// NAT probes: what a CE behind NAT sends so that plaintext VXLAN can reach
// it (bpf/README.md, "NAT traversal"). A NAT forwards inbound UDP only as
// the answer to a mapping its inside opened, and may give each destination
// its own public port. So the CE sends every VXLAN frame from one fixed
// source port, and before a peer can send to it, a probe from that port has
// to cross the NAT towards that peer: it opens the mapping, and the peer's
// data plane learns the public port from it (NWBPF_PEER_NAT). Probes go to
// every peer and NHS when they appear (again a second later: the first may
// arrive before the peer's own reconcile has installed us) and every 20 s,
// which keeps the mappings alive (Linux forgets a one-way UDP mapping after
// 30 s; strongSwan's NAT-T keepalive is 20 s for the same reason).
//
// A probe is VXLAN with flags I|PROBE, VNI 0 and no inner frame, sent on an
// IPPROTO_RAW socket: a UDP socket could not share port 4789 with the
// kernel's VXLAN device, and a raw UDP socket would receive a copy of every
// UDP datagram.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "common/net_types.h"
#include "common/wire.h"

namespace nwbpf::daemon {

// The IPv4 datagram of one probe from `from`:`sport` to `to`:4789. The
// kernel fills in the IPv4 checksum and identification; the UDP checksum
// is 0, as RFC 7348 recommends for VXLAN.
wire::Bytes nat_probe_datagram(Ipv4 from, Ipv4 to, uint16_t sport);

struct NatProbeCounters {
  uint64_t sent = 0;
  uint64_t send_failed = 0;
};

class NatProbes {
 public:
  static constexpr auto kRepeat = std::chrono::seconds(1);    // a new target, once more
  static constexpr auto kInterval = std::chrono::seconds(20);  // every target, keepalive

  // Throws std::system_error when the socket cannot be opened or bound.
  NatProbes(boost::asio::io_context& io, const std::string& device, Ipv4 local, uint16_t sport);
  ~NatProbes() { stop(); }
  NatProbes(const NatProbes&) = delete;
  NatProbes& operator=(const NatProbes&) = delete;

  // Probes go to exactly `targets` from now on: new ones at once.
  void aim(const std::set<Ipv4>& targets);
  void stop();

  const std::set<Ipv4>& targets() const { return targets_; }
  const NatProbeCounters& counters() const { return counters_; }

 private:
  void send(Ipv4 to);
  void arm();
  void on_timer();

  int fd_ = -1;
  Ipv4 local_;
  uint16_t sport_;
  boost::asio::steady_timer timer_;
  std::set<Ipv4> targets_;
  std::map<Ipv4, std::chrono::steady_clock::time_point> due_;  // per target: next probe
  NatProbeCounters counters_;
};

}  // namespace nwbpf::daemon
