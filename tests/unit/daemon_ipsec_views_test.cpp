// SPDX-License-Identifier: Apache-2.0
// The answer to `show ipsec` from a real IKE controller driven as the
// daemon's IkeService drives it: charon reached, peers wanted, charon's
// answers, SA events and listings; IPsec off; the controller not started.
#include <gtest/gtest.h>

#include "daemon/ipsec_views.h"
#include "ipsec_show_answer.h"

namespace nwbpf::daemon {
namespace {

using nlohmann::json;
using namespace nwbpf::ipsec;

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

const Ipv4 kLocal = ip("192.0.2.1");
const Ipv4 kCe = ip("192.0.2.2");
const Ipv4 kRs = ip("192.0.2.100");

const vici::Result<void> kOk{BOOST_OUTCOME_V2_NAMESPACE::success()};

IpsecConfig psk_config() {
  IpsecConfig c;
  c.mode = IpsecConfig::Mode::psk;
  c.secret = "hogehogemogamoga";
  return c;
}

IkeController psk_controller() { return {kLocal, {Auth::psk, "hogehogemogamoga", "", "", {}}}; }

// An established IKE_SA with the route server, its CHILD_SA installed, as
// charon lists it.
IkeSaInfo rs_sa() {
  ChildSaInfo child{.name = "nwbpf",
                    .uniqueid = 7,
                    .reqid = 1,
                    .state = "INSTALLED",
                    .mode = "TRANSPORT",
                    .protocol = "ESP",
                    .encap = false,
                    .spi_in = 0xc1a2b3c4,
                    .spi_out = 0x0a0b0c0d,
                    .bytes_in = 123456,
                    .bytes_out = 5678,
                    .packets_in = 1234,
                    .packets_out = 34,
                    .local_ts = {"192.0.2.1/32"},
                    .remote_ts = {"192.0.2.100/32"},
                    .install_time = 310};
  return {.name = "nwbpf-192.0.2.100",
          .uniqueid = 3,
          .state = "ESTABLISHED",
          .local_host = "192.0.2.1",
          .remote_host = "192.0.2.100",
          .local_port = 500,
          .remote_port = 500,
          .local_id = "192.0.2.1",
          .remote_id = "192.0.2.100",
          .initiator = true,
          .nat_local = false,
          .nat_remote = false,
          .nat_any = false,
          .established = 312,
          .children = {child}};
}

TEST(DaemonIpsecViews, OffIsTheModeAlone) {
  IpsecConfig off;
  EXPECT_EQ(ipsec_json({off, kLocal, nullptr, "", std::nullopt}), json({{"mode", "off"}}));
}

TEST(DaemonIpsecViews, BeforeTheControllerStartsCharonIsNotReached) {
  IpsecConfig c = psk_config();
  c.mode = IpsecConfig::Mode::x509;
  c.vici_socket = "/run/test/charon.vici";
  EXPECT_EQ(ipsec_json({c, std::nullopt, nullptr, "", std::nullopt}), json::parse(R"j({
    "mode": "x509", "local": null,
    "charon": {"socket": "/run/test/charon.vici", "connected": false,
               "error": "the IKE controller is not running (no NBMA address yet)"},
    "peers": [], "sas": [], "listed_ago_s": null})j"));
}

TEST(DaemonIpsecViews, PeersWithTheirConnectionAndTheListedSas) {
  IkeController c = psk_controller();
  auto connected = c.on_connected();
  ASSERT_EQ(connected.size(), 2u);
  c.on_result(connected[0], kOk);
  auto wanted = c.set_wanted({kCe, kRs});
  ASSERT_EQ(wanted.size(), 4u);  // load-conn and initiate, the CE first
  c.on_result(wanted[0], vici::Error{0, "charon refused load-conn: parsing failed"});
  c.on_result(wanted[2], kOk);
  c.begin_listing();
  EXPECT_TRUE(c.on_listing({rs_sa()}));

  EXPECT_EQ(ipsec_json({psk_config(), kLocal, &c, "", 2.75}),
            json::parse(test::kIpsecPskAnswer));
}

// A peer behind NAT setting up an SA through the responder: NAT-T moved IKE
// to port 4500, nothing is established or installed yet.
TEST(DaemonIpsecViews, AnSaNotYetUpBehindNat) {
  IkeController c = psk_controller();
  c.on_connected();
  IkeSaInfo connecting = rs_sa();
  connecting.name = "nwbpf-any";
  connecting.state = "CONNECTING";
  connecting.initiator = false;
  connecting.remote_host = "203.0.113.9";
  connecting.local_port = connecting.remote_port = 4500;
  connecting.nat_remote = connecting.nat_any = true;
  connecting.established.reset();
  ChildSaInfo created;  // before its keys are in the kernel: no SPIs, no counters
  created.name = "nwbpf";
  created.uniqueid = 8;
  created.state = "CREATED";
  created.mode = "TRANSPORT";
  connecting.children = {created};
  c.begin_listing();
  EXPECT_FALSE(c.on_listing({connecting}));
  EXPECT_EQ(ipsec_json({psk_config(), kLocal, &c, "", 0.0})["sas"], json::parse(R"([
    {"name": "nwbpf-any", "uniqueid": 3, "state": "CONNECTING", "local": "192.0.2.1:4500",
     "remote": "203.0.113.9:4500", "local_id": "192.0.2.1", "remote_id": "192.0.2.100",
     "initiator": false, "nat_local": false, "nat_remote": true, "established_s": null,
     "children": [
       {"name": "nwbpf", "uniqueid": 8, "state": "CREATED", "mode": "TRANSPORT",
        "protocol": "", "encap": false, "spi_in": "00000000", "spi_out": "00000000",
        "bytes_in": 0, "bytes_out": 0, "packets_in": 0, "packets_out": 0, "local_ts": [],
        "remote_ts": [], "installed_s": null}]}])"));
}

// An up event protects the peer before any listing shows its SA; charon
// going away unprotects it and marks its connection for loading again; the
// refused secret stays reported until charon takes one.
TEST(DaemonIpsecViews, EventsAndCharonGoingAway) {
  IkeController c = psk_controller();
  auto connected = c.on_connected();
  c.on_result(connected[0], vici::Error{0, "charon refused load-shared: no secret"});
  auto wanted = c.set_wanted({kRs});
  c.on_result(wanted[0], kOk);
  EXPECT_TRUE(c.on_updown({true, rs_sa()}));
  json peer = {{"nbma", "192.0.2.100"}, {"connection", "nwbpf-192.0.2.100"}, {"loaded", true},
               {"error", ""},           {"failure", ""}, {"protected", true}};
  json answer = ipsec_json({psk_config(), kLocal, &c, "", std::nullopt});
  EXPECT_EQ(answer["peers"], json::array({peer}));
  EXPECT_EQ(answer["sas"], json::array()) << "SAs come from listings only";
  EXPECT_EQ(answer["credential_error"], "charon refused load-shared: no secret");

  c.on_disconnected();
  answer = ipsec_json({psk_config(), kLocal, &c, "connect: Connection refused", 40.0});
  peer["loaded"] = false;
  peer["protected"] = false;
  EXPECT_EQ(answer["peers"], json::array({peer}));
  EXPECT_EQ(answer["charon"], json::parse(R"({"socket": "/run/charon.vici", "connected": false,
                                              "error": "connect: Connection refused"})"));
  EXPECT_EQ(answer["listed_ago_s"], 40.0);
  EXPECT_EQ(answer["credential_error"], "charon refused load-shared: no secret");
}

}  // namespace
}  // namespace nwbpf::daemon
