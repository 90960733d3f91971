// SPDX-License-Identifier: Apache-2.0
#include "central/fetcher.h"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/endian/conversion.hpp>

#include "common/log.h"

namespace nwbpf::central {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string_view to_string(Source source) {
  return source == Source::portconfig ? "portconfig" : "ebconfig";
}

std::string FetchTarget::host() const {
  return port == 80 ? server.str() : server.str() + ":" + std::to_string(port);
}

std::string FetchTarget::url() const { return "http://" + host() + target; }

FetchTarget fetch_target(const FetchSourceConfig& source, Ipv4 overlay_address) {
  // path is "" or "/a/b" (the config refuses a trailing '/'), as Nante-WAN
  // joined json_url_prefix + "/" + address + ".json".
  return {source.server, source.server_port, source.path + "/" + overlay_address.str() + ".json"};
}

FetchTimes fetch_times(const FetchConfig& config) {
  return {std::chrono::seconds(config.timeout_s), std::chrono::seconds(config.interval_s),
          std::chrono::seconds(config.failed_interval_s)};
}

Fetcher::Fetcher(asio::io_context& io, Source source, FetchTarget target, FetchTimes times,
                 OnBody on_body, ConnectTo connect_to)
    : io_(io),
      source_(source),
      target_(std::move(target)),
      times_(times),
      on_body_(std::move(on_body)),
      connect_to_(std::move(connect_to)),
      timer_(io) {
  status_.url = target_.url();
}

void Fetcher::start() { fetch(); }

void Fetcher::kick() {
  if (stopped_) return;
  ++status_.kicks;
  if (status_.in_flight) {
    kicked_in_flight_ = true;
    return;
  }
  fetch();
}

void Fetcher::stop() {
  stopped_ = true;
  ++timer_generation_;
  timer_.cancel();
  if (stream_) stream_->cancel();
}

void Fetcher::schedule(std::chrono::steady_clock::duration after) {
  uint64_t generation = ++timer_generation_;
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
    // A cancel does not abort a wait whose handler is already queued: the
    // generation tells a stale one (kicked or stopped since) from the current.
    if (ec || generation != self->timer_generation_) return;
    self->fetch();
  });
}

void Fetcher::fetch() {
  if (stopped_ || status_.in_flight) return;
  ++timer_generation_;  // a kick before the timer: this fetch replaces it
  timer_.cancel();
  status_.in_flight = true;
  status_.last_attempt = std::chrono::system_clock::now();
  ++status_.attempts;
  ConnectAddress connect =
      connect_to_ ? connect_to_(target_.server) : ConnectAddress{target_.server, ""};
  status_.connect_address = connect.address;
  if (!connect.address)
    return finish(connect.why_not.empty() ? "no address to connect to" : connect.why_not);

  request_ = {http::verb::get, target_.target, 11};
  request_.set(http::field::host, target_.host());
  request_.set(http::field::user_agent, "nwbpf");
  request_.set(http::field::connection, "close");
  buffer_.clear();
  parser_.emplace();
  parser_->body_limit(kMaxBodyBytes);
  stream_.emplace(io_);
  // One deadline for connect, request and response together.
  stream_->expires_after(times_.timeout);
  asio::ip::tcp::endpoint endpoint(
      asio::ip::address_v4(boost::endian::big_to_native(connect.address->be)), target_.port);
  stream_->async_connect(endpoint, [self = shared_from_this()](beast::error_code ec) {
    self->on_connected(ec);
  });
}

namespace {

std::string describe(std::string_view stage, const beast::error_code& ec,
                     std::chrono::steady_clock::duration timeout) {
  if (ec == beast::error::timeout) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
    std::string limit = ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
    return std::string(stage) + ": timed out (timeout " + limit + ")";
  }
  if (ec == http::error::body_limit)
    return std::string(stage) + ": body larger than " + std::to_string(kMaxBodyBytes) + " bytes";
  return std::string(stage) + ": " + ec.message();
}

}  // namespace

void Fetcher::on_connected(beast::error_code ec) {
  if (ec) return finish(describe("connect", ec, times_.timeout));
  http::async_write(*stream_, request_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->on_written(ec);
                    });
}

void Fetcher::on_written(beast::error_code ec) {
  if (ec) return finish(describe("send request", ec, times_.timeout));
  http::async_read_header(*stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            self->on_header(ec);
                          });
}

void Fetcher::on_header(beast::error_code ec) {
  if (ec) return finish(describe("read response", ec, times_.timeout));
  // Beast 1.74's parser, seen here, took a Content-Length past its
  // body_limit: the size is checked here, and the body's after reading.
  if (parser_->content_length() && *parser_->content_length() > kMaxBodyBytes)
    return finish(describe("read response", http::error::body_limit, times_.timeout));
  http::async_read(*stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     self->on_read(ec);
                   });
}

void Fetcher::on_read(beast::error_code ec) {
  if (ec) return finish(describe("read response", ec, times_.timeout));
  if (parser_->get().body().size() > kMaxBodyBytes)
    return finish(describe("read response", http::error::body_limit, times_.timeout));
  const auto& response = parser_->get();
  if (response.result() != http::status::ok) {
    std::string reason(response.reason());
    return finish("HTTP " + std::to_string(response.result_int()) +
                  (reason.empty() ? "" : " " + reason));
  }
  finish("");
}

void Fetcher::finish(const std::string& error) {
  if (stream_) {  // none when there was no address to connect to
    beast::error_code ignored;
    stream_->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.reset();
  }
  status_.in_flight = false;
  if (stopped_) return;  // cancelled: neither handed over nor counted as failed

  auto log = log::get("fetch");
  if (!error.empty()) {
    ++status_.failures;
    // Warn when the reason changes, not every failed_interval while the
    // server stays down; the status holds the count.
    auto level = error == status_.last_result ? spdlog::level::debug : spdlog::level::warn;
    status_.last_result = error;
    log->log(level, "{}: fetching {} failed: {}; keeping the last good file, next try in {} s",
             to_string(source_), status_.url, error,
             std::chrono::duration_cast<std::chrono::seconds>(times_.failed_interval).count());
  } else {
    status_.last_success = std::chrono::system_clock::now();
    std::string body = parser_->release().body();
    if (last_body_ == body) {
      ++status_.unchanged;
      status_.last_result = "unchanged";
      log->debug("{}: {} unchanged", to_string(source_), status_.url);
    } else {
      ++status_.changed;
      status_.last_result = "ok";
      log->info("{}: fetched {} ({} bytes, changed)", to_string(source_), status_.url,
                body.size());
      last_body_ = body;
      on_body_(source_, *last_body_);
    }
  }
  parser_.reset();
  if (stopped_) return;  // the handler stopped us

  if (kicked_in_flight_) {
    kicked_in_flight_ = false;
    fetch();
    return;
  }
  schedule(error.empty() ? times_.interval : times_.failed_interval);
}

}  // namespace nwbpf::central
