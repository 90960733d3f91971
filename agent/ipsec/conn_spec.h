// SPDX-License-Identifier: Apache-2.0
// The VICI requests nwbpf's IKE controller sends to charon (strongSwan
// src/libcharon/plugins/vici/README.md, "Client-initiated commands"), built
// as message bodies for vici::Client::request(), and the check of their
// `success`/`errmsg` replies. Pure: no socket, no clock.
//
// One connection per peer: IKEv2, ESP in transport mode between the two NBMA
// addresses (VXLAN, NHRP in GRE and BGP between them all ride it), AES-GCM,
// NAT-T left to charon. Key names and values follow charon 5.9.8 (Debian 12):
// vici_config.c (load-conn), vici_control.c (initiate, terminate),
// vici_cred.c (load-shared, unload-shared, load-key), vici_query.c
// (list-sas, list-conns); the facts each builder relies on are next to it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net_types.h"
#include "ipsec/vici_message.h"

namespace nwbpf::ipsec {

// How both ends authenticate: the shared `ipsec_secret`, or X.509.
enum class Auth { psk, pubkey };

struct ConnSpec {
  std::string name;        // conn_name(): charon's IKE_SA config name
  std::string local_addr;  // our NBMA address, dotted quad
  // The peer's NBMA address; nullopt: %any, a responder for any peer.
  std::optional<std::string> remote_addr;
  Auth auth = Auth::psk;
  std::string local_cert_pem;            // pubkey: our certificate (PEM)
  std::vector<std::string> ca_certs_pem;  // pubkey: CAs a peer's cert must chain to
  // Child start_action = trap: charon installs kernel trap policies at load,
  // so traffic to the peer without an SA is held (not sent in plaintext) and
  // triggers the negotiation. Otherwise none: the controller initiates.
  bool trap = false;
};

// The CHILD_SA config inside every connection.
inline constexpr std::string_view kChildName = "nwbpf";
// Connection names: "nwbpf-<remote NBMA>" per peer, kAnyConnName for the
// responder that accepts any peer (charon picks the most specific match).
inline constexpr std::string_view kConnPrefix = "nwbpf-";
inline constexpr std::string_view kAnyConnName = "nwbpf-any";
// IKE: AES-256-GCM (AEAD, so no separate integrity), PRF HMAC-SHA-256,
// NIST P-256 ECDH. charon 5.9.8 has these from Debian's
// libstrongswan-standard-plugins (gcm, openssl); stock libstrongswan alone
// has neither GCM nor ECP groups.
inline constexpr std::string_view kIkeProposal = "aes256gcm16-prfsha256-ecp256";
// ESP: AES-256-GCM with P-256 for PFS. The first CHILD_SA comes with
// IKE_AUTH and uses no DH exchange (charon drops the group there), so the
// group costs nothing at setup; every CHILD_SA rekey then runs a fresh ECDH,
// and both ends come from this builder, so the proposals always match.
inline constexpr std::string_view kEspProposal = "aes256gcm16-ecp256";
// Dead peer detection interval (charon's time syntax: "10s").
inline constexpr std::string_view kDpdDelay = "10s";

// "nwbpf-192.0.2.1", or kAnyConnName for nullopt.
std::string conn_name(std::optional<Ipv4> remote);

// load-conn for one connection. Fails (naming the connection) on an empty
// name, an address that is not a dotted quad, pubkey auth without a
// certificate or a CA, or trap without a remote address (a trap policy
// needs both ends).
vici::Result<vici::Message> load_conn(const ConnSpec& spec);
vici::Message unload_conn(std::string_view name);

// load-shared of an IKE PSK under `id` (unload_shared's handle), with no
// owners: charon then files it under %any, any identity.
vici::Message load_shared_psk(std::string_view id, std::string_view secret);
vici::Message unload_shared(std::string_view id);
// load-key of a PEM private key of any type (RSA, ECDSA, Ed25519).
vici::Message load_key_pem(std::string_view pem);

// initiate/terminate without blocking charon's answer: timeout -1 (see .cpp).
vici::Message initiate(std::string_view child, std::string_view ike);
vici::Message terminate_ike(std::string_view ike);

// list-sas (streams list-sa events, then replies; subscribe first) without
// blocking on IKE_SAs other threads hold; list-conns (streams list-conn),
// all connections or the one named.
vici::Message list_sas();
vici::Message list_conns(std::optional<std::string_view> ike = std::nullopt);

// A `success`/`errmsg` reply: ok on success = yes, else the error
// "charon refused <command>: <errmsg>" ("(no errmsg)" when charon gave none).
vici::Result<void> check_reply(std::string_view command, const vici::Message& reply);

}  // namespace nwbpf::ipsec
