// SPDX-License-Identifier: Apache-2.0
// One TCP connection of a BGP session, in the io_context: what arrives is
// handed to the owner as it comes, writes are queued and sent in order, and
// closing first delivers what is queued. A NOTIFICATION is the last message
// before the connection closes (RFC 4271 §6): close() sends the queued
// bytes, then FIN, then reads and discards until the peer's FIN (closing
// with unread bytes would send a reset, which can make the peer's kernel
// drop the NOTIFICATION before it is read), at most kLinger.
//
// A TcpLink lives in a shared_ptr that its pending operations hold, so a
// closed link finishes on its own after its owner has gone.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "common/wire.h"

namespace nwbpf::bgp {

class TcpLink : public std::enable_shared_from_this<TcpLink> {
 public:
  // How long close() waits for the queue to drain and the peer's FIN.
  static constexpr std::chrono::seconds kLinger{3};

  struct Owner {
    std::function<void(std::span<const uint8_t>)> on_data;
    // The connection failed or the peer closed it (error or EOF); called once,
    // and never after close().
    std::function<void(const boost::system::error_code&)> on_closed;
  };

  static std::shared_ptr<TcpLink> make(boost::asio::ip::tcp::socket socket);

  // Starts reading; `owner` is called from the io_context.
  void start(Owner owner);
  // Queues a whole message. Ignored once the link failed or is closing.
  void send(wire::Bytes bytes);
  // Stops calling the owner and closes gracefully (see above). Idempotent.
  void close();

  // Ports of the connection (0 if the socket could not tell).
  uint16_t local_port() const { return local_port_; }
  uint16_t remote_port() const { return remote_port_; }

 private:
  explicit TcpLink(boost::asio::ip::tcp::socket socket);
  void read();
  void on_read(const boost::system::error_code& ec, size_t n);
  void write();
  void on_written(const boost::system::error_code& ec);
  void fail(const boost::system::error_code& ec);
  // Closing and nothing is in flight any more: close the socket.
  void finish_if_done();
  void shut();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer linger_;
  Owner owner_;
  std::vector<uint8_t> buffer_;
  std::vector<wire::Bytes> queue_;      // waiting for the write in flight
  std::vector<wire::Bytes> in_flight_;  // being written, as one gathered write
  bool reading_ = false;
  bool failed_ = false;   // the owner was told; no more writes
  bool closing_ = false;  // close() was called
  bool shut_ = false;     // the socket is closed
  uint16_t local_port_ = 0;
  uint16_t remote_port_ = 0;
};

}  // namespace nwbpf::bgp
