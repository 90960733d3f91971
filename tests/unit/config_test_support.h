// SPDX-License-Identifier: Apache-2.0
// Shared by the config unit tests: parse a snippet, get its error text.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace nwbpf::test {

// The smallest valid file: only the required key.
inline constexpr std::string_view kMinimal = "[node]\noverlay_address = \"10.0.0.1\"\n";

using Parser = Config (*)(std::string_view text, const std::string& path);

// The ConfigError text `parse` (parse_config: TOML) throws for `text` named
// `path`, or a test failure if it accepts it.
inline std::string errors_of(std::string_view text, Parser parse = parse_config,
                             const std::string& path = "t.toml") {
  try {
    parse(text, path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return {};
}

// A file in a new temporary directory, both removed at the end of the test.
class TempFile {
 public:
  TempFile(const std::string& name, std::string_view text) {
    char dir[] = "/tmp/nwbpf-config-test.XXXXXX";
    dir_ = mkdtemp(dir);
    path_ = dir_ + "/" + name;
    std::ofstream(path_) << text;
  }
  ~TempFile() {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

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

inline void expect_errors(const std::vector<ErrorCase>& cases, Parser parse = parse_config,
                          const std::string& path = "t.toml") {
  for (const auto& c : cases) EXPECT_EQ(errors_of(c.text, parse, path), c.error) << c.text;
}

}  // namespace nwbpf::test
