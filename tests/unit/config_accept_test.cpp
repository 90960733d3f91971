// SPDX-License-Identifier: Apache-2.0
#include "config_test_support.h"

namespace nwbpf {
namespace {

TEST(ConfigAccept, Minimal) {
  Config c = parse_config(test::kMinimal, "t.toml");
  EXPECT_EQ(c.node.overlay_address.str(), "10.0.0.1");
}

}  // namespace
}  // namespace nwbpf
