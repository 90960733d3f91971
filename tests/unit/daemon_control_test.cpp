// SPDX-License-Identifier: Apache-2.0
// Control protocol handling (one request line -> one answer) and the JSON
// shapes of the show commands.
#include <gtest/gtest.h>

#include <stdexcept>

#include "control/protocol.h"
#include "daemon/control_handler.h"
#include "daemon/control_views.h"
#include "daemon/desired_state.h"
#include "daemon/events.h"
#include "daemon_test_config.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {
namespace {

using nlohmann::json;

ControlBackend backend() {
  return ControlBackend{
      .show_ports = [] { return json::array({"ports"}); },
      .show_peers = [] { return json::array({"peers"}); },
      .show_fdb = [] { return json::array({"fdb"}); },
      .show_stats =
          [] {
            return json{{"stats", 1}};
          },
      .show_bgp_summary = [] { return json{{"peers", 0}}; },
      .show_bgp_evpn =
          [](const evpn::RouteFilter& f) {
            return json{{"type", f.type ? json(*f.type) : json(nullptr)},
                        {"vni", f.vni ? json(*f.vni) : json(nullptr)}};
          },
      .show_portconfig = [] { return json{{"sources", json::array()}}; },
      .show_nhrp =
          [](const std::optional<std::string>& table) {
            return json{{"table", table ? json(*table) : json(nullptr)}};
          },
      .show_config_server = [] { return json{{"listening", true}}; },
      .show_acl = [](std::optional<uint16_t> vlan) { return json{{"vlan", vlan ? json(*vlan) : json()}}; },
      .show_ipsec = [] { return json{{"mode", "psk"}}; },
      .reload = []() -> json {
        throw std::runtime_error("config not reloaded, running config kept:\nx");
      },
  };
}

json error(const std::string& text) { return json{{"ok", false}, {"error", text}}; }

TEST(ControlHandler, ShowEachObject) {
  auto b = backend();
  EXPECT_EQ(answer_request(R"({"command":"show","object":"ports"})", b),
            (json{{"ok", true}, {"result", json::array({"ports"})}}));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"peers"})", b)["result"],
            json::array({"peers"}));
  EXPECT_EQ(answer_request(R"({"object":"fdb","command":"show"})", b)["result"],
            json::array({"fdb"}));
  EXPECT_EQ(answer_request(" {\"command\": \"show\", \"object\": \"stats\"} ", b)["result"],
            (json{{"stats", 1}}));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"portconfig"})", b)["result"],
            (json{{"sources", json::array()}}));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"config-server"})", b)["result"],
            (json{{"listening", true}}));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"config-server","table":"x"})", b),
            error("unknown key \"table\" in request"));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"ipsec"})", b)["result"],
            (json{{"mode", "psk"}}));
}

TEST(ControlHandler, ShowBgp) {
  auto b = backend();
  EXPECT_EQ(answer_request(R"({"command":"show","object":"bgp-summary"})", b)["result"],
            (json{{"peers", 0}}));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"bgp-evpn"})", b)["result"],
            (json{{"type", nullptr}, {"vni", nullptr}}));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"bgp-evpn","type":2,"vni":16777215})",
                           b)["result"],
            (json{{"type", 2}, {"vni", 16777215}}));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"bgp-evpn","type":1})", b)["result"],
            (json{{"type", 1}, {"vni", nullptr}}));
}

TEST(ControlHandler, ShowNhrpTablesAreChecked) {
  auto b = backend();
  EXPECT_EQ(answer_request(R"({"command":"show","object":"nhrp"})", b)["result"],
            (json{{"table", nullptr}}));
  for (const char* table : {"cache", "nhs", "shortcut"})
    EXPECT_EQ(answer_request(std::string(R"({"command":"show","object":"nhrp","table":")") +
                                 table + "\"}",
                             b)["result"],
              (json{{"table", table}}));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"nhrp","table":"neighbors"})", b),
            error("unknown table \"neighbors\" (cache, nhs or shortcut)"));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"nhrp","table":1})", b),
            error("\"table\" must be a string"));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"nhrp","vni":1})", b),
            error("unknown key \"vni\" in request"));
}

