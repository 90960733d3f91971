// SPDX-License-Identifier: Apache-2.0
#include "bgp/tcp_link.h"

#include <boost/asio/write.hpp>
#include <utility>

namespace nwbpf::bgp {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// One read takes what the kernel has, up to a few maximal messages.
constexpr size_t kReadSize = 64 * 1024;

}  // namespace

std::shared_ptr<TcpLink> TcpLink::make(asio::ip::tcp::socket socket) {
  return std::shared_ptr<TcpLink>(new TcpLink(std::move(socket)));
}

TcpLink::TcpLink(asio::ip::tcp::socket socket)
    : socket_(std::move(socket)), linger_(socket_.get_executor()), buffer_(kReadSize) {
  error_code ec;
  if (auto local = socket_.local_endpoint(ec); !ec) local_port_ = local.port();
  if (auto remote = socket_.remote_endpoint(ec); !ec) remote_port_ = remote.port();
  // BGP messages are whole units a peer waits for (a KEEPALIVE answering an
  // OPEN); Nagle would hold the small ones back.
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

void TcpLink::start(Owner owner) {
  owner_ = std::move(owner);
  read();
}

void TcpLink::read() {
  reading_ = true;
  socket_.async_read_some(
      asio::buffer(buffer_),
      [self = shared_from_this()](const error_code& ec, size_t n) { self->on_read(ec, n); });
}

void TcpLink::on_read(const error_code& ec, size_t n) {
  if (ec) {
    reading_ = false;
    fail(ec);
    finish_if_done();
    return;
  }
  // While closing, what arrives is discarded: we only wait for the FIN.
  // reading_ stays set meanwhile, so a close() from on_data waits for it.
  if (!closing_ && !failed_) owner_.on_data(std::span<const uint8_t>(buffer_.data(), n));
  if (shut_) {
    reading_ = false;
    return;
  }
  read();
}

void TcpLink::send(wire::Bytes bytes) {
  if (failed_ || closing_) return;
  queue_.push_back(std::move(bytes));
  if (in_flight_.empty()) write();
}

void TcpLink::write() {
  // Everything queued goes in one gathered write: an UPDATE burst costs one
  // system call per drained queue, not one per message.
  in_flight_ = std::exchange(queue_, {});
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(in_flight_.size());
  for (const auto& bytes : in_flight_) buffers.push_back(asio::buffer(bytes));
  asio::async_write(socket_, buffers, [self = shared_from_this()](const error_code& ec, size_t) {
    self->on_written(ec);
  });
}

void TcpLink::on_written(const error_code& ec) {
  in_flight_.clear();
  if (ec) {
    queue_.clear();
    fail(ec);
  } else if (!queue_.empty()) {
    write();
    return;
  }
  if (closing_) {
    error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    finish_if_done();
  }
}

void TcpLink::fail(const error_code& ec) {
  if (failed_) return;
  failed_ = true;
  if (closing_) return;
  // The owner usually answers with close(), which clears owner_: call a copy.
  auto on_closed = owner_.on_closed;
  on_closed(ec);
}

void TcpLink::close() {
  if (closing_) return;
  closing_ = true;
  owner_ = {};
  linger_.expires_after(kLinger);
  linger_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec) self->shut();
  });
  if (in_flight_.empty()) {
    error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    finish_if_done();
  }
}

void TcpLink::finish_if_done() {
  if (closing_ && !reading_ && in_flight_.empty()) shut();
}

void TcpLink::shut() {
  if (shut_) return;
  shut_ = true;
  error_code ignored;
  socket_.close(ignored);
  linger_.cancel();
}

}  // namespace nwbpf::bgp
