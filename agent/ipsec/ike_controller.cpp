// SPDX-License-Identifier: Apache-2.0
#include "ipsec/ike_controller.h"

#include <algorithm>
#include <utility>

namespace nwbpf::ipsec {

namespace {

// CHILD_SA states with keys in the kernel (child_sa_state_names): a
// rekeying SA still carries traffic until its successor does.
bool child_carries_traffic(const ChildSaInfo& child) {
  return child.state == "INSTALLED" || child.state == "REKEYING" || child.state == "REKEYED";
}

bool ours(const IkeSaInfo& sa) { return sa.name.starts_with(kConnPrefix); }

// charon's words for an IKE_SA or CHILD_SA that did not come up (a wrong
// key, proposals that do not match, a peer that never answers, a kernel that
// refused the SA). Matched loosely: the text is charon's, not an API.
bool failure_text(std::string_view msg) {
  for (std::string_view word : {"AUTHENTICATION_FAILED", "MAC mismatched", "NO_PROPOSAL_CHOSEN",
                                "failed", "giving up", "unable to"})
    if (msg.find(word) != std::string_view::npos) return true;
  return false;
}

}  // namespace

IkeController::IkeController(Ipv4 local, Credentials credentials)
    : local_(local), credentials_(std::move(credentials)) {}

Request IkeController::connection(std::optional<Ipv4> peer, bool trap) const {
  ConnSpec spec;
  spec.name = conn_name(peer);
  spec.local_addr = local_.str();
  if (peer) spec.remote_addr = peer->str();
  spec.auth = credentials_.auth;
  spec.local_cert_pem = credentials_.cert_pem;
  spec.ca_certs_pem = credentials_.ca_pems;
  spec.trap = trap;
  // Every field comes from validated config and addresses, so a builder
  // error is a bug; it still reaches the operator, as charon's refusals do.
  auto body = load_conn(spec);
  Request r{Request::Kind::connection, "load-conn", {}, peer};
  if (body)
    r.body = std::move(body).value();
  else
    r.command = "load-conn (not sent: " + body.error().message + ")";
  return r;
}

std::vector<Request> IkeController::load_peer(Ipv4 peer) {
  std::vector<Request> out;
  out.push_back(connection(peer, true));
  out.push_back({Request::Kind::initiate, "initiate", initiate(kChildName, conn_name(peer)), peer});
  return out;
}

std::vector<Request> IkeController::on_connected() {
  connected_ = true;
  std::vector<Request> out;
  if (credentials_.auth == Auth::psk) {
    out.push_back({Request::Kind::credential, "load-shared",
                   load_shared_psk(kSharedId, credentials_.psk), std::nullopt});
  } else {
    out.push_back(
        {Request::Kind::credential, "load-key", load_key_pem(credentials_.key_pem), std::nullopt});
  }
  out.push_back(connection(std::nullopt, false));
  for (auto& [peer, conn] : peers_) {
    conn = {};
    auto more = load_peer(peer);
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

bool IkeController::ready() const {
  return connected_ && credential_loaded_ &&
         std::all_of(peers_.begin(), peers_.end(), [](const auto& p) { return p.second.loaded; });
}

void IkeController::on_disconnected() {
  connected_ = false;
  credential_loaded_ = false;
  sa_up_.clear();
  sas_.clear();
  listing_ = false;
  during_listing_.clear();
  for (auto& [peer, conn] : peers_) conn.loaded = false;
}

std::vector<Request> IkeController::set_wanted(const std::set<Ipv4>& wanted) {
  std::vector<Request> out;
  for (auto it = peers_.begin(); it != peers_.end();) {
    if (wanted.contains(it->first)) {
      ++it;
      continue;
    }
    if (connected_) {
      std::string name = conn_name(it->first);
      out.push_back({Request::Kind::unload, "unload-conn", unload_conn(name), it->first});
      out.push_back({Request::Kind::terminate, "terminate", terminate_ike(name), it->first});
    }
    it = peers_.erase(it);
  }
  for (Ipv4 peer : wanted) {
    if (peer == local_ || peers_.contains(peer)) continue;
    peers_[peer] = {};
    if (!connected_) continue;  // on_connected() loads it
    auto more = load_peer(peer);
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

void IkeController::on_result(const Request& request, const vici::Result<void>& result) {
  if (request.kind == Request::Kind::credential) {
    credential_error_ = result ? "" : result.error().message;
    credential_loaded_ = bool(result);
    return;
  }
  if (request.kind != Request::Kind::connection || !request.peer) return;
  auto it = peers_.find(*request.peer);
  if (it == peers_.end()) return;  // no longer wanted
  it->second.loaded = bool(result);
  it->second.error = result ? "" : result.error().message;
}

bool IkeController::connecting(Ipv4 peer) const {
  return std::any_of(sas_.begin(), sas_.end(), [&](const IkeSaInfo& sa) {
    return ours(sa) && sa.state == "CONNECTING" && Ipv4::parse(sa.remote_host) == peer;
  });
}

std::vector<Request> IkeController::retry() {
  std::vector<Request> out;
  if (!connected_) return out;
  for (auto& [peer, conn] : peers_) {
    if (!conn.loaded && !conn.error.empty()) {
      conn.error.clear();  // in flight again
      auto more = load_peer(peer);
      out.insert(out.end(), more.begin(), more.end());
    } else if (conn.loaded && !sa_up_.contains(peer) && !connecting(peer)) {
      out.push_back({Request::Kind::initiate, "initiate", initiate(kChildName, conn_name(peer)), peer});
    }
  }
  return out;
}

std::optional<Ipv4> IkeController::up_peer(const IkeSaInfo& sa) {
  if (!ours(sa) || sa.state != "ESTABLISHED") return std::nullopt;
  for (const auto& child : sa.children)
    if (child.name == kChildName && child_carries_traffic(child)) return Ipv4::parse(sa.remote_host);
  return std::nullopt;
}

void IkeController::on_log(const vici::Message& event) {
  const auto* name = event.value("ikesa-name");
  const auto* msg = event.value("msg");
  if (!name || !msg || !name->starts_with(kConnPrefix) || !failure_text(*msg)) return;
  auto peer = Ipv4::parse(std::string_view(*name).substr(kConnPrefix.size()));
  auto it = peer ? peers_.find(*peer) : peers_.end();
  if (it != peers_.end() && !sa_up_.contains(*peer)) it->second.failure = *msg;
}

void IkeController::mark_up(Ipv4 peer) {
  sa_up_.insert(peer);
  if (auto it = peers_.find(peer); it != peers_.end()) it->second.failure.clear();
}

bool IkeController::on_updown(const UpDown& event) {
  auto peer = Ipv4::parse(event.sa.remote_host);
  if (!peer) return false;
  if (event.up) {
    auto up = up_peer(event.sa);
    if (!up || sa_up_.contains(*up)) return false;
    if (listing_) during_listing_[*up] = true;
    mark_up(*up);
    return true;
  }
  // Down: closed at once, even if another SA with the peer may still be
  // up; a listing taken after this puts it back.
  if (listing_) during_listing_[*peer] = false;
  return sa_up_.erase(*peer) > 0;
}

void IkeController::begin_listing() {
  listing_ = true;
  during_listing_.clear();
}

bool IkeController::on_listing(std::vector<IkeSaInfo> sas) {
  std::set<Ipv4> up;
  for (const auto& sa : sas)
    if (auto peer = up_peer(sa)) up.insert(*peer);
  // Events that came while charon listed are newer than the listing.
  for (const auto& [peer, was_up] : during_listing_)
    if (was_up)
      up.insert(peer);
    else
      up.erase(peer);
  listing_ = false;
  sas_ = std::move(sas);
  bool changed = up != sa_up_;
  sa_up_.clear();
  for (Ipv4 peer : up) mark_up(peer);
  return changed;
}

}  // namespace nwbpf::ipsec
