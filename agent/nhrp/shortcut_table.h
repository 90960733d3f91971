// SPDX-License-Identifier: Apache-2.0
// The NHC's shortcuts (RFC 2332 §5.2.1, §5.2.2, §5.2.5), sans-io: overlay
// address -> NBMA address bindings resolved through an NHS when traffic
// needs them, as FRR nhrpd's shortcuts work in DMVPN:
// - a Resolution Request for the target goes to an NHS with the Q, A and S
//   flags and Cisco's NAT flag, one CIE (prefix length 0xff, our holding
//   time), the empty Responder/Transit extensions, and a NAT Address
//   extension naming our NAT'd NBMA address when we are behind NAT;
// - the reply's first CIE must be a success; its holding time (ours when
//   0) bounds the binding; a NAT Address CIE for the target's protocol
//   address gives the NBMA address to use instead of the CIE's (the target
//   is behind NAT);
// - Error Indication "Protocol Address Unreachable" makes a negative entry
//   for `negative_time`, so traffic keeps going through the route server
//   without asking again meanwhile;
// - at 2/3 of the holding time a binding that carried traffic since it was
//   installed is resolved again, one that did not is removed at its end;
// - a Purge Request removes the bindings it names at once (and gets a
//   Purge Reply unless its N flag is set, §5.2.5).
// The caller installs and removes what the output says (the BPF map) and
// tells `used()` which bindings carried traffic.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nhrp/registration_client.h"

namespace nwbpf::nhrp {

struct ResolverConfig {
  Ipv4 protocol;  // our overlay address
  Ipv4 nbma;      // our NBMA address
  uint16_t holding_time = 7200;
  uint16_t mtu = 0;
  // How long a request waits for its answer before the entry is dropped
  // (the next miss asks again); FRR waits 30 s.
  std::chrono::seconds request_timeout{30};
  // How long a target the NHS could not resolve is not asked for again.
  // Short, not our holding time: the target may register any moment (a
  // config server started after the CEs, an NHS restarted with an empty
  // cache), and a node reached only by its NBMA address (the config server
  // a CE fetches from) is unreachable until it is asked for again.
  std::chrono::seconds negative_time{30};
};

struct Shortcut {
  enum class State { pending, resolved, negative };
  State state = State::pending;
  Ipv4 nbma;                     // resolved: where to send (NAT'd when the target is)
  bool natted = false;           // the NBMA address came from the NAT extension
  uint16_t holding_time = 0;     // resolved, negative: as granted
  TimePoint refresh;             // resolved: 2/3 of the holding time
  TimePoint expires;             // all: the entry's end
  bool used = false;             // traffic since installed or refreshed
  uint32_t request_id = 0;       // of the request in flight; 0: none
  Ipv4 via;                      // the NHS asked
};

// What the data plane's NHRP map gets: overlay -> NBMA address.
struct ShortcutBinding {
  Ipv4 protocol;
  Ipv4 nbma;
  bool operator==(const ShortcutBinding&) const = default;
};

struct ResolverOutput {
  std::vector<Send> send;
  std::vector<ShortcutBinding> installed;  // new or changed
  std::vector<Ipv4> removed;       // by protocol address
  std::vector<std::string> notes;
};

class ShortcutTable {
 public:
  ShortcutTable(ResolverConfig config, uint32_t first_request_id);

  // Traffic for `target` went through the route server: ask `nhs` (an NBMA
  // address) unless an entry (pending, resolved or negative) exists.
  // `our_nat_nbma`: our NAT'd address when registration saw one.
  ResolverOutput resolve(Ipv4 target, Ipv4 nhs, std::optional<Ipv4> our_nat_nbma, TimePoint now);
  // A Resolution Reply, Error Indication or Purge Request from `from`.
  ResolverOutput receive(Ipv4 from, const Packet& packet, TimePoint now);
  // A binding learned without asking: a peer's Resolution Request for our
  // address names its own, and we answer it (resolution_responder.h; nhrpd
  // caches it too). It replaces whatever entry there was and lives as a
  // resolved one: resolved again through `nhs` at 2/3 of `holding_time`
  // (ours when 0) if used, removed at its end otherwise.
  ResolverOutput learn(const ShortcutBinding& binding, bool natted, uint16_t holding_time, Ipv4 nhs,
                       TimePoint now);
  void used(Ipv4 target);
  // `nhs`: the NHS to ask for the refreshes due (the relay now, which may
  // not be the one that answered before: that one may be gone); nullopt:
  // the one that answered.
  ResolverOutput expire(TimePoint now, std::optional<Ipv4> nhs = std::nullopt);
  std::optional<TimePoint> next_deadline() const;
  const std::map<Ipv4, Shortcut>& entries() const { return entries_; }

 private:
  Send request(Ipv4 target, Shortcut& entry, std::optional<Ipv4> our_nat_nbma);
  void on_reply(Ipv4 target, Shortcut& entry, const Packet& reply, TimePoint now,
                ResolverOutput& out);
  void settle(Ipv4 target, Shortcut& entry, Ipv4 nbma, bool natted, uint16_t holding,
              TimePoint now, ResolverOutput& out);
  void on_purge(Ipv4 from, const Packet& purge, ResolverOutput& out);

  ResolverConfig config_;
  std::map<Ipv4, Shortcut> entries_;
  std::optional<Ipv4> our_nat_nbma_;
  RequestIds request_ids_;
};

}  // namespace nwbpf::nhrp
