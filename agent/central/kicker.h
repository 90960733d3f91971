// SPDX-License-Identifier: Apache-2.0
// The config server's push (issue 6): when a CE's file changes, tell that
// CE to fetch now, as Nante-WAN did: HTTP GET http://<CE>:<bind_port>/update-kick,
// bind_port being the one of the file's folder (portconfig 8080, ebconfig
// 8081 by default). On the caller's io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/outcome/result.hpp>
#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/net_types.h"

namespace nwbpf::central {

struct KickTarget {
  Ipv4 ce;            // the CE's overlay address (its file's name)
  uint16_t port = 0;  // the folder's bind_port
  auto operator<=>(const KickTarget&) const = default;
};

// Where to connect for a CE, or why there is no such address yet (the try
// fails with that reason and is retried on the kick's schedule).
using KickAddress = BOOST_OUTCOME_V2_NAMESPACE::checked<Ipv4, std::string>;

// How one try of a kick ended, for the caller's status.
struct KickTry {
  std::string error;   // "" when answered 2xx, else why not
  unsigned tries = 0;  // of this kick so far
  bool last = false;   // no try follows: done, or given up
};

struct KickOptions {
  // Of one try: connect, request and a 2xx answer. nwbpf's CE answers at
  // once; Nante-WAN's answered after its fetch, which takes about as long.
  std::chrono::milliseconds timeout{2000};
  // Tries in all, the first included.
  unsigned tries = 5;
  // Wait before the 2nd, 3rd, ... try; the last is repeated as needed.
  std::vector<std::chrono::milliseconds> backoff{std::chrono::milliseconds(500),
                                                 std::chrono::seconds(1), std::chrono::seconds(2),
                                                 std::chrono::seconds(4)};
  // Where to connect for a CE: the NBMA address NHRP knows for its overlay
  // address (there is no overlay device). Unset: the overlay address itself
  // (tests, and a CE reachable at that address).
  std::function<KickAddress(Ipv4 overlay)> resolve;
  // Called after every try (optional).
  std::function<void(const KickTarget&, const KickTry&)> report;
};

struct KickCounters {
  uint64_t requested = 0;  // kick() calls
  uint64_t coalesced = 0;  // kick() calls folded into a pending kick
  uint64_t tries = 0;      // HTTP requests started
  uint64_t succeeded = 0;  // tries answered 2xx
  uint64_t failed = 0;     // tries that failed (each logged with its reason)
  uint64_t given_up = 0;   // kicks abandoned after options.tries failures
  bool operator==(const KickCounters&) const = default;
};

// A kick in flight or waiting to retry.
struct PendingKick {
  KickTarget target;
  unsigned tries = 0;      // made so far
  bool in_flight = false;  // else waiting to retry
  std::string last_error;  // of the last failed try, "" if none
};

// At most one kick per target is pending. A change while the target's kick
// is waiting to retry is folded into it (the CE will fetch the newest file
// anyway); a change while a request is in flight asks for one more kick
// after it, since the CE may have fetched before that change.
class Kicker {
 public:
  Kicker(boost::asio::io_context& io, KickOptions options);
  ~Kicker();
  Kicker(const Kicker&) = delete;
  Kicker& operator=(const Kicker&) = delete;

  void kick(const KickTarget& target);
  const KickCounters& counters() const { return counters_; }
  // Targets with a kick in flight or waiting to retry.
  size_t pending() const { return pending_.size(); }
  // The same, by target.
  std::vector<PendingKick> pending_kicks() const;

 private:
  struct Pending;
  void start_try(const KickTarget& target);
  void on_result(const KickTarget& target, const std::string& error);
  void report(const KickTarget& target, const std::string& error, bool last);

  boost::asio::io_context& io_;
  KickOptions options_;
  KickCounters counters_;
  std::map<KickTarget, std::unique_ptr<Pending>> pending_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace nwbpf::central