TEST(ControlHandler, ShowBgpEvpnFiltersAreChecked) {
  auto b = backend();
  const json bad_type = error("\"type\" must be a number from 1 to 5");
  const json bad_vni = error("\"vni\" must be a number from 1 to 16777215");
  auto ask = [&](const std::string& extra) {
    return answer_request(R"({"command":"show","object":"bgp-evpn",)" + extra + "}", b);
  };
  EXPECT_EQ(ask(R"("type":0)"), bad_type);
  EXPECT_EQ(ask(R"("type":6)"), bad_type);
  EXPECT_EQ(ask(R"("type":-2)"), bad_type);
  EXPECT_EQ(ask(R"("type":2.5)"), bad_type);
  EXPECT_EQ(ask(R"("type":"2")"), bad_type);
  EXPECT_EQ(ask(R"("type":258)"), bad_type);  // not truncated to 2
  EXPECT_EQ(ask(R"("vni":0)"), bad_vni);
  EXPECT_EQ(ask(R"("vni":16777216)"), bad_vni);
  EXPECT_EQ(ask(R"("vni":null)"), bad_vni);
  EXPECT_EQ(ask(R"("mac":"00:11:22:33:44:55")"), error("unknown key \"mac\" in request"));
  // The filters belong to bgp-evpn only.
  EXPECT_EQ(answer_request(R"({"command":"show","object":"fdb","vni":100})", b),
            error("unknown key \"vni\" in request"));
}

TEST(ControlHandler, ShowAclTakesOneVlan) {
  auto b = backend();
  auto ok = [](json result) { return json{{"ok", true}, {"result", std::move(result)}}; };
  EXPECT_EQ(answer_request(R"({"command":"show","object":"acl"})", b), ok({{"vlan", nullptr}}));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"acl","vlan":4094})", b),
            ok({{"vlan", 4094}}));
  const json bad_vlan = error("\"vlan\" must be a number from 1 to 4094");
  EXPECT_EQ(answer_request(R"({"command":"show","object":"acl","vlan":0})", b), bad_vlan);
  EXPECT_EQ(answer_request(R"({"command":"show","object":"acl","vlan":4095})", b), bad_vlan);
  EXPECT_EQ(answer_request(R"({"command":"show","object":"acl","vlan":"10"})", b), bad_vlan);
  EXPECT_EQ(answer_request(R"({"command":"show","object":"acl","vni":10})", b),
            error("unknown key \"vni\" in request"));
}

TEST(ControlHandler, ReloadFailureIsAnError) {
  EXPECT_EQ(answer_request(R"({"command":"reload"})", backend()),
            error("config not reloaded, running config kept:\nx"));
}

TEST(ControlHandler, MalformedJson) {
  auto b = backend();
  EXPECT_EQ(answer_request("", b), error("malformed JSON at byte 1"));
  EXPECT_EQ(answer_request("{\"command\":", b), error("malformed JSON at byte 12"));
  EXPECT_EQ(answer_request("show fdb", b), error("malformed JSON at byte 1"));
  EXPECT_EQ(answer_request("nonsense", b),
            error("malformed JSON at byte 2"));  // "n" could start null
  EXPECT_EQ(answer_request("{\"command\":\"show\"} x", b), error("malformed JSON at byte 20"));
  EXPECT_EQ(answer_request(std::string("{\"command\":\"\xff\"}"), b),
            error("malformed JSON at byte 13"));
}

TEST(ControlHandler, WrongShapes) {
  auto b = backend();
  EXPECT_EQ(answer_request("[]", b), error("request must be a JSON object"));
  EXPECT_EQ(answer_request("\"show\"", b), error("request must be a JSON object"));
  EXPECT_EQ(answer_request("{}", b), error("request has no \"command\" string"));
  EXPECT_EQ(answer_request(R"({"command":7})", b), error("request has no \"command\" string"));
  EXPECT_EQ(answer_request(R"({"command":"stop"})", b),
            error("unknown command \"stop\" (show, reload)"));
  EXPECT_EQ(answer_request(R"({"command":"show"})", b),
            error("show needs \"object\": ports, peers, fdb, stats, bgp-summary, bgp-evpn, nhrp, config-server, portconfig, acl or ipsec"));
  EXPECT_EQ(answer_request(R"({"command":"show","object":["fdb"]})", b),
            error("show needs \"object\": ports, peers, fdb, stats, bgp-summary, bgp-evpn, nhrp, config-server, portconfig, acl or ipsec"));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"acls"})", b),
            error(
                "unknown object \"acls\" (ports, peers, fdb, stats, bgp-summary, bgp-evpn, nhrp, config-server, portconfig, acl or ipsec)"));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"fdb","json":true})", b),
            error("unknown key \"json\" in request"));
  EXPECT_EQ(answer_request(R"({"command":"reload","object":"fdb"})", b),
            error("unknown key \"object\" in request"));
}

TEST(ControlHandler, BackendFailureIsAnError) {
  auto b = backend();
  b.show_fdb = []() -> json { throw std::runtime_error("map lookup: Bad file descriptor"); };
  EXPECT_EQ(answer_request(R"({"command":"show","object":"fdb"})", b),
            error("map lookup: Bad file descriptor"));
}

TEST(ControlHandler, LineLengthIsBounded) {
  auto b = backend();
  std::string request = R"({"command":"show","object":"ports"})";
  std::string at_limit = request + std::string(control::kMaxLine - request.size(), ' ');
  EXPECT_EQ(answer_request(at_limit, b)["ok"], true);
  EXPECT_EQ(answer_request(at_limit + " ", b), error("request longer than 16777216 bytes"));
}

