// SPDX-License-Identifier: Apache-2.0
// Helpers for the VICI codec and client tests: hex literals, golden packets
// and the prefix tables of the truncation tests.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <span>
#include <vector>

#include "hex_bytes.h"
#include "ipsec/vici_message.h"

namespace nwbpf::ipsec::vici::test {

using hex_bytes::hex;

// Golden packets shared by the codec and the client tests: the length field,
// then the segment decode_packet() takes.
inline constexpr const char* kVersionRequest = "00000009  00 07 76657273696f6e";  // version
inline constexpr const char* kIkeUpdown =
    "0000002f  07 0a 696b652d7570646f776e"          // EVENT ike-updown
    "03 02 7570 0003 796573"                        // up = yes
    "01 03 727331"                                  // rs1 {
    "03 05 7374617465 000b 45535441424c4953484544"  // state = ESTABLISHED
    "02";                                           // }

// Prefix lengths from..to (inclusive) of a golden encoding decode to this
// error, or (nullopt) decode fine: a prefix that ends between two root
// elements is a valid shorter message, VICI messages having no length of
// their own (only the segment length, SegmentReader, catches that cut).
struct Cut {
  size_t from, to;
  std::optional<Error> error;
};

// Runs `decode` (span -> Result<T>) on every prefix of `bytes`; the table
// must cover each length from 0 to bytes.size() once, in order.
template <class Decode>
void expect_cuts(std::span<const uint8_t> bytes, const std::vector<Cut>& cuts, Decode decode) {
  size_t next = 0;
  for (const auto& cut : cuts) {
    ASSERT_EQ(cut.from, next) << "the table skips prefix lengths";
    for (size_t n = cut.from; n <= cut.to; ++n) {
      auto decoded = decode(bytes.first(n));
      if (cut.error) {
        ASSERT_FALSE(decoded) << "prefix " << n;
        EXPECT_EQ(decoded.error(), *cut.error) << "prefix " << n;
      } else {
        EXPECT_TRUE(decoded) << "prefix " << n << ": " << decoded.error().message;
      }
    }
    next = cut.to + 1;
  }
  EXPECT_EQ(next, bytes.size() + 1);
}

}  // namespace nwbpf::ipsec::vici::test
