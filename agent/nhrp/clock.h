// SPDX-License-Identifier: Apache-2.0
// The time the NHRP state machines are driven with: the caller passes it
// in, so tests inject it.
#pragma once

#include <chrono>

namespace nwbpf::nhrp {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

}  // namespace nwbpf::nhrp
