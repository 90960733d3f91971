// SPDX-License-Identifier: Apache-2.0
// A CE with [fetch.portconfig] takes its edge ports from the fetched file
// only (daemon/portconfig_apply.h): [[port]] tables are an error at their
// position, and what refers to ports or their VLANs is not checked against
// ports that come only at run time.
#include <string>

#include "config_test_support.h"

namespace nwbpf {
namespace {

using test::errors_of;

// Lines 1-5; a tail starts on line 6.
constexpr std::string_view kFetchingCe = R"([node]
overlay_address = "10.0.0.1"
[fetch]
[fetch.portconfig]
json_url_prefix = "http://10.0.0.10/portconfig"
)";

std::string ce(std::string_view tail) { return std::string(kFetchingCe) + std::string(tail); }

TEST(ConfigFetchedPorts, PortTablesRefused) {
  EXPECT_EQ(errors_of(ce("[[port]]\nname = \"vetha\"\nvlans = [10]\n"
                         "[[port]]\nname = \"vethb\"\nvlans = [11]\n")),
            "t.toml:6:1: port[0]: [fetch.portconfig] gives this CE its edge ports; remove the "
            "[[port]] tables (or [fetch.portconfig])\n"
            "t.toml:9:1: port[1]: [fetch.portconfig] gives this CE its edge ports; remove the "
            "[[port]] tables (or [fetch.portconfig])");
}

// Only the portconfig source gives ports: with ebconfig alone, [[port]] it is.
TEST(ConfigFetchedPorts, EbconfigAloneKeepsPortTables) {
  std::string text = ce("[[port]]\nname = \"vetha\"\nvlans = [10]\n");
  text.replace(text.find("[fetch.portconfig]"), 18, "[fetch.ebconfig]");
  EXPECT_EQ(parse_config(text, "t.toml").ports.size(), 1u);
}

// VLANs and port names come with the file: a flood list or static MAC on
// them is not refused for want of a [[port]].
TEST(ConfigFetchedPorts, ReferencesToFetchedPortsAccepted) {
  Config c = parse_config(ce("[[peer]]\noverlay = \"10.0.0.2\"\nnbma = \"192.168.0.2\"\n"
                             "[[flood]]\nvni = 99\nvteps = [\"10.0.0.2\"]\n"
                             "[[fdb]]\nvni = 99\nmac = \"02:00:00:00:00:01\"\nport = \"vetha\"\n"),
                          "t.toml");
  EXPECT_TRUE(c.ports.empty());
  EXPECT_EQ(c.flood.size(), 1u);
  EXPECT_EQ(c.fdb.size(), 1u);
}

}  // namespace
}  // namespace nwbpf
