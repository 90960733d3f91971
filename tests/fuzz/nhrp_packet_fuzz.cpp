// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the NHRP codec (agent/nhrp): arbitrary bytes go
// through the GRE and NHRP decoders, as they are and re-sealed (ar$pktsz and
// ar$chksum set to fit) so that mutations reach past the checksum. Nothing
// may crash or read out of bounds; whatever decodes encodes, decodes again
// to the same packet and encodes to the same bytes. (Not always the input's
// bytes: unused fields and bits are ignored, an empty extension list closed
// by End of Extensions is no extension list.)
#include <cstdint>
#include <cstdlib>

#include "nhrp/checksum.h"
#include "nhrp/gre.h"
#include "nhrp/packet.h"

namespace {

using namespace nwbpf;

void round_trip(std::span<const uint8_t> bytes, const nhrp::DecodeOptions& options) {
  auto packet = nhrp::decode_packet(bytes, options);
  if (!packet) return;
  auto encoded = nhrp::encode_packet(packet.value());
  if (!encoded) std::abort();  // what decoded fits in 16-bit lengths
  auto again = nhrp::decode_packet(encoded.value(), options);
  if (!again || !(again.value() == packet.value())) std::abort();
  auto twice = nhrp::encode_packet(again.value());
  if (!twice || twice.value() != encoded.value()) std::abort();
}

wire::Bytes sealed(const uint8_t* data, size_t size) {
  wire::Bytes bytes(data, data + size);
  bytes[10] = uint8_t(size >> 8);
  bytes[11] = uint8_t(size);
  bytes[12] = bytes[13] = 0;
  const uint16_t sum = nhrp::internet_checksum(bytes);
  bytes[12] = uint8_t(sum >> 8);
  bytes[13] = uint8_t(sum);
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const wire::Bytes password{'s', 'e', 'c', 'r', 'e', 't'};
  const nhrp::DecodeOptions none, with_password{std::span<const uint8_t>(password)};
  round_trip({data, size}, none);
  if (size >= nhrp::kFixedHeaderSize && size <= 0xffff) {
    const auto bytes = sealed(data, size);
    round_trip(bytes, none);
    round_trip(bytes, with_password);
  }
  if (auto frame = nhrp::decode_gre({data, size})) {
    const auto& f = frame.value();
    const auto bytes = nhrp::encode_gre(f.header, f.payload);
    auto again = nhrp::decode_gre(bytes);
    if (!again || !(again.value().header == f.header)) std::abort();
  }
  return 0;
}
