// SPDX-License-Identifier: Apache-2.0
// Shared by the portconfig and ebconfig tests: the seed's example files and
// the exact text of a rejected file's problems or an accepted one's warnings.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "central/error.h"

namespace nwbpf::central::test {

// A file of the source tree, such as the seed's examples in config/nante-wan/.
inline std::string source_file(const std::string& relative) {
  std::ifstream in(std::string(NWBPF_SOURCE_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in) << relative;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "\n") + item;
  return out;
}

// The problems of a rejected file, one per line; a test failure if accepted.
template <class T>
std::string errors_of(const Result<Parsed<T>>& result, std::string_view text) {
  if (result) {
    ADD_FAILURE() << "accepted:\n" << text;
    return {};
  }
  return lines(result.error().problems);
}

// The value of an accepted file; a test failure (and a default value) if not.
template <class T>
T value_of(const Result<Parsed<T>>& result, std::string_view text) {
  if (result) return result.value().value;
  ADD_FAILURE() << lines(result.error().problems) << "\nrejecting:\n" << text;
  return T{};
}

// The warnings of an accepted file, one per line.
template <class T>
std::string warnings_of(const Result<Parsed<T>>& result, std::string_view text) {
  if (result) return lines(result.value().warnings);
  ADD_FAILURE() << lines(result.error().problems) << "\nrejecting:\n" << text;
  return {};
}

// A file and the exact problems `parse` must reject it with.
struct ErrorCase {
  std::string text;
  std::string error;
};

template <class Parse>
void expect_errors(Parse parse, const std::vector<ErrorCase>& cases) {
  for (const auto& c : cases) EXPECT_EQ(errors_of(parse(c.text), c.text), c.error) << c.text;
}

}  // namespace nwbpf::central::test
