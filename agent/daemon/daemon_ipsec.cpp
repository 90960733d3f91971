// SPDX-License-Identifier: Apache-2.0
// The daemon's side of encryption: refuses an [ipsec] the kernel cannot
// carry out, runs the IkeService while [ipsec] asks for it, tells it which
// peers to protect, and answers `nwbpf show ipsec`.
#include <fstream>
#include <iterator>

#include "common/log.h"
#include "daemon/daemon.h"
#include "daemon/ipsec_views.h"
#include "dataplane/esp_probe.h"

namespace nwbpf::daemon {

namespace {

using Mode = IpsecConfig::Mode;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The config validated the files when it was read; they are read again
// here, when charon gets them (they may have been replaced since).
ipsec::Credentials credentials(const IpsecConfig& c) {
  ipsec::Credentials out;
  if (c.mode == Mode::psk) {
    out.auth = ipsec::Auth::psk;
    out.psk = c.secret.value_or("");
    return out;
  }
  out.auth = ipsec::Auth::pubkey;
  out.cert_pem = read_file(c.certificate.value_or(""));
  out.key_pem = read_file(c.private_key.value_or(""));
  for (const auto& ca : c.ca) out.ca_pems.push_back(read_file(ca));
  return out;
}

}  // namespace

// Throws std::runtime_error when `config` asks for encryption this kernel
// cannot do: never a silent fallback to plaintext.
void Daemon::check_ipsec(const Config& config) const {
  if (config.ipsec.mode == Mode::off) return;
  if (auto why = netlink::esp_unavailable())
    throw std::runtime_error(std::string("[ipsec] mode = \"") + ipsec_mode_name(config.ipsec.mode) +
                             "\" cannot work here: " + *why +
                             ". Set [ipsec] mode = \"off\" (or start nwbpfd --plaintext) to run "
                             "the overlay unencrypted.");
  credentials(config.ipsec);  // unreadable files: the same error now as later
}

// Starts, restarts or stops the IkeService to match config_ and the node's
// NBMA address (none yet: the next link poll calls again).
void Daemon::ensure_ipsec() {
  auto log = log::get("ipsec");
  const auto local = nbma_address();
  const bool wanted = config_.ipsec.mode != Mode::off && local;
  if (ike_ && wanted && ike_local_ == *local && ike_config_ == config_.ipsec) return;
  if (ike_) {
    ike_->stop();
    ike_.reset();
  }
  if (!wanted) return;
  try {
    ike_ = std::make_unique<IkeService>(io_, config_.ipsec.vici_socket, *local,
                                        credentials(config_.ipsec),
                                        IkeService::Callbacks{[this] { schedule_reconcile(); },
                                                              [this] { on_ipsec_ready(); }});
  } catch (const std::exception& e) {
    log->error("IKE controller not started: {}; no peer gets traffic", e.what());
    return;
  }
  ike_local_ = *local;
  ike_config_ = config_.ipsec;
  log->info("IKE controller: charon at {}, local address {}, {} authentication",
            config_.ipsec.vici_socket, local->str(), ipsec_mode_name(config_.ipsec.mode));
  ike_->start();
  ike_->set_wanted(ipsec_peers());
}

// charon holds the trap policies: the protocols they protect may start.
void Daemon::on_ipsec_ready() {
  if (protocols_started_ || stopping_) return;
  try {
    start_protocols();
  } catch (const StartError& e) {
    log::get("daemon")->critical("{}; stopping", e.what());
    stop();
  }
}

// Every NBMA address the overlay talks to: the data plane's peers, the
// route server it relays through, the NHSes, and route reflectors on the
// underlay (NHRP and BGP go to those before any peer is known; a route
// reflector named by overlay address is an NHS's).
std::set<Ipv4> Daemon::ipsec_peers() const {
  auto nbmas = peer_nbmas(desired_);
  std::set<Ipv4> out(nbmas.begin(), nbmas.end());
  if (config_.nhrp) out.insert(config_.nhrp->servers.begin(), config_.nhrp->servers.end());
  if (config_.bgp)
    for (Ipv4 rr : config_.bgp->route_reflectors)
      if (!config_.nhrp || !bgp::contains(config_.nhrp->overlay_range, rr)) out.insert(rr);
  return out;
}

nlohmann::json Daemon::show_ipsec() const {
  IpsecStatus status{config_.ipsec, nbma_address(), ike_ ? &ike_->controller() : nullptr,
                     ike_ ? ike_->charon_error() : "", std::nullopt};
  if (ike_ && ike_->listed_at())
    status.listed_ago_s = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                        *ike_->listed_at())
                              .count();
  return ipsec_json(status);
}

DesiredState Daemon::desired_now() {
  static const std::set<Ipv4> kNone;
  return compute_desired(config_, links_, nexthop_facts_, evpn_install(), nhrp_install(),
                         ike_ ? ike_->sa_up() : kNone);
}

}  // namespace nwbpf::daemon
