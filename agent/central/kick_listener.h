// SPDX-License-Identifier: Apache-2.0
// The CE's /update-kick endpoint (issue 6): the config server GETs (or
// POSTs) http://<CE>:<bind_port>/update-kick when that CE's file changed.
// The answer is 200 at once and the kick only starts a fetch: Nante-WAN
// answered after its fetch succeeded, so a config server down for the CE's
// fetch kept the kicker waiting. Anything else is 404 (other path) or 405
// (other method on /update-kick). One listener per source, each on its
// bind_port; async on the caller's io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "common/net_types.h"

namespace nwbpf::central {

class KickListener : public std::enable_shared_from_this<KickListener> {
 public:
  using OnKick = std::function<void()>;

  // Binds and listens at once; throws std::runtime_error naming the
  // address when it cannot ("update-kick on 10.0.0.1:8000: Address already
  // in use"). Port 0: any free
  // port (tests), see port(). Create with make_shared, then start();
  // stop() before dropping it.
  KickListener(boost::asio::io_context& io, Ipv4 address, uint16_t port, OnKick on_kick);

  void start();
  void stop();  // no more connections; those open finish on their own deadline
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

  // A client gets this long to send its request and read the answer.
  static constexpr std::chrono::seconds kRequestTimeout{5};

 private:
  void accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  OnKick on_kick_;
};

}  // namespace nwbpf::central
