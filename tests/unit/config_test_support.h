// SPDX-License-Identifier: Apache-2.0
// Shared by the config unit tests: parse a snippet, get its error text.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

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

}  // namespace nwbpf::test
