// SPDX-License-Identifier: Apache-2.0
// The BGP sessions of the speaker, run in one io_context (single thread,
// no blocking call): one Peer per configured peer, active or passive, and
// one per connection accepted from a listen range (removed when its session
// ends), all behind one listener. The layer above (the RIB) hears of
// sessions and UPDATEs through SessionHandlers and sends with send_update();
// it never sees a socket, a timer or the FSM.
#pragma once

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/listener.h"
#include "bgp/peer.h"
#include "bgp/session_manager_config.h"

namespace nwbpf::bgp {

class SessionManager {
 public:
  // Validates `config` (std::invalid_argument) and binds the listener
  // (std::system_error). Nothing connects or is accepted before start().
  SessionManager(boost::asio::io_context& io, SessionManagerConfig config,
                 SessionHandlers handlers);
  // Closes every connection at once; call shutdown() first for a
  // NOTIFICATION to reach the peers.
  ~SessionManager();
  SessionManager(const SessionManager&) = delete;
  SessionManager& operator=(const SessionManager&) = delete;

  // Starts every configured peer and accepts connections.
  void start();
  // Stops every peer with Cease/Administrative Shutdown and the shutdown
  // communication (RFC 8203), and stops listening. Connections close in the
  // io_context after their NOTIFICATION is sent.
  void shutdown(const std::string& communication = {});

  // Adds a peer while the manager runs (a route reflector whose address is
  // known only later, e.g. through NHRP) and starts it if start() ran.
  // std::invalid_argument for what validate() refuses (the address already a
  // peer included, a dynamic one too).
  void add_peer(const PeerConfig& peer);
  // Stops a configured or added peer with Cease/Administrative Shutdown and
  // `communication`, and forgets it once its connections are closed: its
  // address is free for add_peer() at once. False if unknown.
  bool remove_peer(PeerId peer, const std::string& communication = {});

  // ManualStart of a configured peer (after stop_peer()); false if unknown.
  bool start_peer(PeerId peer);
  // ManualStop: Cease/Administrative Shutdown with `communication` (RFC
  // 8203); the peer stays Idle until start_peer(). A dynamic peer is then
  // removed. False if unknown.
  bool stop_peer(PeerId peer, const std::string& communication = {});

  // Queues `update` on the peer's Established session, encoded with what
  // that session negotiated (RFC 6793). False (nothing sent) without one.
  // Throws EncodeError for an UPDATE over 4096 bytes: split before.
  bool send_update(PeerId peer, const Update& update);
  // Resets the peer's Established session with `error`'s NOTIFICATION: an
  // UPDATE error only the RIB can see (RFC 7606 session reset). The session
  // starts over after the backoff. False without one.
  bool reset_peer(PeerId peer, const Error& error);
  // Asks the peer to send its routes of `family` again (RFC 2918). False
  // without an Established session that negotiated both.
  bool send_route_refresh(PeerId peer, Family family);

  // Every peer, configured ones first, in address order.
  std::vector<PeerStatus> peers() const;
  // The port the listener got (listen_port 0 asks for any free one).
  uint16_t listen_port() const { return listener_.port(); }

 private:
  void on_accept(boost::asio::ip::tcp::socket socket, Ipv4 source);
  const ListenRange* range_of(Ipv4 source) const;
  Peer* find(PeerId id) const;
  std::unique_ptr<Peer> make_configured(const PeerConfig& peer);
  // Posts a sweep(): never inside a peer's own call stack.
  void sweep_later();
  // Removes dynamic and removed peers that have nothing left to run.
  void sweep();

  boost::asio::io_context& io_;
  SessionManagerConfig config_;
  SessionHandlers handlers_;  // peers hold a reference
  std::map<PeerId, std::unique_ptr<Peer>> configured_;
  std::map<PeerId, std::unique_ptr<Peer>> dynamic_;
  std::vector<std::unique_ptr<Peer>> removed_;  // closing their connections
  bool started_ = false;
  Listener listener_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for posted sweeps
};

}  // namespace nwbpf::bgp
