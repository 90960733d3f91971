// SPDX-License-Identifier: Apache-2.0
// The CE side of Nante-WAN's config fetch (issue 6): one Fetcher per source
// (portconfig, ebconfig) GETs <json_url_prefix>/<overlay address>.json at
// start, every `interval` after a success, every `failed_interval` after a
// failure, and at once when kicked. Each attempt (connect, request,
// response) is bounded by `timeout`. Async on the caller's io_context, no
// threads. The body is handed over only when it differs from the last one
// handed over, so unchanged content is not re-applied; parsing it is the
// handler's business (portconfig.h, ebconfig.h).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/net_types.h"
#include "config/config.h"

namespace nwbpf::central {

enum class Source { portconfig, ebconfig };
std::string_view to_string(Source source);

// Where one source's file is: FetchSourceConfig's server and port, and the
// target path "<path>/<overlay>.json".
struct FetchTarget {
  Ipv4 server;
  uint16_t port = 80;
  std::string target;
  std::string host() const;  // "server[:port]", the Host header
  std::string url() const;   // "http://<host><target>", for status and logs
};
FetchTarget fetch_target(const FetchSourceConfig& source, Ipv4 overlay_address);

struct FetchTimes {
  std::chrono::steady_clock::duration timeout = std::chrono::seconds(5);
  std::chrono::steady_clock::duration interval = std::chrono::seconds(3600);
  std::chrono::steady_clock::duration failed_interval = std::chrono::seconds(5);
};
FetchTimes fetch_times(const FetchConfig& config);

// A larger body is refused: the seed's files are a few hundred bytes and
// 10,000 ebconfig rules are about 1.5 MB of JSON; 4 MiB leaves room without
// letting a confused server fill memory.
inline constexpr std::size_t kMaxBodyBytes = 4 * 1024 * 1024;

// Where an attempt connects for the URL's host: the address, or why there
// is none yet (the attempt fails with that text, retried after
// failed_interval). The URL and its Host header stay as configured.
struct ConnectAddress {
  std::optional<Ipv4> address;
  std::string why_not;
};
// Asked at every attempt, so an answer that changes (NHRP learning the
// server's NBMA address) is used at the next one.
using ConnectTo = std::function<ConnectAddress(Ipv4 host)>;

// For `nwbpf show portconfig`: what the last attempts did.
struct FetchStatus {
  std::string url;
  std::optional<Ipv4> connect_address;  // where the last attempt connected
  std::optional<std::chrono::system_clock::time_point> last_attempt;
  std::string last_result;  // "" before the first, "ok", "unchanged" or the error
  std::optional<std::chrono::system_clock::time_point> last_success;
  bool in_flight = false;
  uint64_t attempts = 0;
  uint64_t changed = 0;    // successes that handed a new body over
  uint64_t unchanged = 0;  // successes with the body last handed over
  uint64_t failures = 0;
  uint64_t kicks = 0;
};

class Fetcher : public std::enable_shared_from_this<Fetcher> {
 public:
  // Called with a body that differs from the last one handed over.
  using OnBody = std::function<void(Source, const std::string& body)>;

  // Handlers hold a shared_ptr to the Fetcher: create it with make_shared,
  // and stop() it before dropping it, so that they release it. No
  // `connect_to`: connect to the URL's host.
  Fetcher(boost::asio::io_context& io, Source source, FetchTarget target, FetchTimes times,
          OnBody on_body, ConnectTo connect_to = nullptr);

  void start();  // the first fetch, now
  // Fetch now; while a fetch is in flight, once more right after it (any
  // number of kicks during one fetch make one more fetch).
  void kick();
  void stop();  // cancels the timer and an attempt in flight; nothing is handed over after

  const FetchStatus& status() const { return status_; }
  Source source() const { return source_; }

 private:
  void fetch();
  void on_connected(boost::beast::error_code ec);
  void on_written(boost::beast::error_code ec);
  void on_header(boost::beast::error_code ec);
  void on_read(boost::beast::error_code ec);
  void finish(const std::string& error);
  void schedule(std::chrono::steady_clock::duration after);

  boost::asio::io_context& io_;
  Source source_;
  FetchTarget target_;
  FetchTimes times_;
  OnBody on_body_;
  ConnectTo connect_to_;
  boost::asio::steady_timer timer_;
  uint64_t timer_generation_ = 0;  // a fired timer of an older generation is stale
  bool stopped_ = false;
  bool kicked_in_flight_ = false;
  std::optional<std::string> last_body_;  // the last body handed over
  FetchStatus status_;

  // One attempt's I/O.
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::empty_body> request_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> parser_;
};

}  // namespace nwbpf::central
