// SPDX-License-Identifier: Apache-2.0
// The NHC side of registration (RFC 2332 §5.2.3, §5.2.4), sans-io: this
// node registers its overlay (protocol) address -> NBMA address binding with
// every configured NHS, as FRR nhrpd's NHC does it in DMVPN:
// - the request goes to the NHS's NBMA address with hop count 1, the unique
//   flag and Cisco's NAT flag, one CIE (prefix length 0xff when unique,
//   RFC 2332 §5.2.1) with our holding time, and the extensions FRR sends:
//   empty Responder Address and Forward/Reverse Transit NHS records, and a
//   NAT Address extension naming the NHS (its NBMA address, its protocol
//   address or 0.0.0.0 while unknown);
// - the NHS's protocol address is not configured ("nhs dynamic"): until a
//   reply names it, the request's destination is our own address (§5.2.3);
// - a reply whose NAT Address extension holds a second CIE says NAT is in
//   the way: its NBMA address is ours as the NHS (and every peer) sees it;
// - timers: a request unanswered after `retry` is sent again with `retry`
//   doubled (1 s at first, 2 s after a success, back to 2 s past 64 s), and
//   a success re-registers after a third of the holding time (§5.2.3);
//   a refusal or a request unanswered ends the registration for us;
// - an NHS seen coming back (our BGP session to it Established again) may
//   have restarted with an empty cache: it is registered with again at once
//   rather than at the next third of the holding time; one seen going away
//   no longer counts as registered, so the relay moves to another NHS.
// Callers pass the time in; `expire()` runs what `next_deadline()` names.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nhrp/clock.h"
#include "nhrp/packet.h"
#include "nhrp/request_ids.h"

namespace nwbpf::nhrp {

struct ClientConfig {
  Ipv4 protocol;              // our overlay address
  Ipv4 nbma;                  // our NBMA address as configured
  std::vector<Ipv4> servers;  // the NHSes, by NBMA address
  uint16_t holding_time = 7200;  // seconds, FRR's and Cisco's default
  uint16_t mtu = 0;              // advertised in the CIE; 0: not given
  bool unique = true;            // FRR's default (no "registration no-unique")
  std::optional<wire::Bytes> password;  // Cisco cleartext authentication
};

struct ServerStatus {
  Ipv4 nbma;
  std::optional<Ipv4> protocol;  // learned from its replies
  bool registered = false;       // a successful reply, not outlived, not since failed
  std::optional<TimePoint> expires;  // of the last successful registration
  std::optional<Ipv4> nat_nbma;      // our NBMA address as it sees it, behind NAT
  uint32_t request_id = 0;           // of the request awaiting a reply; 0: none
  std::chrono::seconds retry{1};     // wait for the next reply
  TimePoint next;                    // next request
  std::string last_error;            // why the last attempt failed, for `show`
};

struct Send {
  Ipv4 nbma;  // the NHS
  Packet packet;
};

struct ClientOutput {
  std::vector<Send> send;
  std::vector<std::string> notes;  // worth a log line
};

class RegistrationClient {
 public:
  // Throws std::invalid_argument for no servers, a server listed twice or
  // 0.0.0.0 as an address.
  RegistrationClient(ClientConfig config, uint32_t first_request_id);

  // A request to every NHS.
  ClientOutput start(TimePoint now);
  // A Registration Reply or Error Indication from `from` (an NBMA address);
  // anything else, or from elsewhere, is ignored with a note.
  ClientOutput receive(Ipv4 from, const Packet& packet, TimePoint now);
  ClientOutput expire(TimePoint now);
  // The NHS at `nbma` is reachable again: a request goes out at once with a
  // new request id, the timers as after start(). Nothing for an address
  // that is no NHS of ours.
  ClientOutput reregister(Ipv4 nbma, TimePoint now);
  // The NHS at `nbma` is unreachable: its registration no longer counts
  // (`registered` false, so `reachable_nbma()` and the caller's relay stop
  // using it) and it is tried again after the short retry wait, with backoff
  // while it does not answer. Nothing for an address that is no NHS of ours.
  ClientOutput lost(Ipv4 nbma, TimePoint now);
  std::optional<TimePoint> next_deadline() const;

  const std::vector<ServerStatus>& servers() const { return servers_; }
  // The NBMA address peers reach us at: the NAT'd one when an NHS saw one.
  Ipv4 reachable_nbma() const;

 private:
  ServerStatus* find(Ipv4 nbma);
  Send request(ServerStatus& server, TimePoint now);
  void failed(ServerStatus& server, std::string why, TimePoint now, ClientOutput& out);
  void on_reply(ServerStatus& server, const Packet& reply, TimePoint now, ClientOutput& out);

  ClientConfig config_;
  std::vector<ServerStatus> servers_;
  RequestIds request_ids_;
};

}  // namespace nwbpf::nhrp
