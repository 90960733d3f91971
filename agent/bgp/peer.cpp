// SPDX-License-Identifier: Apache-2.0
#include "bgp/peer.h"

#include <algorithm>
#include <utility>

#include "common/log.h"

namespace nwbpf::bgp {

namespace {

std::shared_ptr<spdlog::logger> logger() { return log::get("bgp"); }

bool negotiated(const std::optional<Session>& session, Family family) {
  return session && std::find(session->families.begin(), session->families.end(), family) !=
                        session->families.end();
}

}  // namespace

Peer::Peer(boost::asio::io_context& io, PeerSettings settings, const SessionHandlers& handlers,
           std::function<void()> idle)
    : io_(io),
      settings_(std::move(settings)),
      handlers_(handlers),
      idle_(std::move(idle)),
      main_(make_connection()),
      since_(Clock::now()) {}

std::shared_ptr<Connection> Peer::make_connection() {
  return Connection::make(io_, settings_.fsm, settings_.target, settings_.address.str(), *this,
                          counters_);
}

void Peer::start() {
  stopped_ = false;
  const auto main = main_;
  main->start(settings_.passive);
}

void Peer::stop(const std::string& communication) {
  stopped_ = true;
  if (const auto racing = std::exchange(racing_, nullptr)) racing->stop(communication);
  const auto main = main_;
  main->stop(communication);
}

void Peer::accept(boost::asio::ip::tcp::socket socket) {
  if (stopped_) {
    logger()->info("peer {}: connection refused: the peer is stopped", settings_.address.str());
    return;  // the socket closes here
  }
  if (main_->fsm().state() == State::active) {
    const auto main = main_;
    main->adopt(std::move(socket));
    return;
  }
  // A racing connection still in place is dropped: the peer gave up on it.
  racing_ = make_connection();
  const auto racing = racing_;
  racing->start_on(std::move(socket), settings_.passive);
}

bool Peer::send_update(const Update& update) {
  const auto main = main_;
  return main->send_update(update);
}

bool Peer::reset(const Error& error) {
  const auto main = main_;
  if (main->fsm().state() != State::established) return false;
  // UpdateMsgErr: the NOTIFICATION, teardown, a restart after the backoff.
  main->feed(event::UpdateMessageError{error});
  return true;
}

bool Peer::send_route_refresh(Family family) {
  const auto main = main_;
  const auto& session = main->fsm().session();
  if (main->fsm().state() != State::established || !session->route_refresh ||
      !negotiated(session, family))
    return false;
  return main->send_route_refresh(RouteRefresh{family, 0});
}

PeerStatus Peer::status() const {
  const Fsm& fsm = main_->fsm();
  PeerStatus s;
  s.address = settings_.address;
  s.dynamic = settings_.dynamic;
  s.passive = settings_.passive;
  s.stopped = stopped_;
  s.state = fsm.state();
  s.session = fsm.session();
  s.since = since_;
  s.messages = counters_;
  // The main FSM's own when it has one (a connect that failed at once
  // passes through Idle unseen), else the last one kept from a replaced FSM.
  s.last_down = fsm.last_down() ? fsm.last_down() : last_down_;
  s.connect_retry_counter = fsm.connect_retry_counter();
  s.local_port = main_->local_port();
  s.remote_port = main_->remote_port();
  return s;
}

bool Peer::idle() const { return main_->fsm().state() == State::idle && !racing_; }

void Peer::promote() {
  logger()->debug("peer {}: the connection opened by the peer carries on", settings_.address.str());
  main_ = std::move(racing_);
}

void Peer::on_open(Connection& c, const Open& open) {
  const auto keep = c.shared_from_this();
  const std::shared_ptr<Connection> other = &c == main_.get() ? racing_ : main_;
  if (!other) {
    c.receive_open(open);
    return;
  }
  const auto& session = other->fsm().session();
  const ExistingConnection existing{other->fsm().state(), other->initiator(),
                                    session && session->peer_graceful_restart.has_value()};
  const Collision verdict =
      resolve_collision(existing, c.initiator(), settings_.fsm.router_id, settings_.fsm.local_as,
                        open.bgp_id, open.as_number());
  if (verdict != Collision::none)
    logger()->info("peer {}: connection collision: {} the connection opened by {}",
                   settings_.address.str(), verdict == Collision::close_new ? "closing" : "keeping",
                   c.initiator() == Initiator::local ? "us" : "the peer");
  switch (verdict) {
    case Collision::none:
      // Only the main FSM can be without a BGP connection (Idle, Connect):
      // the racing connection takes its place.
      if (&c == racing_.get()) promote();
      break;
    case Collision::close_new:
      c.feed(event::OpenCollisionDump{});
      return;
    case Collision::close_existing:
      other->feed(event::OpenCollisionDump{});  // its on_idle drops it
      break;
    case Collision::restart_existing:
      other->feed(event::TcpConnectionFails{});  // idem, after on_down
      break;
  }
  c.receive_open(open);
}

void Peer::on_established(Connection&, const Session& session) {
  since_ = Clock::now();
  if (handlers_.on_established) handlers_.on_established(settings_.address, session);
}

void Peer::on_update(Connection&, const Update& update) {
  if (handlers_.on_update) handlers_.on_update(settings_.address, update);
}

void Peer::on_route_refresh(Connection& c, const RouteRefresh& refresh) {
  // RFC 2918 §4: a family not negotiated is ignored. RFC 7313's BoRR and
  // EoRR (subtypes 1, 2) need Enhanced Route Refresh, which we do not
  // advertise, and other subtypes are to be ignored (§5).
  if (refresh.subtype != 0 || !negotiated(c.fsm().session(), refresh.family)) {
    logger()->debug("peer {}: ROUTE-REFRESH for AFI {} SAFI {} subtype {} ignored",
                    settings_.address.str(), refresh.family.afi, refresh.family.safi,
                    refresh.subtype);
    return;
  }
  if (handlers_.on_route_refresh) handlers_.on_route_refresh(settings_.address, refresh.family);
}

void Peer::on_down(Connection&, const DownReason& reason,
                   const std::optional<GracefulRestart>& retain) {
  since_ = Clock::now();
  last_down_ = reason;
  if (handlers_.on_down) handlers_.on_down(settings_.address, reason, retain);
}

void Peer::on_idle(Connection& c) {
  if (&c == racing_.get()) {
    racing_.reset();  // it lost the race, or failed before winning it
  } else if (&c == main_.get()) {
    last_down_ = c.fsm().last_down();
    if (racing_) promote();
  } else {
    return;  // a connection already dropped
  }
  if (idle()) idle_();
}

}  // namespace nwbpf::bgp
