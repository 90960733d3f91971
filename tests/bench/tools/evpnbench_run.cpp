// SPDX-License-Identifier: Apache-2.0
#include "evpnbench_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstdio>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "bgp/session_manager.h"
#include "dataplane/fdb_map.h"
#include "evpnbench_watch.h"
#include "nwbpf/consts.h"

namespace nwbpf::evpnbench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(10);

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

void progress(const std::string& text) { std::fprintf(stderr, "nwbpf-evpnbench: %s\n", text.c_str()); }

// The BGP side, run on its own thread: the session with the CE and the
// sending of prepared UPDATEs.
class Reflector {
 public:
  explicit Reflector(const RunSettings& s) : settings_(s), sessions_(io_, config(s), handlers()) {}

  ~Reflector() {
    boost::asio::post(io_, [this] { sessions_.shutdown("nwbpf-evpnbench done"); });
    // Let the NOTIFICATION go out, then stop whatever lingers.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  void start() {
    sessions_.start();
    thread_ = std::thread([this] { io_.run(); });
  }

  // Blocks until the session is Established; throws after `timeout`.
  bgp::Session established(std::chrono::seconds timeout) {
    if (up_.wait_for(timeout) != std::future_status::ready)
      throw std::runtime_error(fmt::format("no session with {} within {} s",
                                           settings_.peer.str(), timeout.count()));
    return up_.get();
  }

  // Sends `updates` in order from the io thread; returns when the last is
  // queued on the socket, with the times before the first and after the last.
  std::pair<Clock::time_point, Clock::time_point> send(const std::vector<bgp::Update>& updates) {
    std::promise<std::pair<Clock::time_point, Clock::time_point>> done;
    boost::asio::post(io_, [&] {
      try {
        const auto first = Clock::now();
        for (const auto& u : updates)
          if (!sessions_.send_update(settings_.peer, u))
            throw std::runtime_error("the session is not Established");
        done.set_value({first, Clock::now()});
      } catch (...) {
        done.set_exception(std::current_exception());
      }
    });
    return done.get_future().get();
  }

  // Empty while the session stands; why it went down otherwise.
  std::string down() const {
    std::lock_guard lock(mutex_);
    return down_;
  }

 private:
  static bgp::SessionManagerConfig config(const RunSettings& s) {
    bgp::SessionManagerConfig c;
    c.local_as = s.table.as;
    c.router_id = s.table.cluster_id;
    c.local_address = s.local;
    c.listen_port = s.port;
    c.peers.push_back({.address = s.peer, .port = s.port, .remote_as = s.table.as,
                       .passive = true, .password = ""});
    return c;
  }

  bgp::SessionHandlers handlers() {
    bgp::SessionHandlers h;
    h.on_established = [this](bgp::PeerId, const bgp::Session& session) {
      if (!announced_up_.exchange(true)) up_promise_.set_value(session);
    };
    h.on_down = [this](bgp::PeerId, const bgp::DownReason& reason,
                       const std::optional<bgp::GracefulRestart>&) {
      std::lock_guard lock(mutex_);
      down_ = reason.text.empty() ? "session down" : reason.text;
    };
    return h;
  }

  const RunSettings& settings_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  bgp::SessionManager sessions_;
  std::thread thread_;
  std::promise<bgp::Session> up_promise_;
  std::future<bgp::Session> up_ = up_promise_.get_future();
  std::atomic<bool> announced_up_{false};
  mutable std::mutex mutex_;
  std::string down_;
};

struct Wait {
  Clock::time_point reached;
  Clock::time_point first_change;  // first poll whose count differed from the start
  std::vector<double> poll_s;
  nlohmann::json progress = nlohmann::json::array();  // [s since t0, count]
};

// Polls until the fdb map holds `want` EVPN entries. The time is that of
// the end of the poll that saw it: an upper bound, off by at most one poll.
Wait wait_for(const FdbWatch& fdb, const Reflector& rr, size_t want, Clock::time_point t0,
              std::chrono::seconds timeout) {
  Wait w;
  std::optional<size_t> start;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto before = Clock::now();
    const size_t n = fdb.evpn_count();
    const auto after = Clock::now();
    w.poll_s.push_back(seconds(after - before));
    w.progress.push_back({seconds(after - t0), n});
    if (!start) start = n;
    if (n != *start && w.first_change == Clock::time_point{}) w.first_change = after;
    if (n == want) {
      w.reached = after;
      if (w.first_change == Clock::time_point{}) w.first_change = after;
      return w;
    }
    if (auto why = rr.down(); !why.empty())
      throw std::runtime_error("the session went down: " + why);
    if (after > deadline)
      throw std::runtime_error(
          fmt::format("{} EVPN entries in fdb after {} s, {} expected", n, timeout.count(), want));
    // A poll of 100,000 entries takes a few ms of a CPU the CE shares.
    std::this_thread::sleep_for(kPollInterval);
  }
}

