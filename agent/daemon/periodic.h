// SPDX-License-Identifier: Apache-2.0
// A callback run every interval in the io_context (link polling, MAC
// ageing, neighbour refresh). The first run is one interval after start().
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <utility>

namespace nwbpf::daemon {

class Periodic {
 public:
  Periodic(boost::asio::io_context& io, std::function<void()> fn)
      : timer_(io), fn_(std::move(fn)) {}

  // Starts, or restarts with a new interval.
  void start(std::chrono::steady_clock::duration interval) {
    interval_ = interval;
    arm();
  }
  void stop() { timer_.cancel(); }

 private:
  void arm() {
    timer_.expires_after(interval_);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;  // cancelled: stop() or a restart
      fn_();
      arm();
    });
  }

  boost::asio::steady_timer timer_;
  std::function<void()> fn_;
  std::chrono::steady_clock::duration interval_{};
};

}  // namespace nwbpf::daemon
