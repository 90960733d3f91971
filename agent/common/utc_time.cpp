// SPDX-License-Identifier: Apache-2.0
#include "common/utc_time.h"

#include <fmt/chrono.h>

namespace nwbpf {

namespace {

std::tm utc_of(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}

}  // namespace

std::string utc_text(std::chrono::system_clock::time_point time) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", utc_of(time));
}

std::string utc_text_ms(std::chrono::system_clock::time_point time) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", utc_of(time), ms % 1000);
}

}  // namespace nwbpf
