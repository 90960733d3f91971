// SPDX-License-Identifier: Apache-2.0
#include "bgp/session_manager_config.h"

#include <arpa/inet.h>

#include <random>
#include <set>
#include <stdexcept>
#include <string>

#include "bgp/tcp_md5.h"

namespace nwbpf::bgp {

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("bgp session config: " + what);
}

uint32_t mask(uint8_t length) { return length == 0 ? 0 : ~uint32_t(0) << (32 - length); }

void check_password(const std::string& password, const std::string& who) {
  require(password.size() <= kMaxMd5KeyLength,
          who + ": TCP-MD5 password of " + std::to_string(password.size()) +
              " bytes, over the kernel's " + std::to_string(kMaxMd5KeyLength));
}

}  // namespace

bool contains(Prefix4 prefix, Ipv4 address) {
  const uint32_t m = mask(prefix.length);
  return (ntohl(address.be) & m) == (ntohl(prefix.address.be) & m);
}

std::string to_string(Prefix4 prefix) {
  return prefix.address.str() + "/" + std::to_string(prefix.length);
}

FsmConfig fsm_config(const SessionManagerConfig& config, std::optional<uint32_t> remote_as) {
  FsmConfig fsm;
  fsm.local_as = config.local_as;
  fsm.router_id = config.router_id;
  fsm.peer_as = remote_as;
  fsm.hold_time = config.hold_time;
  fsm.connect_retry_time = config.connect_retry_time;
  fsm.families = config.families;
  fsm.graceful_restart_time = config.graceful_restart_time;
  fsm.forwarding_preserved = config.forwarding_preserved;
  fsm.damping = config.damping;
  if (config.jitter) fsm.jitter = random_jitter(std::random_device{}());
  return fsm;
}

void validate(const SessionManagerConfig& config) {
  validate(fsm_config(config, std::nullopt));
  std::set<Ipv4> addresses;
  for (const auto& peer : config.peers) {
    const std::string who = "peer " + peer.address.str();
    require(peer.address.be != 0, "peer address 0.0.0.0");
    require(addresses.insert(peer.address).second, who + " is listed twice");
    require(peer.port != 0, who + ": port 0");
    validate(fsm_config(config, peer.remote_as));
    check_password(peer.password, who);
  }
  std::set<Prefix4> prefixes;
  for (const auto& range : config.listen_ranges) {
    const Prefix4 p = range.prefix;
    const std::string who = "listen range " + to_string(p);
    require(p.length <= 32, who + ": prefix length over 32");
    require((ntohl(p.address.be) & ~mask(p.length)) == 0, who + " has host bits set");
    require(prefixes.insert(p).second, who + " is listed twice");
    validate(fsm_config(config, range.remote_as));
    check_password(range.password, who);
    for (const auto& peer : config.peers)
      require(
          !contains(p, peer.address) || range.password.empty() || peer.password == range.password,
          "peer " + peer.address.str() + " is inside " + who +
              " with another TCP-MD5 password: the kernel would require the range's");
  }
}

}  // namespace nwbpf::bgp
