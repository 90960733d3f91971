// SPDX-License-Identifier: Apache-2.0
#include "daemon/central_client.h"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bgp/session_manager_config.h"
#include "common/log.h"

namespace nwbpf::daemon {

namespace fs = std::filesystem;
using central::Source;

central::ConnectAddress connect_address(Ipv4 host, const std::optional<bgp::Prefix4>& overlay_range,
                                        const std::map<Ipv4, NhrpBinding>& peers,
                                        const OwnAddresses& own) {
  if (!overlay_range || !bgp::contains(*overlay_range, host)) return {host, ""};
  if (host == own.overlay) return {own.nbma, ""};
  if (auto it = peers.find(host); it != peers.end()) return {it->second.nbma, ""};
  return {std::nullopt, host.str() + " has no NBMA address from NHRP yet"};
}

std::string state_dir(const Config& config) { return "/var/lib/nwbpf/" + config.agent.instance; }

namespace {

// What a running source was built from: a change of any of it rebuilds it.
struct Settings {
  FetchSourceConfig source;
  uint32_t timeout_s = 0, interval_s = 0, failed_interval_s = 0;
  Ipv4 overlay;
  Ipv4 kick_address;
  bool operator==(const Settings&) const = default;
};

// The configured sources: role ce with [fetch] (a config-server-only node
// reads [fetch] for its folders and fetches nothing).
std::map<Source, FetchSourceConfig> wanted(const Config& c) {
  std::map<Source, FetchSourceConfig> out;
  if (!c.fetch || std::ranges::find(c.agent.roles, Role::ce) == c.agent.roles.end()) return out;
  if (c.fetch->portconfig) out[Source::portconfig] = *c.fetch->portconfig;
  if (c.fetch->ebconfig) out[Source::ebconfig] = *c.fetch->ebconfig;
  return out;
}

std::string file_name(Source kind) { return std::string(central::to_string(kind)) + ".json"; }

}  // namespace

struct CentralClient::Feed {
  Feed(boost::asio::io_context& io, central::Source k) : kind(k), kick_retry(io) {}
  central::Source kind;
  Settings settings;
  std::string url;
  std::shared_ptr<central::Fetcher> fetcher;
  std::shared_ptr<central::KickListener> kick;
  std::optional<Ipv4> kick_address;
  std::string kick_error;
  boost::asio::steady_timer kick_retry;  // while the kick port cannot be bound
  bool waiting_for_address = false;  // the last attempt had no address to connect to
  FileStatus file;
  std::optional<std::string> good_body;  // the file in force
  std::optional<central::PortConfig> portconfig;
  std::optional<central::Ebconfig> ebconfig;
};

CentralClient::CentralClient(boost::asio::io_context& io, std::string state_dir,
                             ValidatePorts validate, Callbacks callbacks)
    : io_(io),
      state_dir_(std::move(state_dir)),
      validate_(std::move(validate)),
      callbacks_(std::move(callbacks)) {}

CentralClient::~CentralClient() { stop(); }

void CentralClient::load_saved(const Config& config) {
  for (const auto& [kind, cfg] : wanted(config)) {
    auto& s = sources_[kind];
    if (!s) s = std::make_unique<Feed>(io_, kind);
    s->url = central::fetch_target(cfg, config.node.overlay_address).url();
    std::ifstream in(fs::path(state_dir_) / file_name(kind), std::ios::binary);
    if (!in) continue;  // none saved yet (or unreadable: the server's copy will do)
    std::ostringstream body;
    body << in.rdbuf();
    log::get("fetch")->info("{}: applying the saved copy {} until {} answers", central::to_string(kind),
                            (fs::path(state_dir_) / file_name(kind)).string(), s->url);
    on_body(*s, body.str(), "saved copy");
  }
}

void CentralClient::configure(const Config& config, Ipv4 kick_address) {
  auto want = wanted(config);
  for (auto it = sources_.begin(); it != sources_.end();) {
    if (want.contains(it->first)) {
      ++it;
      continue;
    }
    log::get("fetch")->info("{}: no longer configured", central::to_string(it->first));
    drop(*it->second);
    const bool had_file = it->second->good_body.has_value();
    const central::Source kind = it->first;
    it = sources_.erase(it);
    if (had_file) notify(kind);
  }
  for (const auto& [kind, cfg] : want) {
    Settings settings{cfg,
                      config.fetch->timeout_s,
                      config.fetch->interval_s,
                      config.fetch->failed_interval_s,
                      config.node.overlay_address,
                      cfg.bind_address.value_or(kick_address)};
    auto& s = sources_[kind];
    if (!s) s = std::make_unique<Feed>(io_, kind);
    if (s->fetcher && s->settings == settings) continue;
    if (s->fetcher) {
      // The last good file stays in force until the new URL answers.
      log::get("fetch")->info("{}: [fetch] changed, restarting its fetch", central::to_string(kind));
      drop(*s);
    }
    s->settings = settings;
    s->url = central::fetch_target(cfg, config.node.overlay_address).url();
    FetchConfig times = *config.fetch;
    s->fetcher = std::make_shared<central::Fetcher>(
        io_, kind, central::fetch_target(cfg, config.node.overlay_address),
        central::fetch_times(times),
        [this, src = s.get()](central::Source kind, const std::string& body) {
          if (on_body(*src, body, "server")) notify(kind);
        },
        [this, src = s.get()](Ipv4 host) {
          auto address = callbacks_.connect_to ? callbacks_.connect_to(host)
                                               : central::ConnectAddress{host, ""};
          src->waiting_for_address = !address.address;
          return address;
        });
    s->kick_address = settings.kick_address;
    s->kick_error.clear();
    listen_for_kicks(*s);
    s->fetcher->start();
  }
}

// A kick port that cannot be bound (another process holds it, the address
// is not local yet) is retried every kKickRetry; meanwhile the source
// fetches at its interval. The error is logged when it first happens or
// changes, and shown by show portconfig.
void CentralClient::listen_for_kicks(Feed& s) {
  auto log = log::get("fetch");
  const auto name = central::to_string(s.kind);
  try {
    s.kick = std::make_shared<central::KickListener>(io_, s.settings.kick_address,
                                                     s.settings.source.bind_port,
                                                     [f = s.fetcher] { f->kick(); });
    s.kick->start();
    if (!s.kick_error.empty())
      log->info("{}: update-kick listening on {}:{}", name, s.settings.kick_address.str(),
                s.kick->port());
    s.kick_error.clear();
    return;
  } catch (const std::exception& e) {
    if (e.what() != s.kick_error)
      log->error("{}: {}; it fetches at its interval only, retrying every {} s", name, e.what(),
                 kKickRetry.count());
    s.kick_error = e.what();
  }
  // The feed may be rebuilt or dropped before the timer fires: the handler
  // retries only if this client and the same fetcher are still there.
  s.kick_retry.expires_after(kKickRetry);
  s.kick_retry.async_wait([this, alive = std::weak_ptr<bool>(alive_), kind = s.kind,
                           fetcher = std::weak_ptr<central::Fetcher>(s.fetcher)](
                              const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    auto it = sources_.find(kind);
    if (it == sources_.end() || !it->second->fetcher || it->second->kick ||
        it->second->fetcher != fetcher.lock())
      return;
    listen_for_kicks(*it->second);
  });
}

void CentralClient::drop(Feed& s) {
  s.kick_retry.cancel();
  if (s.fetcher) s.fetcher->stop();
  if (s.kick) s.kick->stop();
  s.fetcher.reset();
  s.kick.reset();
}

void CentralClient::stop() {
  for (auto& [kind, s] : sources_) drop(*s);
}

void CentralClient::addresses_changed() {
  for (auto& [kind, s] : sources_)
    if (s->fetcher && s->waiting_for_address && !s->fetcher->status().in_flight) {
      s->waiting_for_address = false;
      s->fetcher->kick();
    }
}

// Parses the body and checks it: a portconfig's ports against the running
// config, an ebconfig's rule set against the data plane's limits; every
// problem and warning is logged with the URL.
bool CentralClient::accept(Feed& s, const std::string& body, FileStatus& status) {
  auto log = log::get("fetch");
  const auto name = central::to_string(s.kind);
  std::vector<std::string> problems, warnings;
  if (s.kind == Source::portconfig) {
    auto parsed = central::parse_portconfig(body);
    if (parsed) {
      problems = validate_ ? validate_(parsed.value().value, s.url) : std::vector<std::string>{};
      warnings = parsed.value().warnings;
      if (problems.empty()) s.portconfig = std::move(parsed.value().value);
    } else {
      problems = parsed.error().problems;
    }
  } else {
    auto parsed = central::parse_ebconfig(body);
    if (parsed) {
      if (callbacks_.check_ebconfig) problems = callbacks_.check_ebconfig(parsed.value().value);
      warnings = parsed.value().warnings;
      if (problems.empty()) s.ebconfig = std::move(parsed.value().value);
    } else {
      problems = parsed.error().problems;
    }
  }
  for (const auto& w : warnings) log->warn("{}: {}: {}", name, s.url, w);
  if (!problems.empty()) {
    for (const auto& p : problems) log->error("{}: {}: {}", name, s.url, p);
    log->error("{}: {} ({}) rejected; the last good file stays in force", name, s.url,
               status.origin);
    status.result = "rejected";
    status.problems = std::move(problems);
    return false;
  }
  status.result = "applied";
  status.problems.clear();
  status.warnings = std::move(warnings);
  status.applied_at = std::chrono::system_clock::now();
  return true;
}

// True when the file in force changed.
bool CentralClient::on_body(Feed& s, const std::string& body, const std::string& origin) {
  s.file.origin = origin;
  if (s.good_body == body) {  // the saved copy, now from the server: nothing changes
    s.file.result = "applied";
    s.file.problems.clear();
    return false;
  }
  if (!accept(s, body, s.file)) return false;
  s.good_body = body;
  log::get("fetch")->info("{}: {} applied", central::to_string(s.kind),
                          origin == "server" ? s.url : "the saved copy");
  if (origin == "server") save(s, body);
  return true;
}

void CentralClient::notify(central::Source kind) const {
  auto& changed =
      kind == Source::portconfig ? callbacks_.portconfig_changed : callbacks_.ebconfig_changed;
  if (changed) changed();
}

// Written to a temporary file renamed over the old one, so a crash leaves
// either copy whole.
void CentralClient::save(const Feed& s, const std::string& body) const {
  const fs::path path = fs::path(state_dir_) / file_name(s.kind);
  const fs::path temporary = path.string() + ".tmp";
  std::error_code ec;
  fs::create_directories(state_dir_, ec);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << body;
    out.flush();
    if (!out) ec = std::make_error_code(std::errc::io_error);
  }
  if (!ec) fs::rename(temporary, path, ec);
  if (ec)
    log::get("fetch")->warn("{}: cannot save the last good file as {}: {}; a restart while the "
                            "server is down starts without it",
                            central::to_string(s.kind), path.string(), ec.message());
}

