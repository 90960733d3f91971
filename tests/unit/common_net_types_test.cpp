// SPDX-License-Identifier: Apache-2.0
#include "common/net_types.h"

#include <gtest/gtest.h>

namespace nwbpf {

TEST(Ipv4, ParsesDottedQuadIntoNetworkOrder) {
  auto a = Ipv4::parse("192.168.0.10");
  ASSERT_TRUE(a);
  const auto* b = reinterpret_cast<const uint8_t*>(&a->be);
  EXPECT_EQ(b[0], 192);
  EXPECT_EQ(b[3], 10);
  EXPECT_EQ(a->str(), "192.168.0.10");
}

TEST(Ipv4, RejectsEverythingElse) {
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1..3.4", "1.2.3.4 ",
                          "a.b.c.d", "1.2.3.-4", "10.0.0.0/16"})
    EXPECT_FALSE(Ipv4::parse(bad)) << bad;
}

TEST(Mac, ParsesAndFormatsLowerCase) {
  auto m = Mac::parse("0A:00:27:00:00:FF");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->str(), "0a:00:27:00:00:ff");
  EXPECT_FALSE(m->is_multicast());
  EXPECT_TRUE(Mac::parse("01:00:5e:00:00:01")->is_multicast());
  EXPECT_TRUE(Mac::parse("00:00:00:00:00:00")->is_zero());
}

TEST(Mac, RejectsEverythingElse) {
  for (const char* bad : {"", "0a:00:27:00:00", "0a-00-27-00-00-01", "0a:00:27:00:00:0g",
                          "0a:00:27:00:00:001", "a:0:27:0:0:1"})
    EXPECT_FALSE(Mac::parse(bad)) << bad;
}

}  // namespace nwbpf
