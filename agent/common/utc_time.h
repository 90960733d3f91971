// SPDX-License-Identifier: Apache-2.0
// Wall-clock times as the views show them: UTC, RFC 3339 (section 5.6).
#pragma once

#include <chrono>
#include <string>

namespace nwbpf {

// "2026-11-22T16:20:01Z"
std::string utc_text(std::chrono::system_clock::time_point time);
// "2026-11-22T16:20:01.123Z", as in the log.
std::string utc_text_ms(std::chrono::system_clock::time_point time);

}  // namespace nwbpf
