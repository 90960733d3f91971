// SPDX-License-Identifier: Apache-2.0
// The checksum of ar$chksum (RFC 2332 §5.2.0.1): the IP checksum (RFC 1071)
// over the whole NHRP packet, an odd length padded with one zero octet.
#pragma once

#include <cstdint>
#include <span>

namespace nwbpf::nhrp {

// The value to put in ar$chksum (computed with the field zeroed); over a
// packet that carries a correct checksum it returns 0.
uint16_t internet_checksum(std::span<const uint8_t> bytes);

}  // namespace nwbpf::nhrp
