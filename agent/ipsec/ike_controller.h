// SPDX-License-Identifier: Apache-2.0
// The IKE controller's decisions, without I/O (agent/ipsec/README.md): which
// credentials and connections charon must hold, which VICI requests bring it
// there, and which peers have an SA protecting the overlay (the data plane's
// NWBPF_PEER_SA). The daemon's IkeService carries the requests to charon and
// the answers and events back.
//
// Connections: kAnyConnName answers any peer (a route server's CEs, a CE
// that set up a shortcut towards us first); each wanted peer gets its own,
// with trap policies (the kernel holds traffic to it until an SA is up, and
// that traffic starts the negotiation), and is initiated at once.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/net_types.h"
#include "ipsec/conn_spec.h"
#include "ipsec/sa_info.h"
#include "ipsec/vici_message.h"

namespace nwbpf::ipsec {

struct Credentials {
  Auth auth = Auth::psk;
  std::string psk;                   // psk
  std::string cert_pem, key_pem;     // pubkey: ours
  std::vector<std::string> ca_pems;  // pubkey: what a peer's certificate must chain to
};

// One VICI request to send, and what it is about.
struct Request {
  enum class Kind { credential, connection, unload, initiate, terminate };
  Kind kind;
  std::string command;                 // "load-conn", ...
  vici::Message body;
  std::optional<Ipv4> peer;            // the peer it concerns; nullopt: the node
};

// A wanted peer's connection, for `nwbpf show ipsec`.
struct PeerConn {
  bool loaded = false;       // load-conn succeeded since charon was last reached
  std::string error;         // the last refusal, until a load succeeds
  // What charon last logged going wrong with this peer's IKE_SA (a wrong
  // key: "received AUTHENTICATION_FAILED notify error"), until it is
  // protected.
  std::string failure;
};

class IkeController {
 public:
  // The PSK id under which load-shared files the secret (unload handle).
  static constexpr std::string_view kSharedId = "nwbpf-psk";

  IkeController(Ipv4 local, Credentials credentials);

  // charon answers (again). It may have restarted: everything is loaded
  // anew, credentials first, then the responder, then each wanted peer's
  // connection and its initiate.
  std::vector<Request> on_connected();
  // charon's socket is gone: nothing is known to be up any more.
  void on_disconnected();
  bool connected() const { return connected_; }

  // The peers (NBMA addresses) that must be protected now: loads and
  // initiates the new ones, unloads and terminates those no longer wanted.
  std::vector<Request> set_wanted(const std::set<Ipv4>& wanted);
  // A request's outcome: a refused connection is loaded again by retry().
  void on_result(const Request& request, const vici::Result<void>& result);
  // Called every few seconds: connections that charon refused are loaded
  // again, and a loaded peer without an SA and with no IKE_SA of ours
  // connecting to it is initiated again. Its trap policy would do that for
  // traffic the kernel sends, but the data plane drops frames to a peer
  // without an SA before the kernel sees them, so after a CHILD_SA is
  // deleted nothing else would bring it back.
  std::vector<Request> retry();

  // SA facts: ike-updown/child-updown events and list-sas snapshots. Each
  // returns whether sa_up() changed. A peer is up when one of our IKE_SAs
  // (named kConnPrefix...) with it is ESTABLISHED and holds an INSTALLED
  // (or rekeying) CHILD_SA of ours: an SA someone else configured may not
  // cover the overlay's traffic.
  bool on_updown(const UpDown& event);
  // A "log" event (charon sends levels 0 and 1): a failure logged for the
  // IKE_SA of a wanted peer's connection becomes that peer's `failure`.
  void on_log(const vici::Message& event);
  // A list-sas starts. Events that arrive while it runs are newer than what
  // it reports (charon may list an SA, then report it down before the
  // listing's reply): they win over it.
  void begin_listing();
  bool on_listing(std::vector<IkeSaInfo> sas);

  // charon holds the credential and every wanted peer's connection, so the
  // kernel has a trap policy for each: traffic to them (NHRP, BGP) can no
  // longer leave in plaintext. The daemon starts those protocols then.
  bool ready() const;

  const std::set<Ipv4>& sa_up() const { return sa_up_; }
  const std::vector<IkeSaInfo>& sas() const { return sas_; }
  const std::map<Ipv4, PeerConn>& peers() const { return peers_; }
  const std::string& credential_error() const { return credential_error_; }

 private:
  std::vector<Request> load_peer(Ipv4 peer);
  Request connection(std::optional<Ipv4> peer, bool trap) const;
  static std::optional<Ipv4> up_peer(const IkeSaInfo& sa);
  bool connecting(Ipv4 peer) const;
  void mark_up(Ipv4 peer);  // protected now: its failure is history

  Ipv4 local_;
  Credentials credentials_;
  bool connected_ = false;
  std::map<Ipv4, PeerConn> peers_;  // wanted
  std::set<Ipv4> sa_up_;
  std::vector<IkeSaInfo> sas_;      // the last listing
  bool listing_ = false;
  std::map<Ipv4, bool> during_listing_;  // peer -> up, the last event while listing
  std::string credential_error_;
  bool credential_loaded_ = false;
};

}  // namespace nwbpf::ipsec
