// SPDX-License-Identifier: Apache-2.0
#include "stop_signal.h"

#include <pthread.h>
#include <signal.h>

#include <cerrno>

namespace nwbpf::bench {

namespace {
sigset_t stop_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

void block_stop_signals() {
  sigset_t set = stop_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

bool wait_for_stop(std::chrono::nanoseconds timeout) {
  sigset_t set = stop_set();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds::zero()) return false;
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    timespec ts{.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
    if (sigtimedwait(&set, nullptr, &ts) >= 0) return true;
    if (errno == EAGAIN) return false;
    // EINTR: another signal interrupted the wait; keep waiting.
  }
}

}  // namespace nwbpf::bench
