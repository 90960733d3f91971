// SPDX-License-Identifier: Apache-2.0
#include "nhrp/gre.h"

#include "nhrp/checksum.h"

namespace nwbpf::nhrp {
namespace {

constexpr uint16_t kChecksumBit = 0x8000;  // C
constexpr uint16_t kKeyBit = 0x2000;       // K (RFC 2890)
constexpr uint16_t kSequenceBit = 0x1000;  // S (RFC 2890)
// RFC 2784 §2.3: bits 1-5 other than K and S must be zero (discard), bits 6-12
// are ignored on receipt.
constexpr uint16_t kReservedBits = 0x4c00;
constexpr uint16_t kVersionBits = 0x0007;

GreError cut(const wire::Reader& in, const char* field) {
  return {in.offset(), std::string("GRE ") + field + ": truncated"};
}

}  // namespace

BOOST_OUTCOME_V2_NAMESPACE::checked<GreFrame, GreError> decode_gre(std::span<const uint8_t> bytes) {
  wire::Reader in(bytes);
  uint16_t bits = 0;
  GreFrame frame;
  if (!in.u16(bits)) return cut(in, "flags");
  if (!in.u16(frame.header.protocol)) return cut(in, "protocol type");
  if (bits & kVersionBits)
    return GreError{0, "GRE version " + std::to_string(bits & kVersionBits) + ", only 0 is known"};
  if (bits & kReservedBits) return GreError{0, "GRE reserved flag bits set"};
  frame.header.checksum = bits & kChecksumBit;
  uint32_t value = 0;
  if (frame.header.checksum && !in.skip(4)) return cut(in, "checksum");
  if (bits & kKeyBit) {
    if (!in.u32(value)) return cut(in, "key");
    frame.header.key = value;
  }
  if (bits & kSequenceBit) {
    if (!in.u32(value)) return cut(in, "sequence number");
    frame.header.sequence = value;
  }
  if (frame.header.checksum && internet_checksum(bytes) != 0)
    return GreError{4, "GRE checksum does not verify"};
  frame.payload = in.rest();
  return frame;
}

wire::Bytes encode_gre(const GreHeader& header, std::span<const uint8_t> payload) {
  wire::Bytes bytes;
  wire::Writer out(bytes);
  out.u16(uint16_t((header.checksum ? kChecksumBit : 0) | (header.key ? kKeyBit : 0) |
                   (header.sequence ? kSequenceBit : 0)));
  out.u16(header.protocol);
  if (header.checksum) out.u32(0);  // checksum + Reserved1, patched below
  if (header.key) out.u32(*header.key);
  if (header.sequence) out.u32(*header.sequence);
  out.bytes(payload);
  if (header.checksum) {
    const uint16_t sum = internet_checksum(bytes);
    bytes[4] = uint8_t(sum >> 8);
    bytes[5] = uint8_t(sum);
  }
  return bytes;
}

}  // namespace nwbpf::nhrp
