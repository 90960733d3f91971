// SPDX-License-Identifier: Apache-2.0
// SIGINT/SIGTERM as a stop request the tools wait on, instead of handlers:
// block both in every thread (call before starting any), then sleep in
// wait_for_stop(), which returns early when one arrives.
#pragma once

#include <chrono>

namespace nwbpf::bench {

void block_stop_signals();
// Sleeps up to `timeout`; true if SIGINT or SIGTERM arrived (consumed).
bool wait_for_stop(std::chrono::nanoseconds timeout);

}  // namespace nwbpf::bench
