// SPDX-License-Identifier: Apache-2.0
// The NHS (route-server) registration cache: Registration Requests in,
// Registration Replies, binding changes and Purge Requests out (RFC 2332
// §5.2.3-§5.2.6, CIE codes §5.2.4), in the DMVPN dialect of FRR nhrpd,
// including the NAT Address extension. Pure: the caller passes the packet,
// the NBMA address it came from and the time (std::chrono::steady_clock);
// it sends what comes back and arms a timer for next_deadline().
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "nhrp/clock.h"
#include "nhrp/packet.h"
#include "nhrp/request_ids.h"

namespace nwbpf::nhrp {

struct Ipv4Prefix {
  Ipv4 network;
  uint8_t length = 0;  // 0-32
  bool contains(Ipv4 address) const;
};

struct RegistrationCacheConfig {
  Ipv4 nbma;      // this NHS's NBMA address (Purge Requests, Responder Address)
  Ipv4 protocol;  // this NHS's overlay address (reply destination, Responder Address)
  uint16_t mtu = 0;                   // in our Responder Address and NAT CIEs (0: not said)
  uint16_t holding_time = 7200;       // in our Responder Address CIE, seconds
  std::optional<Ipv4Prefix> allowed;  // overlay addresses a client may register
};

// One overlay -> NBMA binding.
struct Binding {
  Ipv4 overlay;
  Ipv4 nbma;                     // the NBMA address the client claims
  std::optional<Ipv4> nat_nbma;  // where its packets come from, when that differs
  uint16_t mtu = 0;
  uint16_t holding_time = 0;  // seconds, as registered
  TimePoint expires;
  bool unique = false;  // registered with the U bit (§5.2.3)
  // The address peers must send to: the NAT'd one when there is one.
  Ipv4 reachable_at() const { return nat_nbma.value_or(nbma); }
  bool operator==(const Binding&) const = default;
};

struct BindingChange {
  enum class Kind { added, changed, removed, expired };
  Kind kind = Kind::added;
  Binding binding;                  // the new one (added, changed) or the old one
  std::optional<Binding> previous;  // changed: what it replaced
  bool operator==(const BindingChange&) const = default;
};

// A Purge Request (§5.2.5) and where to send it.
struct PurgeToSend {
  Ipv4 to_nbma;
  Packet request;
};

struct RegistrationOutcome {
  Packet reply;  // the Registration Reply (§5.2.4) to send to the source NBMA address
  std::vector<BindingChange> changes;
  std::vector<PurgeToSend> purges;
};

// What a Resolution Reply needs about one overlay address.
struct Resolved {
  Ipv4 nbma;
  std::optional<Ipv4> nat_nbma;
  std::chrono::seconds remaining{0};
  uint16_t mtu = 0;  // as registered (0: not said)
  bool operator==(const Resolved&) const = default;
};

class RegistrationCache {
 public:
  explicit RegistrationCache(RegistrationCacheConfig config) : config_(config) {}

  // Handles one decoded Registration Request that arrived from `source_nbma`
  // (the outer IP source). Every CIE gets a code in the reply; an Error (the
  // Error Indication to answer with) only for a packet that is not a
  // Registration Request or carries no CIE.
  Result<RegistrationOutcome> register_client(const Packet& request, Ipv4 source_nbma,
                                              TimePoint now);

  // Removes the bindings whose holding time ran out by `now`, reported in
  // the order they expired.
  std::vector<BindingChange> expire(TimePoint now);
  std::optional<TimePoint> next_deadline() const;

  // The live binding of `overlay` at `now`, or nullopt.
  std::optional<Resolved> resolve(Ipv4 overlay, TimePoint now) const;

  const std::map<Ipv4, Binding>& bindings() const { return bindings_; }
  const RegistrationCacheConfig& config() const { return config_; }

 private:
  uint8_t apply(const Cie& cie, const Packet& request, Ipv4 source_nbma, TimePoint now,
                RegistrationOutcome& out);
  void put(const Binding& binding);
  void erase(Ipv4 overlay);
  PurgeToSend purge_for(const Binding& old);

  RegistrationCacheConfig config_;
  std::map<Ipv4, Binding> bindings_;
  std::set<std::pair<TimePoint, Ipv4>> deadlines_;  // (expires, overlay), soonest first
  RequestIds purge_ids_;
};

}  // namespace nwbpf::nhrp
