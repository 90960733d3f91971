// SPDX-License-Identifier: Apache-2.0
// show acl's JSON (views/acl_view.h) from a compiled rule set and counters.
#include <gtest/gtest.h>

#include <stdexcept>

#include "dataplane/acl_compile.h"
#include "views/acl_view.h"

namespace nwbpf::views {
namespace {

using central::Action;
using namespace std::chrono;

// VLAN 20: ip rules (tcp to 10.0.0.1:80, any from 10.1.0.0/16) and a mac
// rule; VLAN 10: an ip-filter with no rules.
std::vector<AclRuleRef> two_vlans() {
  central::IpFilter ip{Action::permit,
                       {{{6}, {}, {}, {*Ipv4::parse("10.0.0.1"), 32}, {80, 80}, Action::deny},
                        {{}, {*Ipv4::parse("10.1.0.0"), 16}, {}, {}, {}, Action::permit}}};
  central::MacFilter mac{Action::deny, {{*Mac::parse("02:00:00:00:00:01"), Action::permit}}};
  central::Ebconfig config{{{20, ip, mac}, {10, central::IpFilter{Action::deny, {}}, std::nullopt}}};
  return compile_acl(config).value().rules;
}

std::vector<nwbpf_acl_counter> counters() {
  return {{4, 240}, {0, 0}, {120, 98000}, {1, 60}, {2, 128}, {7, 700}};
}

AclSource source() {
  return {"http://10.0.0.254/ebconfig/10.0.0.5.json",
          sys_days{2026y / 11 / 22} + 16h + 13min + 53s};
}

TEST(ViewsAclView, Json) {
  EXPECT_EQ(acl_json(two_vlans(), counters(), std::nullopt, source()).dump(1),
            R"({
 "source": {
  "url": "http://10.0.0.254/ebconfig/10.0.0.5.json",
  "applied": "2026-11-22T16:13:53Z"
 },
 "vlans": [
  {
   "vlan": 20,
   "ip_filter": {
    "rules": [
     {
      "index": 0,
      "position": 0,
      "proto": "tcp",
      "src": "0.0.0.0/0",
      "sport": "any",
      "dst": "10.0.0.1/32",
      "dport": "80",
      "action": "deny",
      "packets": 4,
      "bytes": 240
     },
     {
      "index": 1,
      "position": 1,
      "proto": "any",
      "src": "10.1.0.0/16",
      "sport": "any",
      "dst": "0.0.0.0/0",
      "dport": "any",
      "action": "permit",
      "packets": 0,
      "bytes": 0
     }
    ],
    "default": {
     "index": 2,
     "action": "permit",
     "packets": 120,
     "bytes": 98000
    }
   },
   "mac_filter": {
    "rules": [
     {
      "index": 3,
      "position": 0,
      "mac": "02:00:00:00:00:01",
      "action": "permit",
      "packets": 1,
      "bytes": 60
     }
    ],
    "default": {
     "index": 4,
     "action": "deny",
     "packets": 2,
     "bytes": 128
    }
   }
  },
  {
   "vlan": 10,
   "ip_filter": {
    "rules": [],
    "default": {
     "index": 5,
     "action": "deny",
     "packets": 7,
     "bytes": 700
    }
   }
  }
 ]
})");
}

TEST(ViewsAclView, OneVlan) {
  EXPECT_EQ(acl_json(two_vlans(), counters(), 10, std::nullopt).dump(),
            R"({"source":null,"vlans":[{"vlan":10,"ip_filter":{"rules":[],)"
            R"("default":{"index":5,"action":"deny","packets":7,"bytes":700}}}]})");
  EXPECT_EQ(acl_json(two_vlans(), counters(), 30, std::nullopt).dump(),
            R"({"source":null,"vlans":[]})");
  EXPECT_EQ(acl_json({}, {}, std::nullopt, source()).dump(),
            R"({"source":{"url":"http://10.0.0.254/ebconfig/10.0.0.5.json",)"
            R"("applied":"2026-11-22T16:13:53Z"},"vlans":[]})");
}

// The agent may hand every counter slot of the generation; fewer is a bug.
TEST(ViewsAclView, CountersCoverEveryIndex) {
  auto all = counters();
  all.resize(NWBPF_ACL_MAX_RULES);
  EXPECT_EQ(acl_json(two_vlans(), all, 20, std::nullopt)["vlans"].size(), 1u);
  all.resize(5);
  try {
    acl_json(two_vlans(), all, std::nullopt, std::nullopt);
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "ACL counters cover 5 rule indexes, the rule set has 6");
  }
}

}  // namespace
}  // namespace nwbpf::views
