// SPDX-License-Identifier: Apache-2.0
#include "bgp/connection.h"

#include <arpa/inet.h>

#include <boost/asio/ip/address_v4.hpp>
#include <system_error>
#include <utility>

#include "bgp/tcp_md5.h"
#include "common/log.h"

namespace nwbpf::bgp {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

std::shared_ptr<spdlog::logger> logger() { return log::get("bgp"); }

tcp::endpoint endpoint(Ipv4 address, uint16_t port) {
  return {asio::ip::address_v4(ntohl(address.be)), port};
}

// The FSM event for a message the codec rejected (RFC 4271 §6). Header and
// OPEN errors have their own events. UPDATE errors and ROUTE-REFRESH errors
// (RFC 7313 §5) both reset the session with the codec's NOTIFICATION, which
// is what UpdateMsgErr does in Established; before it, any such message is
// an FSM Error (RFC 6608).
Event error_event(const Error& error) {
  switch (error.code) {
    case ErrorCode::message_header:
      return event::HeaderError{error};
    case ErrorCode::open_message:
      return event::OpenMessageError{error};
    default:
      return event::UpdateMessageError{error};
  }
}

std::string_view to_string(UpdateAction action) {
  switch (action) {
    case UpdateAction::none:
      return "none";
    case UpdateAction::attribute_discard:
      return "attribute discarded";
    case UpdateAction::treat_as_withdraw:
      return "treated as withdraw";
    case UpdateAction::session_reset:
      return "session reset";
  }
  return "?";
}

}  // namespace

std::shared_ptr<Connection> Connection::make(asio::io_context& io, FsmConfig config,
                                             ConnectTarget target, std::string peer, Owner& owner,
                                             MessageCounters& counters) {
  return std::shared_ptr<Connection>(
      new Connection(io, std::move(config), std::move(target), std::move(peer), owner, counters));
}

Connection::Connection(asio::io_context& io, FsmConfig config, ConnectTarget target,
                       std::string peer, Owner& owner, MessageCounters& counters)
    : io_(io),
      fsm_(std::move(config)),
      target_(std::move(target)),
      peer_(std::move(peer)),
      owner_(owner),
      counters_(counters),
      timer_(io) {}

Connection::~Connection() {
  if (link_) link_->close();
}

void Connection::start(bool passive) {
  if (passive)
    feed(event::ManualStartPassive{});
  else
    feed(event::ManualStart{});
}

void Connection::stop(const std::string& communication) { feed(event::ManualStop{communication}); }

void Connection::adopt(tcp::socket socket) {
  // fsm.h: leaving Connect through TcpConnectionConfirmed aborts our connect.
  ++connect_generation_;
  connecting_.reset();
  attach(std::move(socket), Initiator::remote);
  feed(event::TcpConnectionConfirmed{});
}

void Connection::start_on(tcp::socket socket, bool passive) {
  skip_connect_ = !passive;
  start(passive);
  adopt(std::move(socket));
}

void Connection::receive_open(const Open& open) { feed(event::OpenReceived{open}); }

void Connection::feed(const Event& event) { run(fsm_.handle(event, Clock::now())); }

bool Connection::send_update(const Update& update) {
  if (fsm_.state() != State::established || !link_) return false;
  link_->send(encode_message(update, options()));
  ++counters_.sent;
  ++counters_.updates_sent;
  fsm_.update_sent(Clock::now());
  schedule();
  return true;
}

bool Connection::send_route_refresh(const RouteRefresh& refresh) {
  if (fsm_.state() != State::established || !link_) return false;
  send(refresh);
  return true;
}

void Connection::run(Actions actions) {
  for (auto& action : actions) pending_.push_back(std::move(action));
  // Actions asked for while carrying out others (an owner's callback that
  // stops the peer) wait their turn, so they are done in the FSM's order.
  if (running_) return;
  running_ = true;
  const auto self = shared_from_this();  // the owner may drop us meanwhile
  while (!pending_.empty()) {
    Action action = std::move(pending_.front());
    pending_.pop_front();
    perform(action);
  }
  running_ = false;
  schedule();
  const State state = fsm_.state();
  if (state == reported_) return;
  logger()->debug("peer {}: {} -> {}", peer_, to_string(reported_), to_string(state));
  reported_ = state;
  if (state != State::idle) return;
  if (const auto& why = fsm_.last_down()) logger()->info("peer {}: Idle: {}", peer_, why->text);
  owner_.on_idle(*this);
}

void Connection::perform(Action& action) {
  if (std::holds_alternative<action::Connect>(action)) {
    if (!std::exchange(skip_connect_, false)) connect();
  } else if (std::holds_alternative<action::Close>(action)) {
    close_transport();
  } else if (auto* open = std::get_if<action::SendOpen>(&action)) {
    send(open->open);
  } else if (std::holds_alternative<action::SendKeepalive>(action)) {
    send(Keepalive{});
  } else if (auto* notify = std::get_if<action::SendNotification>(&action)) {
    send(notify->notification);
  } else if (auto* up = std::get_if<action::SessionEstablished>(&action)) {
    logger()->info("peer {}: session established (AS {}, id {}, hold {} s)", peer_,
                   up->session.peer_as, up->session.peer_id.str(), up->session.hold_time.count());
    owner_.on_established(*this, up->session);
  } else if (auto* down = std::get_if<action::SessionDown>(&action)) {
    logger()->info("peer {}: session down: {}{}", peer_, down->reason.text,
                   down->retain ? " (routes kept: graceful restart)" : "");
    owner_.on_down(*this, down->reason, down->retain);
  }
}

