// SPDX-License-Identifier: Apache-2.0
// The listening socket of the BGP speaker (TCP 179 by default): accepts
// every connection and hands it over with its source address; who may stay
// is the session manager's decision. TCP-MD5 keys are set before listen(),
// so no SYN is taken unsigned from a peer that has one.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bgp/family.h"

namespace nwbpf::bgp {

struct Md5Key {
  Prefix4 peers;
  std::string key;
};

class Listener {
 public:
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket, Ipv4 source)>;

  // Binds `address`:`port` (0: any free port), sets `keys` and listens.
  // Throws std::system_error naming the endpoint or the key at fault.
  Listener(boost::asio::io_context& io, Ipv4 address, uint16_t port,
           const std::vector<Md5Key>& keys, OnAccept on_accept);

  // Accepts until close().
  void start();
  void close();
  // Sets (or replaces) one key on the listening socket: a peer added while
  // running. Throws as set_tcp_md5_key().
  void set_key(const Md5Key& key);
  uint16_t port() const { return port_; }

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  OnAccept on_accept_;
  uint16_t port_ = 0;
  // Completions queued before our destruction see it expired.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace nwbpf::bgp
