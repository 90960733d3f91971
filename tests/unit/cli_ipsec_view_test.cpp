// SPDX-License-Identifier: Apache-2.0
// The text of `show ipsec` from the agent's answers: IPsec off, charon out
// of reach (with and without the IKE controller running), a PSK node with a
// protected route server and a peer whose connection charon refused, a CE
// behind NAT with SAs from peers it does not want, and answers of the wrong
// shape.
#include <gtest/gtest.h>

#include "cli/agent_view.h"
#include "cli/ipsec_view.h"
#include "ipsec_show_answer.h"

namespace nwbpf::cli {
namespace {

using nlohmann::json;

const json kPsk = json::parse(test::kIpsecPskAnswer);

TEST(CliIpsecView, CharonsLastFailureWithAPeer) {
  json a = kPsk;
  a["peers"][1]["protected"] = false;
  a["peers"][1]["failure"] = "received AUTHENTICATION_FAILED notify error";
  a["sas"] = json::array();
  std::string text = ipsec_text(a);
  EXPECT_NE(text.find("Peer 192.0.2.100: NOT protected (nothing is sent to it until an SA is up)\n"
                      "  Connection nwbpf-192.0.2.100: loaded\n"
                      "  Last failure (charon): received AUTHENTICATION_FAILED notify error\n"),
            std::string::npos)
      << text;
}

// clang-format off
TEST(CliIpsecView, OffIsOneLine) {
  EXPECT_EQ(ipsec_text(json{{"mode", "off"}}), "IPsec: off, the overlay is not encrypted\n");
}

TEST(CliIpsecView, TheControllerNotRunningYet) {
  EXPECT_EQ(ipsec_text(json::parse(R"j({
    "mode": "psk", "local": null,
    "charon": {"socket": "/run/charon.vici", "connected": false,
               "error": "the IKE controller is not running (no NBMA address yet)"},
    "peers": [], "sas": [], "listed_ago_s": null})j")),
    "IPsec: psk, local address none yet (no NBMA address)\n"
    "charon: NOT connected on /run/charon.vici: the IKE controller is not running (no NBMA address yet)\n"
    "SA listing: none yet\n"
    "\n"
    "No peer to protect and no SA.\n");
}

TEST(CliIpsecView, CharonGoneAndItsCredentialErrorKept) {
  EXPECT_EQ(ipsec_text(json::parse(R"({
    "mode": "x509", "local": "192.0.2.1",
    "charon": {"socket": "/run/charon.vici", "connected": false,
               "error": "connect: No such file or directory"},
    "credential_error": "charon refused load-key: loading private key failed",
    "peers": [{"nbma": "192.0.2.100", "connection": "nwbpf-192.0.2.100", "loaded": false,
               "error": "", "failure": "", "protected": false}],
    "sas": [], "listed_ago_s": 12.5})")),
    "IPsec: x509, local address 192.0.2.1\n"
    "charon: NOT connected on /run/charon.vici: connect: No such file or directory\n"
    "Credentials: NOT loaded: charon refused load-key: loading private key failed\n"
    "SA listing: 12 s old\n"
    "\n"
    "Peer 192.0.2.100: NOT protected (nothing is sent to it until an SA is up)\n"
    "  Connection nwbpf-192.0.2.100: not loaded yet\n"
    "  No IKE_SA.\n");
}

TEST(CliIpsecView, AProtectedRouteServerAndARefusedConnection) {
  EXPECT_EQ(ipsec_text(kPsk),
    "IPsec: psk, local address 192.0.2.1\n"
    "charon: connected on /run/charon.vici\n"
    "SA listing: 2 s old\n"
    "\n"
    "Peer 192.0.2.2: NOT protected (nothing is sent to it until an SA is up)\n"
    "  Connection nwbpf-192.0.2.2: NOT loaded: charon refused load-conn: parsing failed\n"
    "  No IKE_SA.\n"
    "\n"
    "Peer 192.0.2.100: protected\n"
    "  Connection nwbpf-192.0.2.100: loaded\n"
    "  IKE_SA nwbpf-192.0.2.100 #3: ESTABLISHED for 00:05:12, as initiator\n"
    "    192.0.2.1:500 -> 192.0.2.100:500, no NAT\n"
    "    CHILD_SA nwbpf #7: INSTALLED for 00:05:10, TRANSPORT, ESP\n"
    "      in:  SPI c1a2b3c4, 123456 bytes, 1234 packets\n"
    "      out: SPI 0a0b0c0d,   5678 bytes,   34 packets\n");
}

TEST(CliIpsecView, BehindNatWithSasFromPeersNotWanted) {
  EXPECT_EQ(ipsec_text(json::parse(R"({
    "mode": "psk", "local": "10.0.0.2",
    "charon": {"socket": "/run/charon.vici", "connected": true, "error": ""},
    "credential_error": "",
    "peers": [{"nbma": "192.0.2.100", "connection": "nwbpf-192.0.2.100", "loaded": true,
               "error": "", "failure": "", "protected": true}],
    "sas": [
      {"name": "nwbpf-any", "uniqueid": 3, "state": "CONNECTING",
       "local": "10.0.0.2:500", "remote": "198.51.100.7:500", "local_id": "10.0.0.2",
       "remote_id": "198.51.100.7", "initiator": false, "nat_local": false, "nat_remote": false,
       "established_s": null,
       "children": [
         {"name": "nwbpf", "uniqueid": 3, "state": "CREATED", "mode": "TRANSPORT",
          "protocol": "", "encap": false, "spi_in": "00000000", "spi_out": "00000000",
          "bytes_in": 0, "bytes_out": 0, "packets_in": 0, "packets_out": 0,
          "local_ts": [], "remote_ts": [], "installed_s": null}]},
      {"name": "nwbpf-192.0.2.100", "uniqueid": 1, "state": "ESTABLISHED",
       "local": "10.0.0.2:4500", "remote": "192.0.2.100:4500", "local_id": "10.0.0.2",
       "remote_id": "192.0.2.100", "initiator": true, "nat_local": true, "nat_remote": false,
       "established_s": 65,
       "children": [
         {"name": "nwbpf", "uniqueid": 1, "state": "INSTALLED", "mode": "TRANSPORT",
          "protocol": "ESP", "encap": true, "spi_in": "cc000001", "spi_out": "dd000002",
          "bytes_in": 0, "bytes_out": 1500, "packets_in": 0, "packets_out": 10,
          "local_ts": ["10.0.0.2/32"], "remote_ts": ["192.0.2.100/32"], "installed_s": 64}]},
      {"name": "nwbpf-any", "uniqueid": 2, "state": "ESTABLISHED",
       "local": "10.0.0.2:4500", "remote": "203.0.113.9:4500", "local_id": "10.0.0.2",
       "remote_id": "10.0.0.9", "initiator": false, "nat_local": true, "nat_remote": true,
       "established_s": 90000,
       "children": [
         {"name": "nwbpf", "uniqueid": 2, "state": "REKEYING", "mode": "TRANSPORT",
          "protocol": "ESP", "encap": true, "spi_in": "ee000003", "spi_out": "ff000004",
          "bytes_in": 98, "bytes_out": 98, "packets_in": 1, "packets_out": 1,
          "local_ts": ["10.0.0.2/32"], "remote_ts": ["10.0.0.9/32"], "installed_s": 30}]}],
    "listed_ago_s": 0.2})")),
    "IPsec: psk, local address 10.0.0.2\n"
    "charon: connected on /run/charon.vici\n"
    "SA listing: 0 s old\n"
    "\n"
    "Peer 192.0.2.100: protected\n"
    "  Connection nwbpf-192.0.2.100: loaded\n"
    "  IKE_SA nwbpf-192.0.2.100 #1: ESTABLISHED for 00:01:05, as initiator\n"
    "    10.0.0.2:4500 -> 192.0.2.100:4500, NAT-T: we are behind NAT\n"
    "    CHILD_SA nwbpf #1: INSTALLED for 00:01:04, TRANSPORT, ESP, UDP-encapsulated\n"
    "      in:  SPI cc000001,    0 bytes,  0 packets\n"
    "      out: SPI dd000002, 1500 bytes, 10 packets\n"
    "\n"
    "Peer 198.51.100.7: not wanted here, no connection of its own\n"
    "  IKE_SA nwbpf-any #3: CONNECTING, as responder\n"
    "    10.0.0.2:500 -> 198.51.100.7:500, no NAT\n"
    "    CHILD_SA nwbpf #3: CREATED, TRANSPORT\n"
    "\n"
    "Peer 203.0.113.9: not wanted here, no connection of its own\n"
    "  IKE_SA nwbpf-any #2: ESTABLISHED for 1d01h00m, as responder\n"
    "    10.0.0.2:4500 -> 203.0.113.9:4500, NAT-T: both sides behind NAT\n"
    "    CHILD_SA nwbpf #2: REKEYING for 00:00:30, TRANSPORT, ESP, UDP-encapsulated\n"
    "      in:  SPI ee000003, 98 bytes, 1 packets\n"
    "      out: SPI ff000004, 98 bytes, 1 packets\n");
}
// clang-format on

std::string error_of(const json& answer) {
  try {
    ipsec_text(answer);
  } catch (const AnswerError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CliIpsecView, AnswersOfTheWrongShapeAreOneClearLine) {
  const std::string prefix = "unexpected answer from nwbpfd: ";
  EXPECT_EQ(error_of(json::array()), prefix + "result is not an object");
  EXPECT_EQ(error_of(json{{"mode", "aes"}}),
            prefix + "result.mode is \"aes\", not one of off, psk, x509");
  json a = kPsk;
  a.erase("charon");
  EXPECT_EQ(error_of(a), prefix + "result has no \"charon\"");
  a = kPsk;
  a["charon"]["connected"] = "yes";
  EXPECT_EQ(error_of(a), prefix + "charon.connected is not a boolean");
  a = kPsk;
  a.erase("listed_ago_s");
  EXPECT_EQ(error_of(a), prefix + "result has no \"listed_ago_s\"");
  a = kPsk;
  a["listed_ago_s"] = "soon";
  EXPECT_EQ(error_of(a), prefix + "listed_ago_s is \"soon\", not a number of seconds");
  a = kPsk;
  a["peers"][1].erase("protected");
  EXPECT_EQ(error_of(a), prefix + "peers[1] has no \"protected\"");
  a = kPsk;
  a["sas"][0]["remote"] = "192.0.2.100";
  EXPECT_EQ(error_of(a), prefix + "sas[0].remote is \"192.0.2.100\", not address:port");
  a = kPsk;
  a["sas"][0]["established_s"] = -1;
  EXPECT_EQ(error_of(a), prefix + "sas[0].established_s is -1, not a count");
  a = kPsk;
  a["sas"][0]["children"][0].erase("spi_in");
  EXPECT_EQ(error_of(a), prefix + "sas[0].children[0] has no \"spi_in\"");
}

}  // namespace
}  // namespace nwbpf::cli
