// SPDX-License-Identifier: Apache-2.0
#include "bgp/session_manager.h"

#include <boost/asio/post.hpp>
#include <stdexcept>
#include <utility>

#include "common/log.h"

namespace nwbpf::bgp {

namespace {

SessionManagerConfig validated(SessionManagerConfig config) {
  validate(config);
  return config;
}

// Keys for the listening socket: each configured peer's, and each range's.
std::vector<Md5Key> md5_keys(const SessionManagerConfig& config) {
  std::vector<Md5Key> keys;
  for (const auto& peer : config.peers)
    if (!peer.password.empty()) keys.push_back({Prefix4{peer.address, 32}, peer.password});
  for (const auto& range : config.listen_ranges)
    if (!range.password.empty()) keys.push_back({range.prefix, range.password});
  return keys;
}

}  // namespace

SessionManager::SessionManager(boost::asio::io_context& io, SessionManagerConfig config,
                               SessionHandlers handlers)
    : io_(io),
      config_(validated(std::move(config))),
      handlers_(std::move(handlers)),
      listener_(io, config_.local_address, config_.listen_port, md5_keys(config_),
                [this](boost::asio::ip::tcp::socket socket, Ipv4 source) {
                  on_accept(std::move(socket), source);
                }) {
  for (const auto& peer : config_.peers) configured_.emplace(peer.address, make_configured(peer));
}

SessionManager::~SessionManager() = default;

std::unique_ptr<Peer> SessionManager::make_configured(const PeerConfig& peer) {
  PeerSettings settings{peer.address,
                        fsm_config(config_, peer.remote_as),
                        {peer.address, peer.port, config_.local_address, peer.password},
                        peer.passive,
                        false};
  return std::make_unique<Peer>(io_, std::move(settings), handlers_, [this] { sweep_later(); });
}

void SessionManager::start() {
  started_ = true;
  listener_.start();
  for (auto& [id, peer] : configured_) peer->start();
}

void SessionManager::add_peer(const PeerConfig& peer) {
  if (dynamic_.contains(peer.address))
    throw std::invalid_argument("bgp session config: peer " + peer.address.str() +
                                " is already a peer (accepted from a listen range)");
  SessionManagerConfig next = config_;
  next.peers.push_back(peer);
  validate(next);
  if (!peer.password.empty())
    listener_.set_key({Prefix4{peer.address, 32}, peer.password});
  config_ = std::move(next);
  Peer& added = *configured_.emplace(peer.address, make_configured(peer)).first->second;
  log::get("bgp")->info("peer {}: added", peer.address.str());
  if (started_) added.start();
}

bool SessionManager::remove_peer(PeerId id, const std::string& communication) {
  const auto it = configured_.find(id);
  if (it == configured_.end()) return false;
  std::erase_if(config_.peers, [&](const PeerConfig& p) { return p.address == id; });
  // The listener keeps a removed peer's TCP-MD5 key: harmless, and replaced
  // if the address is added again.
  it->second->stop(communication);
  removed_.push_back(std::move(it->second));
  configured_.erase(it);
  log::get("bgp")->info("peer {}: removed", id.str());
  sweep_later();  // it may have been idle already
  return true;
}

void SessionManager::shutdown(const std::string& communication) {
  listener_.close();
  for (auto& [id, peer] : configured_) peer->stop(communication);
  for (auto& [id, peer] : dynamic_) peer->stop(communication);
}

bool SessionManager::start_peer(PeerId id) {
  const auto it = configured_.find(id);
  if (it == configured_.end()) return false;
  it->second->start();
  return true;
}

bool SessionManager::stop_peer(PeerId id, const std::string& communication) {
  Peer* peer = find(id);
  if (!peer) return false;
  peer->stop(communication);
  return true;
}

bool SessionManager::send_update(PeerId id, const Update& update) {
  Peer* peer = find(id);
  return peer && peer->send_update(update);
}

bool SessionManager::reset_peer(PeerId id, const Error& error) {
  Peer* peer = find(id);
  return peer && peer->reset(error);
}

bool SessionManager::send_route_refresh(PeerId id, Family family) {
  Peer* peer = find(id);
  return peer && peer->send_route_refresh(family);
}

std::vector<PeerStatus> SessionManager::peers() const {
  std::vector<PeerStatus> out;
  for (const auto* peers : {&configured_, &dynamic_})
    for (const auto& [id, peer] : *peers) out.push_back(peer->status());
  return out;
}

Peer* SessionManager::find(PeerId id) const {
  for (const auto* peers : {&configured_, &dynamic_})
    if (const auto it = peers->find(id); it != peers->end()) return it->second.get();
  return nullptr;
}

const ListenRange* SessionManager::range_of(Ipv4 source) const {
  const ListenRange* best = nullptr;
  for (const auto& range : config_.listen_ranges)
    if (contains(range.prefix, source) && (!best || range.prefix.length > best->prefix.length))
      best = &range;
  return best;
}

void SessionManager::on_accept(boost::asio::ip::tcp::socket socket, Ipv4 source) {
  if (Peer* peer = find(source)) {
    peer->accept(std::move(socket));
    return;
  }
  const ListenRange* range = range_of(source);
  if (!range) {
    log::get("bgp")->info("connection from {} refused: not a peer, not in a listen range",
                          source.str());
    return;  // the socket closes here
  }
  // The accepted socket already carries the range's TCP-MD5 key (the
  // listener's, inherited), so connecting back is never needed: passive.
  PeerSettings settings{source,
                        fsm_config(config_, range->remote_as),
                        {source, kBgpPort, config_.local_address, range->password},
                        true,
                        true};
  auto peer = std::make_unique<Peer>(io_, std::move(settings), handlers_, [this] { sweep_later(); });
  log::get("bgp")->info("peer {}: accepted from listen range {}", source.str(),
                        to_string(range->prefix));
  Peer& p = *dynamic_.emplace(source, std::move(peer)).first->second;
  p.start();
  p.accept(std::move(socket));
}

void SessionManager::sweep_later() {
  // Not now: the peer is inside its own call stack.
  boost::asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
    if (!alive.expired()) sweep();
  });
}

void SessionManager::sweep() {
  std::erase_if(dynamic_, [](const auto& entry) { return entry.second->idle(); });
  std::erase_if(removed_, [](const auto& peer) { return peer->idle(); });
}

}  // namespace nwbpf::bgp
