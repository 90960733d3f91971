// SPDX-License-Identifier: Apache-2.0
// Request IDs (RFC 2332 §5.2.1: the requester's, to match the reply) from a
// counter that skips 0, which the state machines use for "no request".
#pragma once

#include <cstdint>

namespace nwbpf::nhrp {

class RequestIds {
 public:
  explicit RequestIds(uint32_t first = 1) : next_(first ? first : 1) {}
  uint32_t take() {
    const uint32_t id = next_++;
    if (next_ == 0) next_ = 1;
    return id;
  }

 private:
  uint32_t next_;
};

}  // namespace nwbpf::nhrp
