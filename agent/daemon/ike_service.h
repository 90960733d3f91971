// SPDX-License-Identifier: Apache-2.0
// The agent's IKE controller (agent/ipsec/ike_controller.h) on the
// io_context: one VICI connection to charon, made again with backoff while
// charon is missing or after it went away; the controller's requests sent in
// order; ike-updown and child-updown followed; list-sas taken after each of
// them and every kTick. Which peers are protected is `sa_up()`, which the
// daemon turns into NWBPF_PEER_SA when `changed` fires.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/net_types.h"
#include "daemon/periodic.h"
#include "ipsec/ike_controller.h"
#include "ipsec/vici_client.h"

namespace nwbpf::daemon {

class IkeService {
 public:
  // Retries refused connections and takes a listing this often.
  static constexpr std::chrono::seconds kTick{10};
  // Reconnect backoff: doubles from the first to the last.
  static constexpr std::chrono::milliseconds kFirstRetry{500};
  static constexpr std::chrono::seconds kLastRetry{10};

  struct Callbacks {
    std::function<void()> changed;  // sa_up() changed
    // Once: the controller is ready() for the first time (the trap
    // policies are in).
    std::function<void()> ready;
  };

  IkeService(boost::asio::io_context& io, std::string socket_path, Ipv4 local,
             ipsec::Credentials credentials, Callbacks callbacks);
  ~IkeService();
  IkeService(const IkeService&) = delete;
  IkeService& operator=(const IkeService&) = delete;

  void start();
  // Closes the VICI connection; charon keeps the SAs and trap policies (so
  // an agent restart leaves nothing unprotected).
  void stop();

  void set_wanted(const std::set<Ipv4>& peers);

  const std::set<Ipv4>& sa_up() const { return controller_.sa_up(); }
  const ipsec::IkeController& controller() const { return controller_; }
  const std::string& socket_path() const { return path_; }
  // Why charon cannot be reached; empty while connected.
  const std::string& charon_error() const { return charon_error_; }
  // When the SAs in controller().sas() were listed; nullopt: never.
  std::optional<std::chrono::steady_clock::time_point> listed_at() const { return listed_at_; }

 private:
  void connect();
  void on_connected();
  void lose(const std::string& why);
  void send(std::vector<ipsec::Request> requests);
  void list();
  void on_event(const std::string& name, const ipsec::vici::Message& event);
  void notify(bool changed);
  void check_ready();

  boost::asio::io_context& io_;
  std::string path_;
  ipsec::IkeController controller_;
  Callbacks callbacks_;
  std::unique_ptr<ipsec::vici::Client> client_;
  boost::asio::steady_timer reconnect_;
  std::chrono::milliseconds backoff_ = kFirstRetry;
  Periodic tick_;
  std::vector<ipsec::IkeSaInfo> listing_;  // list-sa events of the listing in flight
  bool listing_in_flight_ = false;
  bool list_again_ = false;  // asked for while one was in flight
  std::optional<std::chrono::steady_clock::time_point> listed_at_;
  std::string charon_error_ = "not connected yet";
  bool stopped_ = false;
  bool was_ready_ = false;
};

}  // namespace nwbpf::daemon