TEST(ControlHandler, AnswerLineIsOneLineOfJson) {
  EXPECT_EQ(answer_line(json{{"ok", false}, {"error", "a\nb"}}),
            "{\"error\":\"a\\nb\",\"ok\":false}\n");
  // A device name is bytes from the kernel; invalid UTF-8 must not throw.
  EXPECT_EQ(answer_line(json{{"name", std::string("v\xff")}}), "{\"name\":\"v\xEF\xBF\xBD\"}\n");
}

TEST(ControlViews, Ports) {
  auto links = test::ce_links();
  links["vethb"] = test::link(11, 1500, false);
  auto d = compute_desired(test::ce_config(), links);
  json ports = ports_json(d.port_views);
  ASSERT_EQ(ports.size(), 3u);
  EXPECT_EQ(ports[0], (json{{"name", "vetha"},
                            {"ifindex", 10},
                            {"role", "edge"},
                            {"state", "up"},
                            {"tagged", false},
                            {"vlans", {99}},
                            {"pvid", 99},
                            {"path", "xdp"},
                            {"path_reason", "ndo_xdp_xmit available"}}));
  EXPECT_EQ(ports[1]["path"], "tc");
  EXPECT_EQ(ports[1]["vlans"], json({10, 20}));
  EXPECT_EQ(ports[2]["role"], "wan");
  EXPECT_EQ(ports[2]["vlans"], json::array());
}

TEST(ControlViews, Peers) {
  Config c = test::ce_config();
  c.flood.push_back(FloodConfig{20, {test::ip("10.0.0.3")}, "x:1:1"});
  json peers = peers_json(c);
  EXPECT_EQ(peers, json::parse(R"([
    {"overlay": "10.0.0.2", "nbma": "192.168.0.2", "vnis": [99], "origin": "static"},
    {"overlay": "10.0.0.3", "nbma": "192.168.0.3", "vnis": [99, 20], "origin": "static"}])"));
}

TEST(Events, Describe) {
  auto names = [](int ifindex) { return ifindex == 10 ? std::string("vetha") : std::string(); };
  nwbpf_event ev{};
  ev.type = NWBPF_EV_MAC_NEW;
  ev.vni = 99;
  const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
  std::copy(mac, mac + 6, ev.mac);
  ev.kind = NWBPF_FDB_LOCAL;
  ev.ifindex = 10;
  EXPECT_EQ(describe_event(ev, names), "mac new vni 99 02:00:00:00:00:01 on vetha");
  ev.ifindex = 12;
  EXPECT_EQ(describe_event(ev, names), "mac new vni 99 02:00:00:00:00:01 on ifindex 12");
  ev.type = NWBPF_EV_MAC_MOVED;
  ev.kind = NWBPF_FDB_REMOTE;
  ev.vtep = test::ip("10.0.0.3").be;
  EXPECT_EQ(describe_event(ev, names), "mac moved vni 99 02:00:00:00:00:01 via VTEP 10.0.0.3");
  ev.type = NWBPF_EV_NEIGH_MISS;
  ev.nbma = test::ip("192.168.0.3").be;
  EXPECT_EQ(describe_event(ev, names), "no next hop entry for VTEP 10.0.0.3 NBMA 192.168.0.3");
  ev.type = NWBPF_EV_PEER_MISS;
  EXPECT_EQ(describe_event(ev, names),
            "no NHRP entry for VTEP 10.0.0.3 (vni 99): sent through the route server, if any");
  ev.type = NWBPF_EV_RELAYED;
  ev.vtep = test::ip("10.0.0.2").be;
  ev.nbma = test::ip("192.168.0.2").be;
  ev.target = test::ip("10.0.0.3").be;
  EXPECT_EQ(describe_event(ev, names),
            "relayed vni 99 from VTEP 10.0.0.2 (NBMA 192.168.0.2) to VTEP 10.0.0.3");
  ev.type = 77;
  EXPECT_EQ(describe_event(ev, names), "unknown event type 77");
}

TEST(Links, ChangesAreDescribed) {
  LinkSnapshot before = test::ce_links();
  LinkSnapshot after = before;
  after.erase("vetha");
  after["vethb"].ifindex = 20;
  after["eth0"].xdp_tx = false;
  after["eth0"].xdp_reason = "no XDP support";
  after["vethc"] = test::link(21);
  EXPECT_EQ(link_changes(before, after),
            (std::vector<std::string>{"eth0: XDP redirect no longer delivered (no XDP support)",
                                      "vethb was replaced (ifindex 11 -> 20)",
                                      "vethc appeared (ifindex 21)",
                                      "vetha disappeared (was ifindex 10)"}));
  EXPECT_TRUE(link_changes(before, before).empty());
}

}  // namespace
}  // namespace nwbpf::daemon