// Exactly the table's routes, each behind its VTEP, and nothing else of EVPN.
void verify(const FdbWatch& fdb, const TableSpec& table) {
  std::unordered_map<uint64_t, uint32_t> vtep_of;  // (vni, mac) packed -> VTEP
  auto packed = [](uint32_t vni, const Mac& mac) {
    uint64_t v = vni;
    for (uint8_t b : mac.bytes) v = v << 8 | b;
    return v;
  };
  for (uint32_t i = 0; i < table.count; ++i)
    vtep_of[packed(table.vni, route_mac(i))] = route_vtep(table, i).be;
  size_t seen = 0;
  for (const auto& [key, entry] : fdb.entries()) {
    if (entry.origin != NWBPF_ORIGIN_EVPN) continue;
    const Mac mac = mac_of(key.mac);
    auto it = vtep_of.find(packed(key.vni, mac));
    if (it == vtep_of.end() || entry.kind != NWBPF_FDB_REMOTE || entry.vtep != it->second)
      throw std::runtime_error(fmt::format("fdb entry VNI {} MAC {} VTEP {} is not in the table",
                                           key.vni, mac.str(), Ipv4{entry.vtep}.str()));
    ++seen;
  }
  if (seen != table.count)
    throw std::runtime_error(fmt::format("{} EVPN entries, {} expected", seen, table.count));
}

nlohmann::json memory_json(const Memory& m) { return {{"rss_kib", m.rss_kib}, {"peak_kib", m.peak_kib}}; }

}  // namespace

nlohmann::json run(const RunSettings& s) {
  validate(s.table);
  FdbWatch fdb(s.pin_dir);
  if (size_t n = fdb.evpn_count())
    throw std::runtime_error(fmt::format("fdb already holds {} EVPN entries", n));
  Reflector rr(s);
  rr.start();
  progress(fmt::format("listening on {}:{} for {}", s.local.str(), s.port, s.peer.str()));
  const bgp::Session session = rr.established(s.timeout);
  const bgp::SessionOptions options{session.four_octet_as};
  const auto announce = announcements(s.table, options);
  const Memory before = memory_of(s.agent_pid);
  progress(fmt::format("Established; sending {} routes in {} UPDATEs", s.table.count,
                       announce.size()));

  nlohmann::json out;
  out["routes"] = s.table.count;
  out["vteps"] = s.table.vteps.size();
  out["vni"] = s.table.vni;
  out["updates"] = announce.size();  // End-of-RIB included
  const auto [first, eor] = rr.send(announce);
  Wait in = wait_for(fdb, rr, s.table.count, first, s.timeout);
  const Memory installed = memory_of(s.agent_pid);
  verify(fdb, s.table);
  out["send_s"] = seconds(eor - first);
  out["install_s"] = seconds(in.reached - eor);
  out["total_s"] = seconds(in.reached - first);
  out["first_entry_s"] = seconds(in.first_change - first);
  out["poll_ms"] = *std::max_element(in.poll_s.begin(), in.poll_s.end()) * 1e3;  // the slack
  out["progress"] = std::move(in.progress);
  out["memory"] = {{"before", memory_json(before)}, {"installed", memory_json(installed)}};
  progress(fmt::format("all {} in fdb {:.3f} s after End-of-RIB", s.table.count,
                       out["install_s"].get<double>()));

  if (s.withdraw) {
    const auto gone = withdrawals(s.table, options);
    const auto [wfirst, wlast] = rr.send(gone);
    Wait w = wait_for(fdb, rr, 0, wfirst, s.timeout);
    out["withdraw"] = {{"updates", gone.size()},
                       {"send_s", seconds(wlast - wfirst)},
                       {"remove_s", seconds(w.reached - wlast)},
                       {"total_s", seconds(w.reached - wfirst)},
                       {"progress", std::move(w.progress)}};
    out["memory"]["withdrawn"] = memory_json(memory_of(s.agent_pid));
    progress(fmt::format("fdb empty {:.3f} s after the last withdrawal",
                         out["withdraw"]["remove_s"].get<double>()));
  }
  return out;
}

}  // namespace nwbpf::evpnbench