const central::PortConfig* CentralClient::portconfig() const {
  auto it = sources_.find(Source::portconfig);
  return it != sources_.end() && it->second->portconfig ? &*it->second->portconfig : nullptr;
}

const std::string& CentralClient::url_of(Source kind) const {
  static const std::string none;
  auto it = sources_.find(kind);
  return it != sources_.end() ? it->second->url : none;
}

const std::string& CentralClient::portconfig_url() const { return url_of(Source::portconfig); }
const std::string& CentralClient::ebconfig_url() const { return url_of(Source::ebconfig); }

const central::Ebconfig* CentralClient::ebconfig() const {
  auto it = sources_.find(Source::ebconfig);
  return it != sources_.end() && it->second->ebconfig ? &*it->second->ebconfig : nullptr;
}

std::vector<SourceView> CentralClient::sources() const {
  std::vector<SourceView> out;
  for (const auto& [kind, s] : sources_)  // enum order: portconfig first
    out.push_back({.source = kind,
                   .url = s->url,
                   .fetch = s->fetcher ? &s->fetcher->status() : nullptr,
                   .kick_address = s->kick_address,
                   .kick_port = s->kick ? s->kick->port() : s->settings.source.bind_port,
                   .kick_error = s->kick_error,
                   .file = &s->file});
  return out;
}

}  // namespace nwbpf::daemon
