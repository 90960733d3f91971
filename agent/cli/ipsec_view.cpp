// SPDX-License-Identifier: Apache-2.0
#include "cli/ipsec_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "cli/agent_view.h"
#include "cli/answer_fields.h"
#include "cli/bgp_view.h"

namespace nwbpf::cli {

namespace {

using nlohmann::json;

[[noreturn]] void unexpected(const std::string& what) {
  throw AnswerError("unexpected answer from nwbpfd: " + what);
}

std::string header_lines(const AnswerFields& result, const std::string& mode) {
  auto local = result.optional_string("local");
  std::string out = fmt::format("IPsec: {}, local address {}\n", mode,
                                local ? *local : "none yet (no NBMA address)");
  AnswerFields charon = result.object("charon");
  std::string socket = charon.string("socket");
  std::string error = charon.string("error");
  if (charon.flag("connected"))
    out += fmt::format("charon: connected on {}\n", socket);
  else
    out += fmt::format("charon: NOT connected on {}{}\n", socket,
                       error.empty() ? "" : ": " + error);
  // Absent while the controller does not run: nothing was loaded yet.
  std::string credential = result.has("credential_error") ? result.string("credential_error") : "";
  if (!credential.empty()) out += "Credentials: NOT loaded: " + credential + "\n";
  return out;
}

// listed_ago_s is a fraction of seconds (a clock difference), or null.
std::string listing_line(const json& result) {
  auto it = result.find("listed_ago_s");
  if (it == result.end()) unexpected("result has no \"listed_ago_s\"");
  if (it->is_null()) return "SA listing: none yet\n";
  if (!it->is_number() || it->get<double>() < 0)
    unexpected("listed_ago_s is " + it->dump() + ", not a number of seconds");
  return fmt::format("SA listing: {} s old\n", static_cast<uint64_t>(it->get<double>()));
}

// "192.0.2.1" of "192.0.2.1:4500": the address the controller files the SA
// under (a peer is protected by an SA whose remote host it is).
std::string host_of(const AnswerFields& sa, const std::string& where) {
  std::string remote = sa.string("remote");
  auto colon = remote.rfind(':');
  if (colon == std::string::npos || colon == 0)
    unexpected(where + ".remote is \"" + remote + "\", not address:port");
  return remote.substr(0, colon);
}

std::string nat_text(const AnswerFields& sa) {
  bool local = sa.flag("nat_local"), remote = sa.flag("nat_remote");
  if (local && remote) return "NAT-T: both sides behind NAT";
  if (local) return "NAT-T: we are behind NAT";
  if (remote) return "NAT-T: the peer is behind NAT";
  return "no NAT";
}

// "INSTALLED for 00:05:10" while the agent gives an age, else the state.
std::string state_text(const AnswerFields& object, const char* age_key) {
  auto age = object.optional_count(age_key);
  std::string state = object.string("state");
  return age ? state + " for " + up_down_text(static_cast<int64_t>(*age)) : state;
}

// Traffic lines only for a CHILD_SA with keys in the kernel (installed_s
// set): before that its SPIs and counters are zero.
std::string child_lines(const AnswerFields& c) {
  std::string out = fmt::format("    CHILD_SA {} #{}: {}, {}", c.string("name"),
                                c.count("uniqueid"), state_text(c, "installed_s"),
                                c.string("mode"));
  std::string protocol = c.string("protocol");
  if (!protocol.empty()) out += ", " + protocol;
  if (c.flag("encap")) out += ", UDP-encapsulated";
  out += "\n";
  if (!c.optional_count("installed_s")) return out;
  std::string bytes_in = std::to_string(c.count("bytes_in"));
  std::string bytes_out = std::to_string(c.count("bytes_out"));
  std::string packets_in = std::to_string(c.count("packets_in"));
  std::string packets_out = std::to_string(c.count("packets_out"));
  size_t bytes_w = std::max(bytes_in.size(), bytes_out.size());
  size_t packets_w = std::max(packets_in.size(), packets_out.size());
  auto line = [&](const char* dir, const std::string& spi, const std::string& bytes,
                  const std::string& packets) {
    return fmt::format("      {:<4} SPI {}, {:>{}} bytes, {:>{}} packets\n", dir, spi, bytes,
                       bytes_w, packets, packets_w);
  };
  return out + line("in:", c.string("spi_in"), bytes_in, packets_in) +
         line("out:", c.string("spi_out"), bytes_out, packets_out);
}

std::string sa_lines(const AnswerFields& result, size_t i) {
  AnswerFields sa = result.element("sas", i);
  std::string out = fmt::format("  IKE_SA {} #{}: {}, as {}\n", sa.string("name"),
                                sa.count("uniqueid"), state_text(sa, "established_s"),
                                sa.flag("initiator") ? "initiator" : "responder");
  out += fmt::format("    {} -> {}, {}\n", sa.string("local"), sa.string("remote"), nat_text(sa));
  for (size_t j = 0; j < sa.list("children").size(); ++j)
    out += child_lines(sa.element("children", j));
  return out;
}

std::string peer_block(const AnswerFields& p) {
  std::string out =
      fmt::format("Peer {}: {}\n", p.string("nbma"),
                  p.flag("protected") ? "protected"
                                      : "NOT protected (nothing is sent to it until an SA is up)");
  std::string connection = p.string("connection");
  std::string error = p.string("error");
  if (p.flag("loaded"))
    out += fmt::format("  Connection {}: loaded\n", connection);
  else if (!error.empty())
    out += fmt::format("  Connection {}: NOT loaded: {}\n", connection, error);
  else
    out += fmt::format("  Connection {}: not loaded yet\n", connection);
  if (std::string failure = p.string("failure"); !failure.empty())
    out += fmt::format("  Last failure (charon): {}\n", failure);
  return out;
}

// Blocks for the wanted peers in the agent's order, then for the other
// remote hosts of SAs in the listing's order.
std::string peer_blocks(const AnswerFields& result) {
  std::map<std::string, std::vector<size_t>> sas_of;
  std::vector<std::string> hosts;  // in the listing's order
  for (size_t i = 0; i < result.list("sas").size(); ++i) {
    std::string host = host_of(result.element("sas", i), "sas[" + std::to_string(i) + "]");
    auto& list = sas_of[host];
    if (list.empty()) hosts.push_back(host);
    list.push_back(i);
  }
  auto with_sas = [&](std::string block, const std::string& host) {
    auto it = sas_of.find(host);
    if (it == sas_of.end()) return block + "  No IKE_SA.\n";
    for (size_t i : it->second) block += sa_lines(result, i);
    sas_of.erase(it);
    return block;
  };
  std::string out;
  for (size_t i = 0; i < result.list("peers").size(); ++i) {
    AnswerFields p = result.element("peers", i);
    out += "\n" + with_sas(peer_block(p), p.string("nbma"));
  }
  for (const auto& host : hosts)
    if (sas_of.contains(host)) {
      auto head = fmt::format("Peer {}: not wanted here, no connection of its own\n", host);
      out += "\n" + with_sas(head, host);
    }
  return out.empty() ? "\nNo peer to protect and no SA.\n" : out;
}

}  // namespace

std::string ipsec_text(const json& result) {
  AnswerFields fields(result, "result");
  std::string mode = fields.one_of("mode", {"off", "psk", "x509"});
  if (mode == "off") return "IPsec: off, the overlay is not encrypted\n";
  return header_lines(fields, mode) + listing_line(result) + peer_blocks(fields);
}

}  // namespace nwbpf::cli
