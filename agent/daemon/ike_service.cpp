// SPDX-License-Identifier: Apache-2.0
#include "daemon/ike_service.h"

#include <algorithm>
#include <utility>

#include "common/log.h"

namespace nwbpf::daemon {

namespace {

using ipsec::Request;
namespace vici = ipsec::vici;

// Events the controller follows, list-sa, which list-sas streams only to a
// client registered for it, and charon's log (levels 0 and 1), where the
// reason an SA did not come up is.
constexpr const char* kEvents[] = {"ike-updown", "child-updown", "list-sa", "log"};

std::string about(const Request& r) {
  return r.peer ? r.command + " for " + r.peer->str() : r.command;
}

}  // namespace

IkeService::IkeService(boost::asio::io_context& io, std::string socket_path, Ipv4 local,
                       ipsec::Credentials credentials, Callbacks callbacks)
    : io_(io),
      path_(std::move(socket_path)),
      controller_(local, std::move(credentials)),
      callbacks_(std::move(callbacks)),
      reconnect_(io),
      tick_(io, [this] {
        send(controller_.retry());
        list();
      }) {}

IkeService::~IkeService() { stop(); }

void IkeService::start() {
  stopped_ = false;
  connect();
  tick_.start(kTick);
}

void IkeService::stop() {
  stopped_ = true;
  tick_.stop();
  reconnect_.cancel();
  if (client_) client_->close();
}

void IkeService::connect() {
  client_ = std::make_unique<vici::Client>(io_, path_);
  client_->connect(
      [this](vici::Result<void> r) {
        if (r) return on_connected();
        lose(r.error().message);
      },
      [this](const vici::Error& why) { lose(why.message); });
}

void IkeService::on_connected() {
  auto log = log::get("ipsec");
  log->info("connected to charon at {}", path_);
  charon_error_.clear();
  backoff_ = kFirstRetry;
  for (const char* name : kEvents)
    client_->subscribe(
        name, [this, name](const vici::Message& event) { on_event(name, event); },
        [this, name](vici::Result<void> r) {
          // Without the events nothing would tell us an SA went down.
          if (!r) lose(std::string("subscribing to ") + name + ": " + r.error().message);
        });
  send(controller_.on_connected());
  list();
}

// The connection is gone (or never came): every peer counts as unprotected
// until charon answers again and lists its SAs.
void IkeService::lose(const std::string& why) {
  if (stopped_) return;
  auto log = log::get("ipsec");
  if (why != charon_error_)
    log->error("charon {}: {}; every peer counts as unprotected (retrying)",
               controller_.connected() ? "lost" : "not reachable", why);
  charon_error_ = why;
  bool was_up = !controller_.sa_up().empty();
  controller_.on_disconnected();
  listing_.clear();
  listing_in_flight_ = list_again_ = false;
  listed_at_.reset();
  // Not inside the client's own callback: post the teardown.
  auto* gone = client_.release();
  boost::asio::post(io_, [gone] {
    gone->close();
    delete gone;
  });
  notify(was_up);
  reconnect_.expires_after(backoff_);
  backoff_ = std::min<std::chrono::milliseconds>(backoff_ * 2, kLastRetry);
  reconnect_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !stopped_) connect();
  });
}

void IkeService::send(std::vector<Request> requests) {
  if (!client_ || !controller_.connected()) return;
  for (auto& r : requests) {
    if (r.body.entries().empty() && r.kind == Request::Kind::connection) {
      // The builder refused it (ike_controller.cpp): report, do not send.
      controller_.on_result(r, vici::Error{0, r.command});
      log::get("ipsec")->error("{}", about(r));
      continue;
    }
    Request sent = r;
    client_->request(r.command, std::move(r.body), [this, sent](vici::Result<vici::Message> reply) {
      if (!reply) return;  // the connection failed: lose() says so
      auto checked = ipsec::check_reply(sent.command, reply.value());
      controller_.on_result(sent, checked);
      check_ready();
      auto log = log::get("ipsec");
      // A terminate of an SA that is already gone is not worth a warning.
      if (!checked && sent.kind != Request::Kind::terminate)
        log->error("{}: {}", about(sent), checked.error().message);
      else if (checked)
        log->debug("{}: done", about(sent));
    });
  }
}

void IkeService::list() {
  if (!client_ || !controller_.connected()) return;
  if (listing_in_flight_) {
    list_again_ = true;
    return;
  }
  listing_in_flight_ = true;
  listing_.clear();
  controller_.begin_listing();
  client_->request("list-sas", ipsec::list_sas(), [this](vici::Result<vici::Message> reply) {
    if (!reply) return;
    listing_in_flight_ = false;
    listed_at_ = std::chrono::steady_clock::now();
    notify(controller_.on_listing(std::move(listing_)));
    listing_.clear();
    if (std::exchange(list_again_, false)) list();
  });
}

void IkeService::on_event(const std::string& name, const vici::Message& event) {
  auto log = log::get("ipsec");
  if (name == "log") return controller_.on_log(event);
  if (name == "list-sa") {
    auto sa = ipsec::parse_list_sa(event);
    if (!sa) return log->warn("list-sa from charon: {}", sa.error().message);
    listing_.push_back(std::move(sa).value());
    return;
  }
  auto updown = ipsec::parse_updown(event);
  if (!updown) return log->warn("{} from charon: {}", name, updown.error().message);
  const auto& sa = updown.value().sa;
  log->info("{} {}: {} with {} ({})", name, updown.value().up ? "up" : "down", sa.name,
            sa.remote_host, sa.state);
  notify(controller_.on_updown(updown.value()));
  list();  // the whole picture: another SA with the same peer, a rekey
}

void IkeService::set_wanted(const std::set<Ipv4>& peers) { send(controller_.set_wanted(peers)); }

void IkeService::check_ready() {
  if (was_ready_ || !controller_.ready()) return;
  was_ready_ = true;
  log::get("ipsec")->info("charon holds the credential and {} peer connection(s)",
                          controller_.peers().size());
  if (callbacks_.ready) callbacks_.ready();
}

void IkeService::notify(bool changed) {
  if (changed && callbacks_.changed) callbacks_.changed();
}

}  // namespace nwbpf::daemon
