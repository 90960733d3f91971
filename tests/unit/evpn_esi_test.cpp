// SPDX-License-Identifier: Apache-2.0
// Ethernet Segment Identifier (RFC 7432 §5) and FRR's text form.
#include <gtest/gtest.h>

#include "evpn/esi.h"

namespace nwbpf::evpn {
namespace {

TEST(EvpnEsi, ZeroEsiIsSingleHomed) {
  Esi esi;
  EXPECT_TRUE(esi.is_zero());
  EXPECT_EQ(esi.type(), 0);
  EXPECT_EQ(esi.str(), "00:00:00:00:00:00:00:00:00:00");
}

TEST(EvpnEsi, TextRoundTripsAndKeepsTheBytes) {
  auto esi = Esi::parse("03:44:38:39:BE:EF:aa:00:00:02");
  ASSERT_TRUE(esi) << esi.error().message;
  EXPECT_EQ(esi.value().bytes,
            (std::array<uint8_t, 10>{0x03, 0x44, 0x38, 0x39, 0xbe, 0xef, 0xaa, 0x00, 0x00, 0x02}));
  EXPECT_EQ(esi.value().type(), 3);  // MAC based
  EXPECT_FALSE(esi.value().is_zero());
  EXPECT_EQ(esi.value().str(), "03:44:38:39:be:ef:aa:00:00:02");
}

TEST(EvpnEsi, EveryDefinedTypeParses) {
  for (int type = 0; type <= Esi::max_type; ++type) {
    auto text = "0" + std::to_string(type) + ":00:00:00:00:00:00:00:00:01";
    auto esi = Esi::parse(text);
    ASSERT_TRUE(esi) << text;
    EXPECT_EQ(esi.value().type(), type);
  }
}

TEST(EvpnEsi, ParseErrors) {
  const std::string shape =
      "expected 10 hex bytes separated by ':' (00:11:22:33:44:55:66:77:88:99)";
  for (const char* text : {"", "00:00:00:00:00:00:00:00:00", "00:00:00:00:00:00:00:00:00:00:00",
                           "00-00-00-00-00-00-00-00-00-00", "00:00:00:00:00:00:00:00:00:0g",
                           "0:000:00:00:00:00:00:00:00:00", "00:00:00:00:00:00:00:00:00:000"}) {
    auto esi = Esi::parse(text);
    ASSERT_FALSE(esi) << text;
    EXPECT_EQ(esi.error().code, Errc::bad_text);
    EXPECT_EQ(esi.error().message, "ESI '" + std::string(text) + "': " + shape);
  }
  auto undefined = Esi::parse("06:00:00:00:00:00:00:00:00:01");
  ASSERT_FALSE(undefined);
  EXPECT_EQ(
      undefined.error().message,
      "ESI '06:00:00:00:00:00:00:00:00:01': type 6 is not defined (RFC 7432 section 5: 0 to 5)");
}

}  // namespace
}  // namespace nwbpf::evpn