void Connection::connect() {
  close_transport();
  const unsigned generation = ++connect_generation_;
  auto& socket = connecting_.emplace(io_);
  error_code ec;
  socket.open(tcp::v4(), ec);
  if (!ec && !target_.password.empty()) {
    try {
      set_tcp_md5_key(socket.native_handle(), Prefix4{target_.address, 32}, target_.password);
    } catch (const std::system_error& e) {
      logger()->error("peer {}: {}", peer_, e.what());
      ec = error_code(e.code().value(), boost::system::system_category());
    }
  }
  if (!ec && target_.local.be != 0) socket.bind(endpoint(target_.local, 0), ec);
  if (ec) {
    on_connected(ec);  // a failed connect; the FSM's backoff spaces the retries
    return;
  }
  socket.async_connect(endpoint(target_.address, target_.port),
                       [weak = weak_from_this(), generation](const error_code& ec) {
                         auto self = weak.lock();
                         if (self && self->connect_generation_ == generation)
                           self->on_connected(ec);
                       });
}

void Connection::on_connected(const error_code& ec) {
  tcp::socket socket = std::move(*connecting_);
  connecting_.reset();
  if (ec) {
    logger()->debug("peer {}: connect to {}:{} failed: {}", peer_, target_.address.str(),
                    target_.port, ec.message());
    feed(event::TcpConnectionFails{});
    return;
  }
  attach(std::move(socket), Initiator::local);
  feed(event::TcpCrAcked{});
}

void Connection::attach(tcp::socket socket, Initiator initiator) {
  if (link_) link_->close();
  link_ = TcpLink::make(std::move(socket));
  framer_ = Framer{};
  initiator_ = initiator;
  const std::weak_ptr<Connection> weak = weak_from_this();
  link_->start({
      [weak](std::span<const uint8_t> bytes) {
        if (auto self = weak.lock()) self->on_data(bytes);
      },
      [weak](const error_code& ec) {
        auto self = weak.lock();
        if (!self) return;
        logger()->debug("peer {}: connection ended: {}", self->peer_, ec.message());
        self->feed(event::TcpConnectionFails{});
      },
  });
}

void Connection::close_transport() {
  ++connect_generation_;
  connecting_.reset();  // closing the socket aborts a connect in progress
  if (link_) {
    link_->close();
    link_.reset();
  }
}

void Connection::send(const Message& message) {
  if (!link_) return;
  link_->send(encode_message(message, options()));
  ++counters_.sent;
}

void Connection::on_data(std::span<const uint8_t> bytes) {
  framer_.feed(bytes);
  // Stop at the message after which the FSM closed this connection.
  for (const TcpLink* link = link_.get(); link && link_.get() == link;) {
    auto next = framer_.next();
    if (!next) return;
    if (const auto* error = std::get_if<Error>(&*next)) {
      logger()->warn("peer {}: {}", peer_, error->text);
      feed(event::HeaderError{*error});
      return;
    }
    ++counters_.received;
    dispatch(std::get<wire::Bytes>(*next));
  }
}

void Connection::dispatch(const wire::Bytes& bytes) {
  auto decoded = decode_message(bytes, options());
  if (const auto* error = std::get_if<Error>(&decoded)) {
    logger()->warn("peer {}: {}", peer_, error->text);
    feed(error_event(*error));
    return;
  }
  const Message& message = std::get<Message>(decoded);
  if (const auto* open = std::get_if<Open>(&message)) {
    owner_.on_open(*this, *open);
  } else if (const auto* update = std::get_if<Update>(&message)) {
    ++counters_.updates_received;
    for (const auto& error : update->errors)  // RFC 7606 §8: log what was done
      logger()->warn("peer {}: UPDATE {}: {}", peer_, to_string(update->action), error.text);
    feed(event::UpdateReceived{});
    if (fsm_.state() == State::established) owner_.on_update(*this, *update);
  } else if (const auto* notification = std::get_if<Notification>(&message)) {
    feed(event::NotificationReceived{*notification});
  } else if (std::holds_alternative<Keepalive>(message)) {
    feed(event::KeepaliveReceived{});
  } else if (const auto* refresh = std::get_if<RouteRefresh>(&message)) {
    // RFC 2918 adds no FSM event: like an UPDATE, the message proves the
    // peer alive in Established and is unexpected before it.
    feed(event::UpdateReceived{});
    if (fsm_.state() == State::established) owner_.on_route_refresh(*this, *refresh);
  }
}

void Connection::schedule() {
  const auto deadline = fsm_.next_deadline();
  // No deadline left (stopped in Idle): a wait still armed would keep the
  // io_context busy until it fires, and the daemon from exiting.
  if (!deadline) {
    if (std::exchange(armed_, std::nullopt)) timer_.cancel();
    return;
  }
  // A wait armed for no later than the deadline is kept: it wakes early,
  // finds nothing due and arms again. That spares re-arming the timer for
  // every message that restarts the HoldTimer.
  if (armed_ && *armed_ <= *deadline) return;
  armed_ = deadline;
  timer_.expires_at(*deadline);
  timer_.async_wait([weak = weak_from_this()](const error_code& ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    self->armed_.reset();
    self->run(self->fsm_.expire(Clock::now()));
  });
}

SessionOptions Connection::options() const {
  // Until the OPENs are exchanged only OPEN, KEEPALIVE and NOTIFICATION
  // flow, which do not depend on the options.
  const auto& session = fsm_.session();
  return SessionOptions{session ? session->four_octet_as : true};
}

}  // namespace nwbpf::bgp
