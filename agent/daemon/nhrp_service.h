// SPDX-License-Identifier: Apache-2.0
// The agent's NHRP: the sans-io protocol pieces of agent/nhrp driven by one
// GRE socket and one timer in the io_context.
// - role ce (NHC): registers with every NHS (RegistrationClient), resolves
//   VTEPs on a data-plane miss, a Traffic Indication or, with shortcut =
//   "proactive", as soon as EVPN announces them (ShortcutTable), answers
//   Resolution Requests for its own address (an FRR NHS forwards them);
// - role route-server (NHS): keeps registrations (RegistrationCache),
//   answers Resolution Requests from it, sends Traffic Indications for the
//   flows its data plane relayed.
// What it has resolved is `install()` (daemon/nhrp_install.h), which the
// daemon merges into the desired state when `changed` fires.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "daemon/gre_socket.h"
#include "daemon/nat_probe.h"
#include "daemon/nhrp_install.h"
#include "daemon/nhrp_plan.h"
#include "nhrp/registration_cache.h"
#include "nhrp/registration_client.h"
#include "nhrp/resolution_responder.h"
#include "nhrp/shortcut_table.h"

namespace nwbpf::daemon {

struct NhrpCounters {
  uint64_t received = 0;   // decoded NHRP packets
  uint64_t sent = 0;
  uint64_t malformed = 0;  // refused by the decoder (an Error Indication went back unless it was one)
  uint64_t auth_failed = 0;
  uint64_t errors_sent = 0;      // Error Indications
  uint64_t errors_received = 0;
  uint64_t traffic_indications_sent = 0;
};

class NhrpService {
 public:
  struct Callbacks {
    std::function<void()> changed;            // install() changed
    std::function<bool(Ipv4)> peer_used;      // the data plane sent to this overlay address
    // The port the data plane learned for a NAT peer (dataplane/peer_marks.h).
    std::function<std::optional<uint16_t>(Ipv4)> nat_port;
  };

  // Opens the socket: std::system_error when it cannot (see GreSocket).
  NhrpService(boost::asio::io_context& io, NhrpPlan plan, Callbacks callbacks);
  ~NhrpService();

  void start();
  void stop();

  // Role ce: frames for `vtep` went through the route server (or were
  // dropped): resolve it. Addresses outside the overlay are not ours.
  void peer_miss(Ipv4 vtep);
  // Role ce: our BGP session to `nbma` is Established again / went down.
  // When it is one of our NHSes: registered with at once (it may have
  // restarted with an empty cache), or no longer used as the relay.
  void nhs_up(Ipv4 nbma);
  void nhs_down(Ipv4 nbma);
  // Role ce with shortcut = "proactive": EVPN announced `vtep`.
  void vtep_announced(Ipv4 vtep);
  // Role route-server: the data plane relayed a frame of `vni` from the CE
  // `origin` (overlay; NBMA `origin_nbma`) to the VTEP `target`.
  void relayed(Ipv4 origin, Ipv4 origin_nbma, Ipv4 target, uint32_t vni);

  // Whether the shortcut to `target` carried traffic since it was last
  // resolved: the table's mark, or the data plane's (NWBPF_PEER_USED).
  bool carried_traffic(Ipv4 target) const;
  // Whether frames to `target` go straight to it: resolved, and not in the
  // wait after learning it from its own request (learn_requester).
  bool direct(Ipv4 target) const;

  const NhrpPlan& plan() const { return plan_; }
  const NhrpInstall& install() const { return install_; }
  const NhrpCounters& counters() const { return counters_; }
  const GreSocketCounters& socket_counters() const { return socket_.counters(); }
  // Null for a role the node does not have.
  const nhrp::RegistrationClient* client() const { return client_.get(); }
  const nhrp::ShortcutTable* shortcuts() const { return shortcuts_.get(); }
  const nhrp::RegistrationCache* cache() const { return cache_.get(); }
  const NatProbes* probes() const { return probes_.get(); }
  // The data plane's learned port of a peer behind NAT, for the views.
  std::optional<uint16_t> nat_port(Ipv4 overlay) const {
    return callbacks_.nat_port ? callbacks_.nat_port(overlay) : std::nullopt;
  }

 private:
  void on_packet(Ipv4 from, std::span<const uint8_t> bytes);
  void dispatch(Ipv4 from, const nhrp::Packet& packet, std::span<const uint8_t> bytes);
  void serve(Ipv4 from, const nhrp::Packet& packet, std::span<const uint8_t> bytes);
  bool forward_to_target(const nhrp::Packet& request, nhrp::TimePoint t);
  void release_answer(const nhrp::Packet& reply, Ipv4 from);
  void release_late_answers(nhrp::TimePoint t);
  void send_after_reconcile();
  void refuse(Ipv4 from, const nhrp::Error& error, std::span<const uint8_t> bytes);
  void send(const nhrp::Send& s);
  void apply(const nhrp::ClientOutput& out);
  void apply(const nhrp::ResolverOutput& out);
  void resolve(Ipv4 target);
  void on_resolution_reply(Ipv4 from, const nhrp::Packet& reply, nhrp::TimePoint t);
  void learn_requester(const nhrp::RequesterBinding& r, Ipv4 nhs, nhrp::TimePoint t);
  std::optional<Ipv4> relay() const;
  std::optional<Ipv4> our_nat_nbma() const;
  void mark_used(nhrp::TimePoint now);
  void rebuild();
  void aim_probes(const NhrpInstall& next);
  void arm_timer();
  void on_timer();

  NhrpPlan plan_;
  Callbacks callbacks_;
  GreSocket socket_;
  boost::asio::steady_timer timer_;
  std::unique_ptr<nhrp::RegistrationClient> client_;
  std::unique_ptr<nhrp::ShortcutTable> shortcuts_;
  std::unique_ptr<nhrp::RegistrationCache> cache_;
  std::unique_ptr<NatProbes> probes_;  // role ce: sends only while behind NAT
  std::map<Ipv4, uint8_t> epochs_;  // per shortcut: bumped on every install or refresh
  std::map<Ipv4, nhrp::TimePoint> resolved_until_;  // per shortcut: the expiry epochs_ saw
  // Requesters learned from forwarded requests: received from at once,
  // sent to from this time on (see learn_requester).
  std::map<Ipv4, nhrp::TimePoint> send_from_;
  // NHS: answers held until the target of the forwarded request replies.
  struct HeldAnswer {
    Ipv4 requester, target;
    uint32_t request_id = 0;
    nhrp::Send answer;
    nhrp::TimePoint until;
  };
  static constexpr auto kTargetWait = std::chrono::milliseconds(500);
  std::vector<HeldAnswer> held_answers_;
  // NHC: shortcuts gone whose peer may still send to us, until then.
  struct Lingering {
    Ipv4 nbma;
    nhrp::TimePoint until;
  };
  std::map<Ipv4, Lingering> lingering_;
  // NHC: replies sent once the reconcile of the packet that asked is done.
  std::vector<nhrp::Send> after_reconcile_;
  NhrpInstall install_;
  NhrpCounters counters_;
  bool stopped_ = false;
};

}  // namespace nwbpf::daemon
