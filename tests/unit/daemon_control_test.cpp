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
            error("show needs \"object\": ports, peers, fdb or stats"));
  EXPECT_EQ(answer_request(R"({"command":"show","object":["fdb"]})", b),
            error("show needs \"object\": ports, peers, fdb or stats"));
  EXPECT_EQ(answer_request(R"({"command":"show","object":"acl"})", b),
            error("unknown object \"acl\" (ports, peers, fdb, stats)"));
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

TEST(ControlViews, FdbOrderedWithWhereAndAge) {
  const uint64_t sec = 1000000000ULL;
  auto d = compute_desired(test::ce_config(), test::ce_links());
  nwbpf_fdb_key a{.vni = 99, .mac = {2, 0, 0, 0, 0, 0xa}, .pad = 0};
  nwbpf_fdb_key b{.vni = 10, .mac = {2, 0, 0, 0, 0, 0xb}, .pad = 0};
  nwbpf_fdb_key c{.vni = 99, .mac = {2, 0, 0, 0, 0, 0x1}, .pad = 0};
  nwbpf_fdb_entry static_remote{.last_seen_ns = 0,
                                .ifindex = 0,
                                .vtep = test::ip("10.0.0.2").be,
                                .kind = NWBPF_FDB_REMOTE,
                                .origin = NWBPF_ORIGIN_STATIC,
                                .flags = 0,
                                .pad = 0};
  nwbpf_fdb_entry learned_local{.last_seen_ns = 40 * sec,
                                .ifindex = 11,
                                .vtep = 0,
                                .kind = NWBPF_FDB_LOCAL,
                                .origin = NWBPF_ORIGIN_LEARNED,
                                .flags = 0,
                                .pad = 0};
  nwbpf_fdb_entry learned_unknown_vtep{.last_seen_ns = 99 * sec,
                                       .ifindex = 0,
                                       .vtep = test::ip("10.0.0.9").be,
                                       .kind = NWBPF_FDB_REMOTE,
                                       .origin = NWBPF_ORIGIN_LEARNED,
                                       .flags = 0,
                                       .pad = 0};
  FdbSources src{.control = {{a, static_remote}},
                 .learned = {{b, learned_local}, {c, learned_unknown_vtep}},
                 .now_ns = 100 * sec,
                 .port_name = [](int ifindex) { return ifindex == 11 ? "vethb" : ""; },
                 .peers = &d.peers};
  EXPECT_EQ(fdb_json(src), json::parse(R"([
    {"vni": 10, "mac": "02:00:00:00:00:0b", "origin": "learned", "kind": "local",
     "port": "vethb", "ifindex": 11, "vlan": 10, "age_s": 60},
    {"vni": 99, "mac": "02:00:00:00:00:01", "origin": "learned", "kind": "remote",
     "vtep": "10.0.0.9", "nbma": null, "age_s": 1},
    {"vni": 99, "mac": "02:00:00:00:00:0a", "origin": "static", "kind": "remote",
     "vtep": "10.0.0.2", "nbma": "192.168.0.2"}])"));
}

TEST(ControlViews, StatsSumCpusAndNameEveryCounter) {
  EXPECT_EQ(sum_counters({{1, 100}, {2, 200}, {0, 0}}).packets, 3u);
  EXPECT_EQ(sum_counters({{1, 100}, {2, 200}, {0, 0}}).bytes, 300u);
  std::vector<nwbpf_counter> stats(NWBPF_STAT_MAX), drops(NWBPF_DROP_MAX);
  stats[NWBPF_STAT_ENCAP] = {5, 500};
  drops[NWBPF_DROP_MTU_EXCEEDED] = {2, 3000};
  json j = stats_json(stats, drops, {{"fdb_aged_out", 4}});
  ASSERT_EQ(j["stats"].size(), static_cast<size_t>(NWBPF_STAT_MAX));
  ASSERT_EQ(j["drops"].size(), static_cast<size_t>(NWBPF_DROP_MAX));
  EXPECT_EQ(j["stats"][0]["name"], "edge_rx");
  EXPECT_EQ(j["stats"][NWBPF_STAT_ENCAP],
            (json{{"name", "encap"},
                  {"description", "unicast edge -> VTEP (encapsulated)"},
                  {"packets", 5},
                  {"bytes", 500}}));
  EXPECT_EQ(j["drops"][NWBPF_DROP_MTU_EXCEEDED]["name"], "mtu_exceeded");
  EXPECT_EQ(j["drops"][NWBPF_DROP_MTU_EXCEEDED]["bytes"], 3000);
  EXPECT_EQ(j["agent"], (json{{"fdb_aged_out", 4}}));
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
