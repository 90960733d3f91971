// SPDX-License-Identifier: Apache-2.0
#include "ipsec/vici_client.h"

#include <sys/un.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <utility>

#include "common/log.h"

namespace nwbpf::ipsec::vici {

namespace asio = boost::asio;
namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;
using boost::system::error_code;
using stream = asio::local::stream_protocol;

namespace {

// One read takes what the kernel has; charon's list replies (list-sas with
// many peers) arrive in several.
constexpr size_t kReadSize = 64 * 1024;

}  // namespace

Client::Client(asio::io_context& io, std::string path)
    : path_(std::move(path)), socket_(io), read_buffer_(kReadSize) {}

Client::~Client() {
  close();
  *alive_ = false;
}

Error Client::error(std::string_view what, size_t offset) const {
  return Error{offset, "VICI " + path_ + ": " + std::string(what)};
}

void Client::post(std::function<void()> fn) {
  asio::post(socket_.get_executor(), [alive = alive_, fn = std::move(fn)] {
    if (*alive) fn();
  });
}

void Client::connect(Done done, Closed on_closed) {
  if (state_ != State::idle) {
    post([this, done = std::move(done)] { done(error("connect called twice")); });
    return;
  }
  state_ = State::connecting;
  on_closed_ = std::move(on_closed);
  // asio's endpoint throws on a path that does not fit in sockaddr_un.
  if (path_.size() >= sizeof(sockaddr_un{}.sun_path)) {
    post([this, done = std::move(done)] { on_connect(asio::error::name_too_long, done); });
    return;
  }
  socket_.async_connect(stream::endpoint(path_),
                        [this, alive = alive_, done = std::move(done)](const error_code& ec) {
                          if (*alive) on_connect(ec, done);
                        });
}

void Client::on_connect(const error_code& ec, const Done& done) {
  if (state_ != State::connecting) return;  // closed meanwhile
  if (ec) {
    // Nothing was open, so on_closed stays quiet: `done` says it.
    on_closed_ = {};
    auto alive = alive_;
    fail(error(ec.message()));
    if (*alive) done(error(ec.message()));
    return;
  }
  state_ = State::open;
  read();
  send_next();
  done(outcome::success());
}

void Client::request(std::string command, Message message, Reply reply) {
  enqueue({PacketType::cmd_request, std::move(command), std::move(message)}, std::move(reply));
}

void Client::subscribe(std::string event, EventHandler handler, Done done) {
  bool queued = false;
  for (const auto& pending : queue_)
    queued |= pending.packet.type == PacketType::event_register && pending.packet.name == event;
  if (queued || handlers_.contains(event)) {
    post([this, event, done = std::move(done)] {
      done(error("already subscribed to event " + event));
    });
    return;
  }
  // The handler is installed with the EVENT_CONFIRM: charon sends no EVENT
  // of that name before it, and after a failure there is nothing to install.
  auto confirmed = [this, event, handler = std::move(handler),
                    done = std::move(done)](Result<Message> answer) mutable {
    if (!answer) return done(answer.error());
    handlers_.emplace(event, std::move(handler));
    done(outcome::success());
  };
  enqueue({PacketType::event_register, std::move(event), {}}, std::move(confirmed));
}

void Client::enqueue(Packet packet, Reply answer) {
  if (state_ == State::done) {
    post([this, answer = std::move(answer)] { answer(error("not connected")); });
    return;
  }
  queue_.push_back({std::move(packet), std::move(answer)});
  send_next();
}

void Client::send_next() {
  if (state_ != State::open || writing_ || sent_ || queue_.empty()) return;
  auto bytes = encode_packet(queue_.front().packet);
  if (!bytes) {
    // Our own request is at fault (a bad name, a value over 64 KiB): only it
    // fails, later, as callbacks never run inside request().
    auto answer = std::move(queue_.front().answer);
    queue_.pop_front();
    post([answer = std::move(answer), why = bytes.error()] { answer(why); });
    return send_next();
  }
  write_buffer_ = std::move(bytes).value();
  sent_ = writing_ = true;
  asio::async_write(socket_, asio::buffer(write_buffer_),
                    [this, alive = alive_](const error_code& ec, size_t) {
                      if (!*alive || state_ != State::open) return;
                      writing_ = false;
                      if (ec) return fail(error(ec.message()));
                      // The answer may have come before this handler ran.
                      send_next();
                    });
}

void Client::read() {
  socket_.async_read_some(asio::buffer(read_buffer_),
                          [this, alive = alive_](const error_code& ec, size_t n) {
                            if (*alive && state_ == State::open) on_read(ec, n);
                          });
}

void Client::on_read(const error_code& ec, size_t n) {
  if (ec == asio::error::eof) return fail(error("connection closed by charon"));
  if (ec) return fail(error(ec.message()));
  reader_.feed(std::span<const uint8_t>(read_buffer_.data(), n));
  for (;;) {
    auto segment = reader_.next();
    if (!segment) return fail(error(segment.error().message, segment.error().offset));
    if (!segment.value()) break;
    if (!on_segment(*segment.value())) return;
  }
  read();
}

bool Client::on_segment(const wire::Bytes& segment) {
  auto alive = alive_;
  auto packet = decode_packet(segment);
  if (!packet) {
    // An event we cannot read costs only that event. Anything else may be
    // the answer to the request on the wire: the pairing is lost.
    if (segment[0] == uint8_t(PacketType::event)) {
      log::get("vici")->warn("VICI {}: dropped an event: {}", path_, packet.error().message);
      return true;
    }
    fail(error("bad packet: " + packet.error().message, packet.error().offset));
    return false;
  }
  if (packet.value().type != PacketType::event) return answer(packet.value());
  auto handler = handlers_.find(packet.value().name);
  if (handler == handlers_.end()) {
    // Registered but not confirmed yet cannot happen (charon confirms
    // first); an unregistered name is charon's mistake, not fatal.
    log::get("vici")->debug("VICI {}: event {} not subscribed", path_, packet.value().name);
    return true;
  }
  // A copy: the handler may close() the Client, which destroys handlers_.
  auto call = handler->second;
  call(packet.value().message);
  return *alive && state_ == State::open;
}

bool Client::answer(const Packet& packet) {
  const bool command =
      packet.type == PacketType::cmd_response || packet.type == PacketType::cmd_unknown;
  const bool registration =
      packet.type == PacketType::event_confirm || packet.type == PacketType::event_unknown;
  const bool asked = sent_ && !queue_.empty();
  const bool matches =
      asked && (queue_.front().packet.type == PacketType::cmd_request ? command : registration);
  if (!matches) {
    fail(error("unexpected " + std::string(packet_type_name(packet.type)) +
               (asked ? " answering " + std::string(packet_type_name(queue_.front().packet.type)) +
                            " " + queue_.front().packet.name
                      : " with no request pending")));
    return false;
  }
  Pending pending = std::move(queue_.front());
  queue_.pop_front();
  sent_ = false;
  send_next();  // before the callback: it may queue more or close
  auto alive = alive_;
  if (packet.type == PacketType::cmd_unknown)
    pending.answer(Error{0, "charon does not know command " + pending.packet.name});
  else if (packet.type == PacketType::event_unknown)
    pending.answer(Error{0, "charon does not know event " + pending.packet.name});
  else
    pending.answer(packet.message);
  return *alive && state_ == State::open;
}

void Client::fail(Error why) {
  if (state_ == State::done) return;
  state_ = State::done;
  error_code ignored;
  socket_.close(ignored);
  auto queue = std::exchange(queue_, {});
  auto on_closed = std::exchange(on_closed_, {});
  handlers_.clear();
  // A callback may close() or destroy the Client: that ends the calls.
  auto alive = alive_;
  for (auto& pending : queue) {
    if (!*alive) return;
    pending.answer(why);
  }
  if (*alive && on_closed) on_closed(why);
}

void Client::close() {
  // Swapping the token silences every callback still queued in the
  // io_context or in the middle of fail().
  *alive_ = false;
  alive_ = std::make_shared<bool>(true);
  state_ = State::done;
  queue_.clear();
  handlers_.clear();
  on_closed_ = {};
  error_code ignored;
  socket_.close(ignored);
}

}  // namespace nwbpf::ipsec::vici
