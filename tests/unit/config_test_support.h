// SPDX-License-Identifier: Apache-2.0
// Shared by the config unit tests: parse a snippet, get its error text.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace nwbpf::test {

// The smallest valid file: only the required key.
inline constexpr std::string_view kMinimal = "[node]\noverlay_address = \"10.0.0.1\"\n";

// The ConfigError text parse_config() throws for `text` (named "t.toml"), or
// a test failure if it accepts it.
inline std::string errors_of(std::string_view text) {
  try {
    parse_config(text, "t.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return {};
}

// `base` with the first `from` replaced by `to` (the value of a base key).
inline std::string with(std::string_view base, std::string_view from, std::string_view to) {
  std::string text(base);
  text.replace(text.find(from), from.size(), to);
  return text;
}

// A file and the exact error text parse_config() must throw for it.
struct ErrorCase {
  std::string text;
  std::string error;
};

inline void expect_errors(const std::vector<ErrorCase>& cases) {
  for (const auto& c : cases) EXPECT_EQ(errors_of(c.text), c.error) << c.text;
}

}  // namespace nwbpf::test
