// SPDX-License-Identifier: Apache-2.0
#include "nhrp/checksum.h"

namespace nwbpf::nhrp {

uint16_t internet_checksum(std::span<const uint8_t> bytes) {
  uint32_t sum = 0;
  for (size_t i = 0; i < bytes.size(); i += 2) {
    const uint8_t low = i + 1 < bytes.size() ? bytes[i + 1] : 0;
    sum += uint32_t(bytes[i]) << 8 | low;
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

}  // namespace nwbpf::nhrp
