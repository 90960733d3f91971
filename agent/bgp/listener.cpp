// SPDX-License-Identifier: Apache-2.0
#include "bgp/listener.h"

#include <arpa/inet.h>

#include <boost/asio/ip/address_v4.hpp>
#include <chrono>
#include <system_error>

#include "bgp/tcp_md5.h"
#include "common/log.h"

namespace nwbpf::bgp {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// After a failed accept (out of descriptors, say), the wait before the
// next, so the failure does not spin.
constexpr std::chrono::milliseconds kRetryAccept{100};

void check(const error_code& ec, const std::string& what) {
  if (ec) throw std::system_error(ec.value(), std::generic_category(), what);
}

}  // namespace

Listener::Listener(asio::io_context& io, Ipv4 address, uint16_t port,
                   const std::vector<Md5Key>& keys, OnAccept on_accept)
    : acceptor_(io), retry_(io), on_accept_(std::move(on_accept)) {
  const tcp::endpoint endpoint(asio::ip::address_v4(ntohl(address.be)), port);
  const std::string where = "BGP listener on " + address.str() + ":" + std::to_string(port);
  error_code ec;
  acceptor_.open(tcp::v4(), ec);
  check(ec, where);
  // A restarted speaker must not wait for the last run's TIME_WAITs.
  acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  check(ec, where);
  acceptor_.bind(endpoint, ec);
  check(ec, where);
  for (const auto& key : keys) set_tcp_md5_key(acceptor_.native_handle(), key.peers, key.key);
  acceptor_.listen(tcp::acceptor::max_listen_connections, ec);
  check(ec, where);
  port_ = acceptor_.local_endpoint().port();
}

void Listener::start() { accept(); }

void Listener::set_key(const Md5Key& key) {
  set_tcp_md5_key(acceptor_.native_handle(), key.peers, key.key);
}

void Listener::close() {
  error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
}

void Listener::accept() {
  acceptor_.async_accept(
      [this, alive = std::weak_ptr<bool>(alive_)](const error_code& ec, tcp::socket socket) {
        if (alive.expired() || !acceptor_.is_open()) return;
        if (ec) {
          // The connection is lost, the listener is not.
          log::get("bgp")->warn("BGP listener: accept failed: {}", ec.message());
          retry_.expires_after(kRetryAccept);
          retry_.async_wait([this, alive](const error_code& ec) {
            if (!ec && !alive.expired()) accept();
          });
          return;
        }
        error_code remote_ec;
        const auto remote = socket.remote_endpoint(remote_ec);
        if (!remote_ec && remote.address().is_v4())
          on_accept_(std::move(socket), Ipv4{htonl(remote.address().to_v4().to_uint())});
        accept();
      });
}

}  // namespace nwbpf::bgp
