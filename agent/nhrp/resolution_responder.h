// SPDX-License-Identifier: Apache-2.0
// The CE's answer to a Resolution Request for its own overlay address
// (RFC 2332 §5.2.1, §5.2.2), sans-io. In FRR's DMVPN the NHS does not
// answer from its cache: it forwards the request to the target, and the
// target answers with its own binding (nhrpd nhrp_handle_resolution_req).
// So that our CE works behind an FRR (or Cisco) NHS, it answers as nhrpd:
// - Resolution Reply: the request's addresses and request ID; flags Q and
//   S copied, D and A set (we are the target: authoritative, and our
//   binding is stable for its holding time); one CIE with our NBMA address
//   as configured, our overlay address, MTU and holding time (prefix 32);
//   Responder Address = us; NAT Address extension = our NAT'd NBMA address
//   when registration saw one (the address peers must use); sent back to
//   the NBMA address the request came from: the NHS that forwarded it, as
//   nhrpd's reply follows its route to the requester, which in DMVPN goes
//   through the NHS (which forwards the reply on);
// - the requester's binding, for the caller to keep as a shortcut (nhrpd
//   caches it): its protocol address (the CIE's, else ar$src.protoaddr)
//   -> the NBMA address the NAT Address extension gives for it (the NHS
//   fills in the requester's NAT'd address when forwarding), else the
//   address the request came from when that is neither its ar$src.nbma nor
//   an NHS (it reached us directly, through NAT), else the CIE's NBMA
//   address, else ar$src.nbma; for the CIE's holding time (ours when 0).
//   Only a host binding (prefix length 0 or >= 32, as nhrpd) is reported.
// A request for another protocol address is refused with Error Indication
// Protocol Address Unreachable (6, §5.2.7, at ar$dst.protoaddr): §5.2.1
// leaves forwarding to NHSes and a CE is none (no overlay routing here),
// and the refusal spares the requester its 30 s timeout (ShortcutTable and
// nhrpd's shortcut code make it a negative entry) where silence would not.
#pragma once

#include <optional>
#include <span>

#include "nhrp/registration_client.h"

namespace nwbpf::nhrp {

struct RequesterBinding {
  Ipv4 protocol;
  Ipv4 nbma;                  // where to send to it (its NAT'd address when it is behind NAT)
  bool natted = false;        // the NBMA address is not the one it claims
  uint16_t holding_time = 0;  // seconds
  bool operator==(const RequesterBinding&) const = default;
};

struct TargetAnswer {
  Send send;  // the Resolution Reply, or the Error Indication
  std::optional<RequesterBinding> requester;
};

// `us`: our identity, holding time and MTU and the NHSes (by NBMA address)
// as registration uses them; `our_nat_nbma`: our NAT'd NBMA address when an
// NHS saw one (RegistrationClient::reachable_nbma() when it differs).
// `request` was decoded from `request_bytes` and arrived from `source_nbma`.
// An Error only for a packet that is not a Resolution Request.
Result<TargetAnswer> answer_as_target(const ClientConfig& us, std::optional<Ipv4> our_nat_nbma,
                                      const Packet& request, std::span<const uint8_t> request_bytes,
                                      Ipv4 source_nbma);

}  // namespace nwbpf::nhrp
