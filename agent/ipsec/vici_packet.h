// SPDX-License-Identifier: Apache-2.0
// The transport and packet layers of strongSwan's VICI protocol (strongSwan
// src/libcharon/plugins/vici/README.md, "Transport protocol" and "Packet
// layer"): on the stream each packet is a segment, a 32-bit big-endian length
// and that many bytes; a packet is a type byte, a name for the named types,
// and a message (vici_message.h) for the types that carry one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/wire.h"
#include "ipsec/vici_message.h"

namespace nwbpf::ipsec::vici {

// README "Transport protocol": "limited to 512KB of data" (charon's
// VICI_MESSAGE_SIZE_MAX, 512 * 1024, counts the bytes after the length field).
inline constexpr size_t kMaxSegmentLength = 512 * 1024;

// README "Packet layer".
enum class PacketType : uint8_t {
  cmd_request = 0,       // named, message: a command
  cmd_response = 1,      // message: the command's reply
  cmd_unknown = 2,       // no such command
  event_register = 3,    // named
  event_unregister = 4,  // named
  event_confirm = 5,     // (un)registration done
  event_unknown = 6,     // no such event
  event = 7,             // named, message
};

std::string_view packet_type_name(PacketType type);  // "CMD_REQUEST", ...
bool is_named(PacketType type);
bool has_message(PacketType type);  // README "Message format": requests, responses, events

struct Packet {
  PacketType type = PacketType::cmd_request;
  std::string name;  // empty for the unnamed types
  Message message;   // empty for the types without one
  bool operator==(const Packet&) const = default;
};

// The whole segment: length field, type, name, message. Fails on a name or a
// message the type does not carry, a missing or invalid name, a bad message
// (encode_message), or more than kMaxSegmentLength bytes after the length field;
// error offsets count from the length field.
Result<wire::Bytes> encode_packet(const Packet& packet);

// Decodes one segment's bytes (after the length field, as SegmentReader
// returns them). Offsets in errors count from the type byte.
Result<Packet> decode_packet(std::span<const uint8_t> segment);

// Cuts the byte stream from charon's socket, read in whatever chunks it
// arrives, into segments. A length of 0 (no room for the type) or above the
// maximum loses the framing for good: from then on next() returns that error
// and the connection must be closed. A segment that decode_packet() refuses
// does not: the next one starts where its length said.
class SegmentReader {
 public:
  explicit SegmentReader(size_t max_length = kMaxSegmentLength) : max_length_(max_length) {}

  void feed(std::span<const uint8_t> bytes);
  // The next whole segment without its length field; std::nullopt until all
  // of it has arrived. Error offsets count from the first byte fed.
  Result<std::optional<wire::Bytes>> next();
  // Bytes fed but not yet returned in a segment.
  size_t buffered() const { return buffer_.size(); }

 private:
  size_t max_length_;
  wire::Bytes buffer_;
  size_t stream_offset_ = 0;  // of buffer_[0]
  std::optional<Error> failed_;
};

}  // namespace nwbpf::ipsec::vici
