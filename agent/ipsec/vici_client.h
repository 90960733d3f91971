// SPDX-License-Identifier: Apache-2.0
// The socket adapter of strongSwan's VICI protocol: one connection to
// charon's Unix stream socket in the caller's io_context, on top of the pure
// codec (vici_packet.h). strongSwan src/libcharon/plugins/vici/README.md,
// "Packet layer": a CMD_REQUEST is answered by one CMD_RESPONSE (or
// CMD_UNKNOWN), an EVENT_REGISTER by EVENT_CONFIRM (or EVENT_UNKNOWN), and
// EVENT packets of registered events arrive at any time in between.
//
// Packets carry no request id, so answers pair with requests only by order:
// the client keeps one request on the wire at a time and queues the rest.
// A Client is one connection: once it is lost or closed, the owner makes a
// new Client (the IKE controller owns reconnecting and re-registering).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "ipsec/vici_message.h"
#include "ipsec/vici_packet.h"

namespace nwbpf::ipsec::vici {

// Where Debian's charon (charon-systemd) listens (strongSwan's default).
inline constexpr std::string_view kDefaultSocketPath = "/run/charon.vici";

// Errors of this layer say where ("VICI <path>: ...") and carry offset 0,
// except a broken segment (the offset SegmentReader gave, from the first byte
// of the stream) or packet (decode_packet's, from its type byte).
using Done = std::function<void(Result<void>)>;
// A command's reply. A reply with `success = no` is still a reply (a value,
// not an error): the command's caller reads `success` and `errmsg`, since
// only it knows whether a failure matters (an unload of something absent).
using Reply = std::function<void(Result<Message>)>;
using EventHandler = std::function<void(const Message&)>;
using Closed = std::function<void(const Error&)>;

class Client {
 public:
  explicit Client(boost::asio::io_context& io, std::string path = std::string(kDefaultSocketPath));
  // close(): no callback runs after the Client is gone.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Connects once; `done` gets "VICI <path>: <reason>" on failure.
  // `on_closed` is called once if the open connection is lost later (EOF,
  // read or write error, broken framing, an answer nobody asked for), after
  // every queued request and subscription got the same error.
  void connect(Done done, Closed on_closed);

  // Queues a command; it is sent when the previous answer has arrived (and,
  // before the connection is up, once connect succeeds). CMD_UNKNOWN gives
  // the error "charon does not know command <name>".
  void request(std::string command, Message message, Reply reply);

  // Registers for an event (EVENT_REGISTER, queued like a command); from the
  // EVENT_CONFIRM on, each EVENT of that name goes to `handler`, also while
  // commands are in flight. EVENT_UNKNOWN gives "charon does not know event
  // <name>"; a second subscription to one name is refused.
  void subscribe(std::string event, EventHandler handler, Done done);

  // Shutdown: drops the queue and the handlers without calling them (their
  // owner is going away) and closes the socket. Idempotent.
  void close();

  bool is_open() const { return state_ == State::open; }
  const std::string& path() const { return path_; }

 private:
  enum class State { idle, connecting, open, done };

  // One queued request: its packet, and who gets the answer (a CMD_RESPONSE
  // for a command, an EVENT_CONFIRM for a registration, with an empty
  // message).
  struct Pending {
    Packet packet;
    Reply answer;
  };

  void on_connect(const boost::system::error_code& ec, const Done& done);
  void enqueue(Packet packet, Reply answer);
  void send_next();
  void read();
  void on_read(const boost::system::error_code& ec, size_t n);
  // Handles one segment; false when the connection was failed, closed or the
  // Client destroyed meanwhile (stop touching members).
  bool on_segment(const wire::Bytes& segment);
  bool answer(const Packet& packet);
  // Loses the connection: every pending request, then on_closed, get `why`.
  void fail(Error why);
  Error error(std::string_view what, size_t offset = 0) const;
  // Runs `fn` later in the io_context unless the Client is gone by then:
  // callbacks never run inside the call that queued them.
  void post(std::function<void()> fn);

  std::string path_;
  boost::asio::local::stream_protocol::socket socket_;
  State state_ = State::idle;
  Closed on_closed_;
  std::deque<Pending> queue_;  // front: on the wire once sent_
  bool sent_ = false;          // the front was written (or is being written)
  bool writing_ = false;
  wire::Bytes write_buffer_;
  std::vector<uint8_t> read_buffer_;
  SegmentReader reader_;
  std::map<std::string, EventHandler, std::less<>> handlers_;
  // Callbacks may destroy or close the Client; handlers check this first.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace nwbpf::ipsec::vici
