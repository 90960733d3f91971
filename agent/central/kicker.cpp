// SPDX-License-Identifier: Apache-2.0
#include "central/kicker.h"

#include <arpa/inet.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/log.h"

namespace nwbpf::central {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Nante-WAN's CE REST API path for "fetch now".
constexpr std::string_view kKickPath = "/update-kick";

std::string describe(const KickTarget& target) {
  return target.ce.str() + ":" + std::to_string(target.port);
}

// One HTTP try; calls `done` once with "" on a 2xx answer, else the reason.
class Try : public std::enable_shared_from_this<Try> {
 public:
  using Done = std::function<void(const std::string& error)>;
  Try(asio::io_context& io, Done done) : stream_(io), done_(std::move(done)) {}

  void run(Ipv4 address, const KickTarget& target, std::chrono::milliseconds timeout) {
    request_ = {http::verb::get, std::string(kKickPath), 11};
    request_.set(http::field::host, describe(target));
    request_.set(http::field::user_agent, "nwbpf");
    request_.keep_alive(false);
    // One deadline for the whole try: expires_after covers every operation
    // started before it passes.
    stream_.expires_after(timeout);
    tcp::endpoint endpoint(asio::ip::address_v4(ntohl(address.be)), target.port);
    stream_.async_connect(endpoint, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish("connect: " + ec.message());
      http::async_write(self->stream_, self->request_, [self](beast::error_code ec, std::size_t) {
        if (ec) return self->finish("request: " + ec.message());
        self->read();
      });
    });
  }

 private:
  void read() {
    http::async_read(
        stream_, buffer_, response_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec) return self->finish("answer: " + ec.message());
          if (http::to_status_class(self->response_.result()) != http::status_class::successful)
            return self->finish("answered " + std::to_string(self->response_.result_int()));
          self->finish("");
        });
  }

  void finish(const std::string& error) {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    done_(error);
  }

  beast::tcp_stream stream_;
  Done done_;
  http::request<http::empty_body> request_;
  beast::flat_buffer buffer_;
  http::response<http::string_body> response_;
};

}  // namespace

struct Kicker::Pending {
  explicit Pending(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
  unsigned tries = 0;  // of this kick
  bool in_flight = false;
  bool again = false;      // a change came while in flight
  std::string last_error;  // logged once, not again while it repeats
};

Kicker::Kicker(asio::io_context& io, KickOptions options) : io_(io), options_(std::move(options)) {
  options_.tries = std::max(options_.tries, 1u);
}

Kicker::~Kicker() { *alive_ = false; }

void Kicker::kick(const KickTarget& target) {
  ++counters_.requested;
  if (auto it = pending_.find(target); it != pending_.end()) {
    ++counters_.coalesced;
    if (it->second->in_flight) it->second->again = true;
    return;
  }
  pending_.emplace(target, std::make_unique<Pending>(io_));
  start_try(target);
}

void Kicker::start_try(const KickTarget& target) {
  Pending& pending = *pending_.at(target);
  pending.in_flight = true;
  ++pending.tries;
  ++counters_.tries;
  auto done = [this, alive = alive_, target](const std::string& error) {
    if (*alive) on_result(target, error);
  };
  KickAddress address = options_.resolve ? options_.resolve(target.ce) : KickAddress(target.ce);
  if (!address) {
    // Through post: on_result may start the next try, never from inside kick().
    asio::post(io_, [done, error = address.error()] { done(error); });
    return;
  }
  std::make_shared<Try>(io_, done)->run(address.value(), target, options_.timeout);
}

void Kicker::on_result(const KickTarget& target, const std::string& error) {
  auto log = log::get("central");
  Pending& pending = *pending_.at(target);
  pending.in_flight = false;
  if (error.empty()) {
    ++counters_.succeeded;
    log->debug("config server: kicked {}", describe(target));
    report(target, error, !pending.again);
    if (!pending.again) {
      pending_.erase(target);
      return;
    }
    // A change after the request went out: kick once more, afresh.
    pending.again = false;
    pending.tries = 0;
    pending.last_error.clear();
    return start_try(target);
  }
  ++counters_.failed;
  if (pending.tries >= options_.tries) {
    ++counters_.given_up;
    log->warn(
        "config server: kick {} failed: {}; giving up after {} tries (the CE fetches "
        "on its own interval)",
        describe(target), error, pending.tries);
    report(target, error, true);
    pending_.erase(target);
    return;
  }
  report(target, error, false);
  const auto& backoff = options_.backoff;
  auto wait = backoff.empty() ? std::chrono::milliseconds(0)
                              : backoff[std::min<size_t>(pending.tries - 1, backoff.size() - 1)];
  if (error != pending.last_error)
    log->warn("config server: kick {} failed: {}; retrying in {} ms", describe(target), error,
              wait.count());
  pending.last_error = error;
  pending.timer.expires_after(wait);
  pending.timer.async_wait([this, alive = alive_, target](beast::error_code ec) {
    if (*alive && !ec) start_try(target);
  });
}

void Kicker::report(const KickTarget& target, const std::string& error, bool last) {
  if (options_.report) options_.report(target, {error, pending_.at(target)->tries, last});
}

std::vector<PendingKick> Kicker::pending_kicks() const {
  std::vector<PendingKick> out;
  for (const auto& [target, pending] : pending_)
    out.push_back({target, pending->tries, pending->in_flight, pending->last_error});
  return out;
}

}  // namespace nwbpf::central
