// SPDX-License-Identifier: Apache-2.0
// `nwbpf show acl` text (cli/acl_view.h) from the JSON nwbpfd answers with
// (views/acl_view.h), and answers of the wrong shape.
#include <gtest/gtest.h>

#include "cli/acl_view.h"
#include "cli/agent_view.h"
#include "views/acl_view.h"

namespace nwbpf::cli {
namespace {

using central::Action;
using namespace std::chrono;

// The seed's ebconfig (config/nante-wan/docker_ebconfig_example.json) and
// a VLAN 30 with only a mac-filter.
nlohmann::json answer(std::optional<uint16_t> vlan) {
  auto prefix = [](const char* a, uint8_t n) { return bgp::Prefix4{*Ipv4::parse(a), n}; };
  auto mac = [](const char* m) { return *Mac::parse(m); };
  central::IpFilter ip{Action::permit,
                       {{{6}, {}, {}, prefix("10.0.0.1", 32), {}, Action::deny},
                        {{6}, prefix("1.1.1.1", 32), {}, prefix("2.2.2.2", 32), {}, Action::deny},
                        {{17}, prefix("0.0.0.0", 30), {}, prefix("192.168.0.0", 16), {80, 80},
                         Action::permit}}};
  central::MacFilter macs{Action::deny,
                          {{mac("0a:00:27:00:00:01"), Action::permit},
                           {mac("0a:00:27:00:00:02"), Action::permit},
                           {mac("0a:00:27:00:00:03"), Action::permit}}};
  central::MacFilter only_default{Action::permit, {}};
  central::Ebconfig config{{{10, ip, macs}, {30, std::nullopt, only_default}}};
  std::vector<nwbpf_acl_counter> counters{{4, 240}, {0, 0},      {9, 1200}, {120, 98000}, {3, 180},
                                          {0, 0},   {0, 0},      {17, 1020}, {5, 300}};
  views::AclSource source{"http://10.0.0.254/ebconfig/10.0.0.5.json",
                          sys_days{2026y / 11 / 22} + 16h + 13min + 53s};
  // Through text, as the CLI receives it.
  return nlohmann::json::parse(
      views::acl_json(compile_acl(config).value().rules, counters, vlan, source).dump());
}

TEST(CliAclView, EveryVlanAndFilterInFileOrder) {
  EXPECT_EQ(acl_text(answer(std::nullopt), std::nullopt),
            "source http://10.0.0.254/ebconfig/10.0.0.5.json, applied 2026-11-22T16:13:53Z\n"
            "\n"
            "VLAN 10 ip-filter\n"
            "INDEX  PROTO    SRC         SPORT  DST             DPORT  ACTION  PACKETS  BYTES\n"
            "    0  tcp      0.0.0.0/0   any    10.0.0.1/32     any    deny          4    240\n"
            "    1  tcp      1.1.1.1/32  any    2.2.2.2/32      any    deny          0      0\n"
            "    2  udp      0.0.0.0/30  any    192.168.0.0/16  80     permit        9   1200\n"
            "    3  default                                            permit      120  98000\n"
            "\n"
            "VLAN 10 mac-filter\n"
            "INDEX  MAC                ACTION  PACKETS  BYTES\n"
            "    4  0a:00:27:00:00:01  permit        3    180\n"
            "    5  0a:00:27:00:00:02  permit        0      0\n"
            "    6  0a:00:27:00:00:03  permit        0      0\n"
            "    7  default            deny         17   1020\n"
            "\n"
            "VLAN 30 mac-filter\n"
            "INDEX  MAC      ACTION  PACKETS  BYTES\n"
            "    8  default  permit        5    300\n");
}

TEST(CliAclView, OneVlan) {
  EXPECT_EQ(acl_text(answer(30), 30),
            "source http://10.0.0.254/ebconfig/10.0.0.5.json, applied 2026-11-22T16:13:53Z\n"
            "\n"
            "VLAN 30 mac-filter\n"
            "INDEX  MAC      ACTION  PACKETS  BYTES\n"
            "    8  default  permit        5    300\n");
}

TEST(CliAclView, NoFiltersSaySo) {
  EXPECT_EQ(acl_text(answer(20), 20),
            "source http://10.0.0.254/ebconfig/10.0.0.5.json, applied 2026-11-22T16:13:53Z\n"
            "\n"
            "no filters on VLAN 20\n");
  auto nothing = nlohmann::json::parse(R"({"source": null, "vlans": []})");
  EXPECT_EQ(acl_text(nothing, std::nullopt), "no filters\n");
}

TEST(CliAclView, AnswersOfTheWrongShapeAreOneClearLine) {
  auto error_of = [](const char* text) -> std::string {
    try {
      acl_text(nlohmann::json::parse(text), std::nullopt);
    } catch (const AnswerError& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_EQ(error_of(R"([])"), "unexpected answer from nwbpfd: result is not an object");
  EXPECT_EQ(error_of(R"({"source": null})"), "unexpected answer from nwbpfd: result has no \"vlans\"");
  EXPECT_EQ(error_of(R"({"source": 3, "vlans": []})"),
            "unexpected answer from nwbpfd: source is not an object");
  EXPECT_EQ(error_of(R"({"source": null, "vlans": [{"vlan": 1, "ip_filter": {"rules": []}}]})"),
            "unexpected answer from nwbpfd: vlans[0].ip_filter has no \"default\"");
  EXPECT_EQ(
      error_of(R"({"source": null, "vlans": [{"vlan": 1, "mac_filter": {"rules": [{"index": 0, "mac": "x",
               "action": "drop", "packets": 0, "bytes": 0}], "default": {}}}]})"),
      "unexpected answer from nwbpfd: vlans[0].mac_filter.rules[0].action is \"drop\", not one "
      "of permit, deny");
}

}  // namespace
}  // namespace nwbpf::cli
