// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the BGP codec (agent/bgp): arbitrary bytes go through
// the framer and the message decoder as a 4-octet and as a 2-octet AS session.
// Nothing may crash or read out of bounds; whatever decodes must encode (or
// refuse with EncodeError) and decode again to the same values.
#include <cstdint>
#include <cstdlib>

#include "bgp/framer.h"
#include "bgp/message.h"

namespace {

using namespace nwbpf::bgp;

// The values an encoder writes: an Update's RFC 7606 outcome is about the
// bytes it came from, not about its fields.
bool same_values(const Message& a, const Message& b) {
  const auto* ua = std::get_if<Update>(&a);
  const auto* ub = std::get_if<Update>(&b);
  if (ua && ub)
    return ua->withdrawn == ub->withdrawn && ua->attributes == ub->attributes &&
           ua->nlri == ub->nlri;
  return a == b;
}

void round_trip(const Message& message, const SessionOptions& options) {
  nwbpf::wire::Bytes bytes;
  try {
    bytes = encode_message(message, options);
  } catch (const EncodeError&) {
    return;  // a decoded UPDATE can grow past 4096 when AS forms change
  }
  auto again = decode_message(bytes, options);
  if (!std::holds_alternative<Message>(again) || !same_values(std::get<Message>(again), message))
    std::abort();
}

void run(std::span<const uint8_t> stream, size_t split, const SessionOptions& options) {
  // Two feeds, so messages straddling a read are exercised too.
  Framer framer;
  framer.feed(stream.first(split));
  framer.feed(stream.subspan(split));
  while (auto next = framer.next()) {
    const auto* bytes = std::get_if<nwbpf::wire::Bytes>(&*next);
    if (!bytes) return;  // a header error ends the stream
    auto decoded = decode_message(*bytes, options);
    const auto* message = std::get_if<Message>(&decoded);
    if (!message) continue;
    if (const auto* update = std::get_if<Update>(message)) (void)end_of_rib_family(*update);
    if (const auto* n = std::get_if<Notification>(message)) (void)n->shutdown_communication();
    round_trip(*message, options);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> stream(data, size);
  const size_t split = size == 0 ? 0 : data[0] % (size + 1);
  run(stream, split, SessionOptions{true});
  run(stream, split, SessionOptions{false});
  return 0;
}
