// SPDX-License-Identifier: Apache-2.0
// Golden bytes written as hex in the codec tests: "02 21\n00 01" ->
// {0x02, 0x21, 0x00, 0x01}; whitespace is ignored.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <string_view>

#include "common/wire.h"

namespace nwbpf::hex_bytes {

inline wire::Bytes hex(std::string_view text) {
  wire::Bytes out;
  int high = -1;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      ADD_FAILURE() << "'" << c << "' is not a hex digit in " << text;
      return out;
    }
    const int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(uint8_t(high << 4 | v));
      high = -1;
    }
  }
  EXPECT_EQ(high, -1) << "odd number of hex digits in " << text;
  return out;
}

}  // namespace nwbpf::hex_bytes
