// SPDX-License-Identifier: Apache-2.0
// One BGP peer of the session manager: the Connection whose FSM stands for
// the peer, and while two TCP connections race (both speakers connected at
// once, or the peer came back while we still wait), a second Connection
// with its own FSM. When an OPEN arrives on one of them, the peer resolves
// the collision (RFC 4271 §6.8, collision.h) and keeps one: at most one
// connection per peer gets past the OPEN, so at most one is Established.
//
// A connection the peer opens goes to the main FSM while it waits for one
// passively (Active), else to a second FSM started the same way, which
// replaces the main one once it has the peer's OPEN and the main one has no
// BGP connection. So:
// - a main FSM in Connect keeps its own attempt: when both speakers connect
//   at once, each aborting its own for the other's would lose both
//   connections; the OPEN collision check picks one instead;
// - unlike a plain RFC 4271 Idle, a peer waiting out its backoff still
//   takes the peer's connection: two active speakers would otherwise
//   refuse each other's attempts while each waits for its own retry.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bgp/connection.h"

namespace nwbpf::bgp {

// A peer is known by its address: the configured one, or for a peer from a
// listen range, the source of its connection.
using PeerId = Ipv4;

// What the layer above hears, from inside the io_context. Any may be empty.
// They may call back into the SessionManager (send_update from
// on_established is the usual case).
struct SessionHandlers {
  std::function<void(PeerId, const Session&)> on_established;
  // Every UPDATE received in Established, End-of-RIB included (update.h);
  // Update::action says what RFC 7606 made of a bad one.
  std::function<void(PeerId, const Update&)> on_update;
  // Follows every on_established. `retain` is set when the RIB should keep
  // the peer's routes as stale for retain->restart_time (RFC 4724 §4.2).
  std::function<void(PeerId, const DownReason&, const std::optional<GracefulRestart>& retain)>
      on_down;
  // A ROUTE-REFRESH request (RFC 2918 §4) for a negotiated family.
  std::function<void(PeerId, Family)> on_route_refresh;
};

// One row of `show bgp summary`.
struct PeerStatus {
  PeerId address;
  bool dynamic = false;  // accepted from a listen range
  bool passive = false;
  bool stopped = false;  // not started, or stopped by stop_peer()
  State state = State::idle;
  std::optional<Session> session;  // from OpenConfirm on
  // When the session last came up or went down (before that, when the
  // peer was created): FRR's Up/Down column.
  TimePoint since;
  MessageCounters messages;
  std::optional<DownReason> last_down;
  unsigned connect_retry_counter = 0;
  uint16_t local_port = 0;  // of the connection the main FSM holds; 0: none
  uint16_t remote_port = 0;
};

// How one peer runs.
struct PeerSettings {
  PeerId address;
  FsmConfig fsm;
  ConnectTarget target;
  bool passive = false;
  bool dynamic = false;
};

class Peer final : private Connection::Owner {
 public:
  // `idle` is called (from inside the io_context) when the peer has no
  // connection left, for the manager to remove a dynamic or removed peer
  // later.
  Peer(boost::asio::io_context& io, PeerSettings settings, const SessionHandlers& handlers,
       std::function<void()> idle);
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  void start();
  // ManualStop with a shutdown communication (RFC 8203) on every connection.
  void stop(const std::string& communication);
  // A connection the peer opened (see the top of this file).
  void accept(boost::asio::ip::tcp::socket socket);

  bool send_update(const Update& update);
  // Resets an Established session with `error`'s NOTIFICATION (an UPDATE
  // error the RIB found, RFC 7606); false without one.
  bool reset(const Error& error);
  // False unless Established with a peer that accepts ROUTE-REFRESH for
  // this negotiated family.
  bool send_route_refresh(Family family);

  PeerStatus status() const;
  // Nothing runs: the main FSM is Idle and no second connection races.
  bool idle() const;
  bool dynamic() const { return settings_.dynamic; }

 private:
  std::shared_ptr<Connection> make_connection();
  // The main FSM is replaced by the racing one.
  void promote();

  void on_open(Connection& c, const Open& open) override;
  void on_established(Connection& c, const Session& session) override;
  void on_update(Connection& c, const Update& update) override;
  void on_route_refresh(Connection& c, const RouteRefresh& refresh) override;
  void on_down(Connection& c, const DownReason& reason,
               const std::optional<GracefulRestart>& retain) override;
  void on_idle(Connection& c) override;

  boost::asio::io_context& io_;
  PeerSettings settings_;
  const SessionHandlers& handlers_;
  std::function<void()> idle_;
  MessageCounters counters_;
  std::shared_ptr<Connection> main_;
  std::shared_ptr<Connection> racing_;  // a second connection, until one wins
  bool stopped_ = true;
  TimePoint since_;
  std::optional<DownReason> last_down_;
};

}  // namespace nwbpf::bgp
