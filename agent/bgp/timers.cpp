// SPDX-License-Identifier: Apache-2.0
#include "bgp/timers.h"

#include <memory>
#include <random>

namespace nwbpf::bgp {

Jitter random_jitter(uint64_t seed) {
  // std::function copies its target, so the engine lives behind a pointer to
  // give every copy of the Jitter one sequence.
  auto engine = std::make_shared<std::mt19937_64>(seed);
  return [engine](Duration period) {
    std::uniform_real_distribution<double> factor(0.75, 1.0);
    return std::chrono::duration_cast<Duration>(period * factor(*engine));
  };
}

}  // namespace nwbpf::bgp
