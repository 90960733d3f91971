// SPDX-License-Identifier: Apache-2.0
#include "bgp/backoff.h"

#include <algorithm>

namespace nwbpf::bgp {

Duration IdleHoldBackoff::drop(TimePoint now) {
  if (established_at_ && now - *established_at_ >= config_.stable) drops_ = 0;
  established_at_.reset();
  Duration wait = config_.initial;
  // Doubling stops at the cap, so no drop count can overflow the duration.
  for (unsigned i = 0; i < drops_ && wait < config_.max; ++i) wait *= 2;
  ++drops_;
  return std::min(wait, config_.max);
}

void IdleHoldBackoff::reset() {
  drops_ = 0;
  established_at_.reset();
}

}  // namespace nwbpf::bgp
