// SPDX-License-Identifier: Apache-2.0
// The session adapter of one BGP FSM (fsm.h): it carries out the FSM's
// actions on a real TCP connection (connecting, sending, closing), feeds
// the FSM what arrives (framed by framer.h, decoded by message.h), and
// wakes it at its next deadline with a steady_timer. One Connection keeps
// its FSM, and so its backoff, across the TCP connections it makes one
// after the other; it holds at most one at a time.
//
// The peer (peer.h) owns its Connections and decides what the FSM cannot
// see from one connection: an OPEN is handed to the owner, which resolves a
// collision with the peer's other connection before feeding it back here.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "bgp/collision.h"
#include "bgp/framer.h"
#include "bgp/fsm.h"
#include "bgp/message.h"
#include "bgp/tcp_link.h"

namespace nwbpf::bgp {

// Messages sent and received on a peer's connections, for `show bgp summary`.
struct MessageCounters {
  uint64_t received = 0;
  uint64_t sent = 0;
  uint64_t updates_received = 0;
  uint64_t updates_sent = 0;
};

// Where a Connection connects to.
struct ConnectTarget {
  Ipv4 address;
  uint16_t port = 179;
  Ipv4 local;            // source address; 0.0.0.0: the kernel's choice
  std::string password;  // TCP-MD5 key; empty: none
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // What a Connection reports, from inside the io_context. The owner may
  // call back into any of its Connections, and drop this one, from these.
  class Owner {
   public:
    // The peer's OPEN: answer with receive_open() or feed(OpenCollisionDump).
    virtual void on_open(Connection& c, const Open& open) = 0;
    virtual void on_established(Connection& c, const Session& session) = 0;
    virtual void on_update(Connection& c, const Update& update) = 0;
    virtual void on_route_refresh(Connection& c, const RouteRefresh& refresh) = 0;
    virtual void on_down(Connection& c, const DownReason& reason,
                         const std::optional<GracefulRestart>& retain) = 0;
    // The FSM fell back to Idle (see Fsm::last_down() for why).
    virtual void on_idle(Connection& c) = 0;

   protected:
    ~Owner() = default;
  };

  // `peer` names the peer in logs. The owner and counters outlive this.
  static std::shared_ptr<Connection> make(boost::asio::io_context& io, FsmConfig config,
                                          ConnectTarget target, std::string peer, Owner& owner,
                                          MessageCounters& counters);
  // Closes the TCP connection and aborts a connect in progress.
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // ManualStart, or ManualStart_with_PassiveTcpEstablishment.
  void start(bool passive);
  // ManualStop with an RFC 8203 shutdown communication (may be empty).
  void stop(const std::string& communication);
  // A connection the peer opened, for an FSM in Connect (ours is aborted)
  // or Active: TcpConnectionConfirmed.
  void adopt(boost::asio::ip::tcp::socket socket);
  // Starts this Idle FSM on a connection the peer opened: the start's
  // Connect is not carried out, as TcpConnectionConfirmed follows at once.
  void start_on(boost::asio::ip::tcp::socket socket, bool passive);
  // The OPEN the owner let through (see Owner::on_open).
  void receive_open(const Open& open);
  // Any other event the owner decides on (collision verdicts).
  void feed(const Event& event);

  // In Established: encodes with the session's options, queues, restarts
  // the KeepaliveTimer and returns true; false in any other state. Throws
  // EncodeError (the message is not sent).
  bool send_update(const Update& update);
  bool send_route_refresh(const RouteRefresh& refresh);

  const Fsm& fsm() const { return fsm_; }
  // Who opened the current TCP connection.
  Initiator initiator() const { return initiator_; }
  uint16_t local_port() const { return link_ ? link_->local_port() : 0; }
  uint16_t remote_port() const { return link_ ? link_->remote_port() : 0; }

 private:
  Connection(boost::asio::io_context& io, FsmConfig config, ConnectTarget target, std::string peer,
             Owner& owner, MessageCounters& counters);

  // Carries out `actions` and any that they lead to, in order, then
  // re-arms the timer and reports a fall to Idle.
  void run(Actions actions);
  void perform(Action& action);
  void connect();
  void on_connected(const boost::system::error_code& ec);
  void connect_failed(const boost::system::error_code& ec);
  void attach(boost::asio::ip::tcp::socket socket, Initiator initiator);
  void close_transport();
  void send(const Message& message);
  void on_data(std::span<const uint8_t> bytes);
  void dispatch(const wire::Bytes& bytes);
  void schedule();
  SessionOptions options() const;

  boost::asio::io_context& io_;
  Fsm fsm_;
  ConnectTarget target_;
  std::string peer_;
  Owner& owner_;
  MessageCounters& counters_;
  boost::asio::steady_timer timer_;
  std::optional<TimePoint> armed_;  // the deadline timer_ waits for
  std::optional<boost::asio::ip::tcp::socket> connecting_;
  unsigned connect_generation_ = 0;  // tells a stale connect completion apart
  std::shared_ptr<TcpLink> link_;
  Framer framer_;
  Initiator initiator_ = Initiator::local;
  bool skip_connect_ = false;  // start_on(): the start's Connect is not made
  std::deque<Action> pending_;
  bool running_ = false;
  State reported_ = State::idle;
};

}  // namespace nwbpf::bgp
