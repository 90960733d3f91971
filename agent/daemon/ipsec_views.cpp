// SPDX-License-Identifier: Apache-2.0
#include "daemon/ipsec_views.h"

#include <cstdio>

namespace nwbpf::daemon {

namespace {

using json = nlohmann::json;

std::string spi_hex(uint32_t spi) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", spi);
  return buf;
}

json child_json(const ipsec::ChildSaInfo& c) {
  json out = {{"name", c.name},         {"uniqueid", c.uniqueid},     {"state", c.state},
              {"mode", c.mode},         {"protocol", c.protocol},     {"encap", c.encap},
              {"spi_in", spi_hex(c.spi_in)}, {"spi_out", spi_hex(c.spi_out)},
              {"bytes_in", c.bytes_in}, {"bytes_out", c.bytes_out}, {"packets_in", c.packets_in},
              {"packets_out", c.packets_out}, {"local_ts", c.local_ts}, {"remote_ts", c.remote_ts}};
  out["installed_s"] = c.install_time ? json(*c.install_time) : json();
  return out;
}

json sa_json(const ipsec::IkeSaInfo& sa) {
  json children = json::array();
  for (const auto& c : sa.children) children.push_back(child_json(c));
  json out = {{"name", sa.name},
              {"uniqueid", sa.uniqueid},
              {"state", sa.state},
              {"local", sa.local_host + ":" + std::to_string(sa.local_port)},
              {"remote", sa.remote_host + ":" + std::to_string(sa.remote_port)},
              {"local_id", sa.local_id},
              {"remote_id", sa.remote_id},
              {"initiator", sa.initiator},
              {"nat_local", sa.nat_local},
              {"nat_remote", sa.nat_remote},
              {"children", children}};
  out["established_s"] = sa.established ? json(*sa.established) : json();
  return out;
}

}  // namespace

const char* ipsec_mode_name(IpsecConfig::Mode mode) {
  switch (mode) {
    case IpsecConfig::Mode::psk: return "psk";
    case IpsecConfig::Mode::x509: return "x509";
    case IpsecConfig::Mode::off: break;
  }
  return "off";
}

json ipsec_json(const IpsecStatus& s) {
  json out = {{"mode", ipsec_mode_name(s.config.mode)}};
  if (s.config.mode == IpsecConfig::Mode::off) return out;
  out["local"] = s.local ? json(s.local->str()) : json();
  out["charon"] = {{"socket", s.config.vici_socket},
                   {"connected", s.controller && s.controller->connected()},
                   {"error", s.controller ? s.charon_error : "the IKE controller is not running "
                                                             "(no NBMA address yet)"}};
  json peers = json::array();
  json sas = json::array();
  if (s.controller) {
    out["credential_error"] = s.controller->credential_error();
    for (const auto& [nbma, conn] : s.controller->peers())
      peers.push_back({{"nbma", nbma.str()},
                       {"connection", ipsec::conn_name(nbma)},
                       {"loaded", conn.loaded},
                       {"error", conn.error},
                       {"failure", conn.failure},
                       {"protected", s.controller->sa_up().contains(nbma)}});
    for (const auto& sa : s.controller->sas()) sas.push_back(sa_json(sa));
  }
  out["peers"] = peers;
  out["sas"] = sas;
  out["listed_ago_s"] = s.listed_ago_s ? json(*s.listed_ago_s) : json();
  return out;
}

}  // namespace nwbpf::daemon
